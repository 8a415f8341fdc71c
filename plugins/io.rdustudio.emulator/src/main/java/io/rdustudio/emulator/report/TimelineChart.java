package io.rdustudio.emulator.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.rdustudio.core.analysis.cost.MemoryChannel;
import io.rdustudio.emulator.timing.TimingResult;

/**
 * The timeline of a run as an SVG, with the tracks of the Chrome trace: per socket a track of
 * launch overheads, one per memory tier or link in use, one per kernel (fill and drain drawn
 * lighter than the steady state). Sockets that run exactly the same calls share their tracks
 * ({@code sockets 0-7}). Calls narrower than a few pixels that touch are drawn as one box that
 * says how many it holds, so the picture stays the same size whatever the number of calls.
 */
final class TimelineChart {

    private static final double LABEL_WIDTH = 180;
    private static final double PLOT_WIDTH = 820;
    private static final double ROW = 18;
    private static final double BOX = 12;
    private static final double TOP = 8;
    private static final double AXIS = 34;
    /** Below this width (px) a box shows no fill and drain, and touching boxes merge. */
    private static final double NARROW = 4;

    /** One box to draw: a call, or a run of narrow calls. */
    private static final class Box {
        double x0;
        double x1;
        double start;
        double end;
        int count;
        String title;
        TimingResult.CallRecord call;
    }

    private TimelineChart() {
    }

