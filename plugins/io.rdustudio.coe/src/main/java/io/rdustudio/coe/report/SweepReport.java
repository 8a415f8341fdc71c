package io.rdustudio.coe.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.rdustudio.coe.LatencySummary;
import io.rdustudio.coe.SweepPoint;
import io.rdustudio.coe.SweepResult;
import io.rdustudio.coe.Units;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.Tier;

/**
 * A sweep as a table, as JSON and as an SVG chart in the shape of the SN40L paper's comparison of
 * CoE serving against DGX systems: latency against the number of experts, one line per platform,
 * each line marked where its experts stop fitting in HBM and ending where it runs out of memory;
 * below it the experts' memory footprint against each platform's capacity.
 */
public final class SweepReport {

    private SweepReport() {
    }

    // ---- text ----

    public static String text(SweepResult r) {
        StringBuilder s = new StringBuilder();
        s.append("Sweep of '").append(r.deployment()).append("', workload '").append(r.workload()).append("': ")
                .append(Units.count(r.requestsPerPoint())).append(" requests a point; experts beyond those declared are copies of '")
                .append(r.expertClass()).append("'\n");
        s.append("latency p50 / p90 / p99; * every expert resident in HBM (no switch)\n\n");
        s.append(String.format(Locale.ROOT, "%8s  %12s", "experts", "weights"));
        for (String p : r.platforms()) {
            s.append(String.format(Locale.ROOT, "  %-32s", p));
        }
        s.append('\n');
        List<Integer> counts = r.points().stream().map(SweepPoint::experts).distinct().sorted().toList();
        for (int n : counts) {
            List<SweepPoint> row = r.platforms().stream().map(p -> r.points(p).stream().filter(x -> x.experts() == n)
                    .findFirst().orElse(null)).toList();
            long weights = row.stream().filter(x -> x != null).mapToLong(SweepPoint::weightBytes).max().orElse(0);
            s.append(String.format(Locale.ROOT, "%8s  %12s", Units.count(n), weights > 0 ? Units.bytes(weights) : "-"));
            for (SweepPoint x : row) {
                s.append(String.format(Locale.ROOT, "  %-32s", cell(x)));
            }
            s.append('\n');
        }
        s.append('\n');
        for (String p : r.platforms()) {
            int holds = cacheHolds(r, p);
            OptionalInt oom = r.firstOutOfMemory(p);
            s.append(p).append(": ").append(holds == Integer.MAX_VALUE ? "every expert swept stays in HBM"
                    : "its HBM cache holds " + holds + " experts; beyond that experts switch in").append(oom.isPresent()
                            ? "; out of memory from " + oom.getAsInt() + " experts" : "; never out of memory in this sweep")
                    .append('\n');
        }
        for (Diagnostic d : r.notes()) {
            s.append("note: ").append(d.message()).append('\n');
        }
        if (!r.complete()) {
            s.append("INCOMPLETE: cancelled; the table shows the points done\n");
        }
        return s.toString();
    }

    private static String cell(SweepPoint x) {
        if (x == null) {
            return "";
        }
        return switch (x.placement()) {
            case OUT_OF_MEMORY -> "out of memory";
            case DOES_NOT_FIT -> "does not fit HBM";
            default -> {
                LatencySummary l = x.latency().orElseThrow();
                yield (x.placement() == SweepPoint.Placement.ALL_IN_HBM ? "* " : "  ") + Units.seconds(l.p50Seconds()) + " / "
                        + Units.seconds(l.p90Seconds()) + " / " + Units.seconds(l.p99Seconds());
            }
        };
    }

    // ---- JSON ----

