package io.rdustudio.emulator.report;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.rdustudio.core.analysis.Sizes;
import io.rdustudio.core.analysis.memory.Allocation;
import io.rdustudio.core.analysis.memory.MemoryPlan;
import io.rdustudio.core.analysis.memory.SocketPlan;
import io.rdustudio.core.analysis.memory.Spill;
import io.rdustudio.core.analysis.memory.TierUsage;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.Tier;

/**
 * The static memory plan in the report: per group of sockets holding the same tensors, HBM and DDR
 * use against capacity, the spills to DDR and why, and the buffers' lifetimes over the launches of
 * the timeline (a bar per buffer, in tier and address order, as {@code dfk memory} lists them).
 */
final class MemorySection {

    /** The most buffers drawn and listed per group of sockets; {@code dfk memory} lists them all. */
    static final int MAX_BUFFERS = 60;

    private static final double LABEL_WIDTH = 260;
    private static final double PLOT_WIDTH = 560;
    private static final double ROW = 16;

    private MemorySection() {
    }

    static String render(MemoryPlan plan) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<p>%d socket%s, %d launches on the timeline%s.</p>%n", plan.sockets(),
                plan.sockets() == 1 ? "" : "s", plan.timelineCalls(),
                plan.timelineCompressed() ? " (loops unrolled three times)" : ""));
        for (Diagnostic d : plan.diagnostics()) {
            s.append("<p class=\"diagnostic ").append(d.severity().name().toLowerCase(Locale.ROOT)).append("\">")
                    .append(Svg.escape(fileName(d.location().uri()) + ":" + d.location().line() + ":"
                            + d.location().column() + ": " + d.message()))
                    .append("</p>\n");
        }
        for (SocketPlan socket : plan.socketPlans()) {
            s.append("<h3>").append(Svg.escape(sockets(socket.sockets()))).append("</h3>\n<table class=\"tiers\">\n");
            for (Tier tier : List.of(Tier.HBM, Tier.DDR)) {
                TierUsage u = socket.tier(tier);
                double used = u.capacityBytes() == 0 ? 0 : (double) u.extentBytes() / u.capacityBytes();
                s.append("<tr><th>").append(tier.name()).append("</th><td class=\"bar\"><span style=\"width:")
                        .append(Svg.n(Math.min(100, 100 * used))).append("%\"></span></td><td>")
                        .append(Svg.escape(Sizes.bytes(u.extentBytes()) + " of " + Sizes.bytes(u.capacityBytes()) + " ("
                                + Units.percent(used) + "), most live at once " + Sizes.bytes(u.peakLiveBytes())
                                + (u.fits() ? "" : ": does not fit")))
                        .append("</td></tr>\n");
            }
            s.append("</table>\n");
            s.append(String.format(Locale.ROOT, "<p>Activations: peak %s live, %s without address sharing.</p>%n",
                    Sizes.bytes(socket.activationPeakBytes()), Sizes.bytes(socket.activationTotalBytes())));
            if (socket.spills().isEmpty()) {
                s.append("<p>Spills: none (everything fits in HBM).</p>\n");
            } else {
                s.append("<p>Spills to DDR:</p>\n<ul>\n");
                for (Spill sp : socket.spills()) {
                    s.append("<li>").append(Svg.escape(sp.tensor() + " (" + Sizes.bytes(sp.bytes()) + "): " + sp.reason()))
                            .append("</li>\n");
                }
                s.append("</ul>\n");
            }
            lifetimes(s, socket, plan.timelineCalls());
        }
        return s.toString();
    }

    /** The last segment of a location's URI: the report names places by file, not by absolute path. */
    private static String fileName(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    private static String sockets(List<Integer> sockets) {
        return (sockets.size() == 1 ? "Socket " : "Sockets ")
                + sockets.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** A bar per buffer from its first to its last launch, coloured by tier; read-only buffers hatched by class. */
    private static void lifetimes(StringBuilder s, SocketPlan socket, int launches) {
        List<Allocation> shown = socket.allocations().stream().limit(MAX_BUFFERS).toList();
        if (shown.isEmpty()) {
            return;
        }
        int span = Math.max(1, launches);
        double height = shown.size() * ROW + 36;
        s.append(Svg.open("lifetimes", LABEL_WIDTH + PLOT_WIDTH + 20, height,
                "buffer lifetimes over the timeline's launches, in tier and address order"));
        double bottom = shown.size() * ROW + 4;
        for (double tick : Svg.linearTicks(span, 10)) {
            double x = LABEL_WIDTH + tick / span * PLOT_WIDTH;
            s.append(Svg.line(x, 0, x, bottom, "grid"));
            s.append(Svg.text(x, bottom + 14, "middle", "tick", String.format(Locale.ROOT, "%.0f", tick)));
        }
        s.append(Svg.text(LABEL_WIDTH + PLOT_WIDTH / 2, bottom + 30, "middle", "label", "launch on the timeline"));
        for (int i = 0; i < shown.size(); i++) {
            Allocation a = shown.get(i);
            double y = i * ROW + 2;
            String name = a.tensor() + (a.version() > 0 ? " v" + a.version() : "");
            s.append(Svg.text(LABEL_WIDTH - 6, y + 11, "end", "track", name + " " + Sizes.bytes(a.bytes())));
            double x0 = LABEL_WIDTH + (double) a.firstCall() / span * PLOT_WIDTH;
            double x1 = LABEL_WIDTH + (double) (a.lastCall() + 1) / span * PLOT_WIDTH;
            String title = String.format(Locale.ROOT, "%s: %s %s at 0x%x, %s, launches %d-%d%s", name,
                    a.role().name().toLowerCase(Locale.ROOT), a.tier().name(), a.offset(), Sizes.bytes(a.bytes()),
                    a.firstCall(), a.lastCall(), a.readOnly() ? ", read-only" : "");
            s.append("<rect x=\"").append(Svg.n(x0)).append("\" y=\"").append(Svg.n(y)).append("\" width=\"")
                    .append(Svg.n(Math.max(1, x1 - x0))).append("\" height=\"12\" class=\"buffer tier-")
                    .append(a.tier().name().toLowerCase(Locale.ROOT)).append(a.readOnly() ? " read-only" : "")
                    .append("\"><title>").append(Svg.escape(title)).append("</title></rect>\n");
        }
        s.append("</svg>\n");
        if (socket.allocations().size() > shown.size()) {
            s.append("<p class=\"note\">").append(socket.allocations().size() - shown.size())
                    .append(" more buffers; <code>dfk memory FILE</code> lists them all.</p>\n");
        }
    }
}