    static String render(TimingResult t) {
        int sockets = Math.max(1, t.sockets());
        double total = t.totalSeconds() > 0 ? t.totalSeconds() : 1;
        TreeSet<Integer> bounds = new TreeSet<>();
        bounds.add(sockets);
        for (TimingResult.CallRecord r : t.calls()) {
            bounds.add(used(r, sockets));
        }
        List<String> labels = new ArrayList<>();
        List<List<Box>> rows = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        int low = 0;
        for (int high : bounds) {
            int first = low;
            List<TimingResult.CallRecord> calls = t.calls().stream().filter(r -> used(r, sockets) > first).toList();
            String group = high - low == 1 ? (t.gpu() ? "GPU " : "socket ") + low
                    : (t.gpu() ? "GPUs " : "sockets ") + low + "-" + (high - 1);
            addRows(group, calls, total, labels, rows, kinds);
            low = high;
        }
        double height = TOP + rows.size() * ROW + AXIS;
        StringBuilder s = new StringBuilder(Svg.open("timeline", LABEL_WIDTH + PLOT_WIDTH + 20, height,
                "timeline: launches, memory tiers and kernels per socket over " + Units.seconds(t.totalSeconds())));
        double bottom = TOP + rows.size() * ROW;
        for (double tick : Svg.linearTicks(total, 8)) {
            double x = LABEL_WIDTH + tick / total * PLOT_WIDTH;
            s.append(Svg.line(x, TOP, x, bottom, "grid"));
            s.append(Svg.text(x, bottom + 14, "middle", "tick", Units.seconds(tick)));
        }
        s.append(Svg.line(LABEL_WIDTH, bottom, LABEL_WIDTH + PLOT_WIDTH, bottom, "axis"));
        s.append(Svg.text(LABEL_WIDTH + PLOT_WIDTH / 2, bottom + 30, "middle", "label", "time since the run's start"));
        for (int i = 0; i < rows.size(); i++) {
            double y = TOP + i * ROW;
            s.append(Svg.text(LABEL_WIDTH - 6, y + BOX, "end", "track", labels.get(i)));
            for (Box b : rows.get(i)) {
                box(s, b, y + (ROW - BOX) / 2, kinds.get(i));
            }
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** Sockets a call runs on, within the schedule's. */
    private static int used(TimingResult.CallRecord r, int sockets) {
        return Math.max(1, Math.min(sockets, r.socketsUsed()));
    }

    private static void addRows(String group, List<TimingResult.CallRecord> calls, double total, List<String> labels,
            List<List<Box>> rows, List<String> kinds) {
        List<Box> launch = new ArrayList<>();
        Map<MemoryChannel, List<Box>> tiers = new LinkedHashMap<>();
        Map<String, List<Box>> kernels = new LinkedHashMap<>();
        for (MemoryChannel c : MemoryChannel.values()) {
            tiers.put(c, new ArrayList<>());
        }
        for (TimingResult.CallRecord r : calls) {
            if (r.launchOverhead() > 0) {
                add(launch, r.start(), r.executeStart(), total, null, "launch " + r.kernel() + ": "
                        + Units.seconds(r.launchOverhead()) + (r.repeats() > 1 ? " for " + r.repeats() + " launches" : ""));
            }
            if (r.execution() <= 0) {
                continue;
            }
            for (Map.Entry<MemoryChannel, Double> b : r.bytes().entrySet()) {
                add(tiers.get(b.getKey()), r.executeStart(), r.end(), total, null, r.kernel() + ": "
                        + Units.si(b.getValue(), "B") + " at " + Units.si(b.getValue() / r.execution(), "B/s"));
            }
            add(kernels.computeIfAbsent(r.baseKernel(), k -> new ArrayList<>()), r.executeStart(), r.end(), total, r,
                    r.kernel() + ": " + Units.seconds(r.execution()) + " (fill " + Units.seconds(r.fill()) + ", drain "
                            + Units.seconds(r.drain()) + "), bound: " + r.bound()
                            + (r.iterations() > 1 ? ", " + r.iterations() + " iterations in one launch" : ""));
        }
        row(group + " launch", launch, "launch", labels, rows, kinds);
        tiers.forEach((c, boxes) -> row(group + " " + (c == MemoryChannel.P2P ? "P2P link" : c.name()), boxes,
                "tier tier-" + c.name().toLowerCase(java.util.Locale.ROOT), labels, rows, kinds));
        int k = 0;
        for (Map.Entry<String, List<Box>> e : kernels.entrySet()) {
            row(group + " " + e.getKey(), e.getValue(), "kernel k" + (k++ % 5), labels, rows, kinds);
        }
    }

    private static void row(String label, List<Box> boxes, String kind, List<String> labels, List<List<Box>> rows,
            List<String> kinds) {
        if (!boxes.isEmpty()) {
            labels.add(label);
            rows.add(boxes);
            kinds.add(kind);
        }
    }

    /** Adds a call to a track, merged into the previous box when both are narrow and touch. */
    private static void add(List<Box> boxes, double start, double end, double total, TimingResult.CallRecord call,
            String title) {
        double x0 = LABEL_WIDTH + start / total * PLOT_WIDTH;
        double x1 = Math.max(LABEL_WIDTH + end / total * PLOT_WIDTH, x0 + 1);
        Box last = boxes.isEmpty() ? null : boxes.get(boxes.size() - 1);
        if (last != null && x0 <= last.x1 + 1 && (last.x1 - last.x0 < NARROW || x1 - x0 < NARROW)) {
            last.x1 = Math.max(last.x1, x1);
            last.end = end;
            last.count++;
            last.call = null;
            return;
        }
        Box b = new Box();
        b.x0 = x0;
        b.x1 = x1;
        b.start = start;
        b.end = end;
        b.count = 1;
        b.title = title;
        b.call = call;
        boxes.add(b);
    }

    private static void box(StringBuilder s, Box b, double y, String kind) {
        String title = b.count == 1 ? b.title
                : b.count + " calls from " + Units.seconds(b.start) + " to " + Units.seconds(b.end);
        s.append("<g class=\"").append(kind).append("\"><title>").append(Svg.escape(title)).append("</title>");
        TimingResult.CallRecord c = b.call;
        if (c != null && b.x1 - b.x0 >= 3 * NARROW && c.execution() > 0) {
            double perSecond = (b.x1 - b.x0) / c.execution();
            double fill = c.fill() * perSecond;
            double drain = c.drain() * perSecond;
            rect(s, b.x0, y, fill, "fill");
            rect(s, b.x0 + fill, y, b.x1 - b.x0 - fill - drain, "steady");
            rect(s, b.x1 - drain, y, drain, "drain");
        } else {
            rect(s, b.x0, y, b.x1 - b.x0, "steady");
        }
        s.append("</g>\n");
    }

    private static void rect(StringBuilder s, double x, double y, double width, String phase) {
        if (width <= 0) {
            return;
        }
        s.append("<rect x=\"").append(Svg.n(x)).append("\" y=\"").append(Svg.n(y)).append("\" width=\"")
                .append(Svg.n(width)).append("\" height=\"").append(Svg.n(BOX)).append("\" class=\"").append(phase)
                .append("\"/>");
    }
}