    public static JsonObject json(SweepResult r) {
        JsonObject o = new JsonObject();
        o.addProperty("deployment", r.deployment());
        o.addProperty("workload", r.workload());
        o.addProperty("expertClass", r.expertClass());
        o.addProperty("requestsPerPoint", r.requestsPerPoint());
        o.addProperty("complete", r.complete());
        JsonArray platforms = new JsonArray();
        for (String p : r.platforms()) {
            JsonObject x = new JsonObject();
            x.addProperty("name", p);
            r.lastAllInHbm(p).ifPresent(n -> x.addProperty("lastAllInHbm", n));
            r.firstOutOfMemory(p).ifPresent(n -> x.addProperty("firstOutOfMemory", n));
            JsonArray points = new JsonArray();
            for (SweepPoint pt : r.points(p)) {
                JsonObject y = new JsonObject();
                y.addProperty("experts", pt.experts());
                y.addProperty("placement", pt.placement().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                if (!pt.reason().isEmpty()) {
                    y.addProperty("reason", pt.reason());
                }
                pt.latency().ifPresent(l -> y.add("latencySeconds", Json.latency(l)));
                pt.switching().ifPresent(l -> y.add("switchSeconds", Json.latency(l)));
                if (pt.ran()) {
                    y.addProperty("hitRate", pt.hitRate());
                    y.addProperty("requestsPerSecond", pt.requestsPerSecond());
                }
                y.addProperty("weightBytes", pt.weightBytes());
                y.addProperty("backingUsedBytes", pt.backingUsedBytes());
                y.addProperty("backingCapacityBytes", pt.backingCapacityBytes());
                y.addProperty("hbmUsedBytes", pt.hbmUsedBytes());
                y.addProperty("hbmCapacityBytes", pt.hbmCapacityBytes());
                y.addProperty("cacheHolds", pt.cacheHolds());
                points.add(y);
            }
            x.add("points", points);
            platforms.add(x);
        }
        o.add("platforms", platforms);
        o.add("notes", Json.diagnostics(r.notes()));
        return o;
    }

    // ---- SVG ----

    /** The chart at the given percentile (50, 90 or 99). */
    public static String svg(SweepResult r, int percentile) {
        Svg svg = new Svg(760, 620);
        svg.text(380, 22, "middle", "title", "CoE serving: p" + percentile + " latency and memory against the number of experts");
        svg.text(380, 40, "middle", "note", "'" + r.deployment() + "', workload '" + r.workload() + "', "
                + Units.count(r.requestsPerPoint()) + " requests a point");
        int maxExperts = r.points().stream().mapToInt(SweepPoint::experts).max().orElse(1);
        int minExperts = r.points().stream().mapToInt(SweepPoint::experts).min().orElse(1);
        Svg.Axis x = new Svg.Axis(minExperts, Math.max(maxExperts, minExperts + 1), 90, 600, false);
        double lo = r.points().stream().filter(SweepPoint::ran).mapToDouble(p -> p.latency().orElseThrow().at(percentile))
                .filter(v -> v > 0).min().orElse(1e-3);
        double hi = r.points().stream().filter(SweepPoint::ran).mapToDouble(p -> p.latency().orElseThrow().at(percentile))
                .max().orElse(1);
        Svg.Axis y = new Svg.Axis(lo, Math.max(hi, lo * 1.01), 290, 60, true);
        svg.axes(x, y, v -> Units.count(Math.round(v)), Units::seconds, "experts", "p" + percentile + " latency");
        for (int i = 0; i < r.platforms().size(); i++) {
            String platform = r.platforms().get(i);
            String colour = Svg.PALETTE.get(i % Svg.PALETTE.size());
            List<double[]> line = new ArrayList<>();
            for (SweepPoint p : r.points(platform)) {
                if (p.ran()) {
                    line.add(new double[] { x.at(p.experts()), y.at(p.latency().orElseThrow().at(percentile)) });
                }
            }
            svg.polyline(line, colour);
            int holds = cacheHolds(r, platform);
            if (holds >= minExperts && holds < maxExperts) {
                double px = x.at(holds);
                svg.line(px, y.from, px, y.to, "stroke=\"" + colour + "\" stroke-dasharray=\"3 3\"");
                svg.text(px + 3, y.to + 12 + 13 * i, "start", "small", platform + ": HBM holds " + holds);
            }
            OptionalInt oom = r.firstOutOfMemory(platform);
            if (oom.isPresent() && !line.isEmpty()) {
                double[] last = line.get(line.size() - 1);
                svg.text(last[0], last[1] + 4, "middle", "", "\u00d7");
                svg.text(last[0] - 4, last[1] - 8, "end", "small", "out of memory at " + oom.getAsInt());
            }
            svg.rect(620, 70 + 20 * i, 14, 3, colour, platform);
            svg.text(640, 75 + 20 * i, "start", "small", platform);
        }
        footprintPanel(svg, r, x);
        return svg.document("CoE sweep: latency and memory against experts");
    }

    /** The lower panel: the experts' weights against each platform's HBM and DDR (host memory). */
    private static void footprintPanel(Svg svg, SweepResult r, Svg.Axis upper) {
        Svg.Axis x = new Svg.Axis(upper.lo, upper.hi, upper.from, upper.to, false);
        int maxExperts = (int) Math.round(upper.hi);
        long perExpert = r.points().stream().filter(p -> p.weightBytes() > 0).mapToLong(p -> p.weightBytes() / p.experts())
                .findFirst().orElse(0);
        double top = Math.max(perExpert * (double) maxExperts, r.points().stream().mapToDouble(p -> Math.max(p.hbmCapacityBytes(),
                p.backingCapacityBytes())).max().orElse(1));
        double bottom = Math.max(1, Math.min(perExpert, r.points().stream().mapToDouble(SweepPoint::hbmCapacityBytes)
                .filter(v -> v > 0).min().orElse(1)) / 2);
        Svg.Axis y = new Svg.Axis(bottom, top, 560, 360, true, 4);
        svg.axes(x, y, v -> Units.count(Math.round(v)), v -> Units.bytes((long) v), "experts", "bytes");
        svg.text((x.from + x.to) / 2, 350, "middle", "", "weights of the experts against each platform's memory");
        if (perExpert > 0) {
            svg.polyline(List.of(new double[] { x.at(upper.lo), y.at(perExpert * upper.lo) },
                    new double[] { x.at(upper.hi), y.at(perExpert * upper.hi) }), "#222");
            svg.text(x.to, y.at(perExpert * upper.hi) - 6, "end", "small", "experts' weights (" + Units.bytes(perExpert) + " each)");
        }
        Map<Long, List<String>> hbm = new TreeMap<>();
        Map<Long, List<String>> backing = new TreeMap<>();
        for (String platform : r.platforms()) {
            r.points(platform).stream().findFirst().ifPresent(p -> {
                hbm.computeIfAbsent(p.hbmCapacityBytes(), k -> new ArrayList<>()).add(platform);
                backing.computeIfAbsent(p.backingCapacityBytes(), k -> new ArrayList<>()).add(platform + (p.backingTier() == Tier.HOST
                        ? " host" : " DDR"));
            });
        }
        Map<Long, String> lines = new TreeMap<>();
        hbm.forEach((bytes, names) -> lines.put(bytes, "6 3|" + String.join(", ", names) + " HBM " + Units.bytes(bytes)));
        backing.forEach((bytes, names) -> lines.merge(bytes, "1 3|" + String.join(", ", names) + " " + Units.bytes(bytes),
                (a, b) -> a + "; " + b.substring(4)));
        int i = 0;
        for (Map.Entry<Long, String> line : lines.entrySet()) {
            String[] dashAndLabel = line.getValue().split("\\|", 2);
            capacity(svg, x, y, line.getKey(), dashAndLabel[0], dashAndLabel[1], i++ % 2 == 1);
        }
    }

    /** How many experts {@code platform}'s HBM cache holds at once (the same at every count for alike experts). */
    private static int cacheHolds(SweepResult r, String platform) {
        return r.points(platform).stream().filter(p -> p.placement() == SweepPoint.Placement.SWITCHING)
                .mapToInt(SweepPoint::cacheHolds).findFirst().orElse(Integer.MAX_VALUE);
    }

    /** A capacity line, labelled at its left end or, to keep close labels apart, its right end. */
    private static void capacity(Svg svg, Svg.Axis x, Svg.Axis y, long bytes, String dash, String label, boolean right) {
        if (bytes <= 0) {
            return;
        }
        svg.line(x.from, y.at(bytes), x.to, y.at(bytes), "stroke=\"#555\" stroke-dasharray=\"" + dash + "\"");
        svg.text(right ? x.to - 4 : x.from + 4, y.at(bytes) - 4, right ? "end" : "start", "small", label);
    }
}
