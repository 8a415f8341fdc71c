package io.rdustudio.emulator.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.rdustudio.core.analysis.Sizes;
import io.rdustudio.core.analysis.cost.MemoryChannel;
import io.rdustudio.core.analysis.placement.Placement;
import io.rdustudio.core.analysis.placement.PlacementSvg;
import io.rdustudio.emulator.steps.DecodeSteps;
import io.rdustudio.emulator.steps.StepModel;
import io.rdustudio.emulator.timing.TimingResult;

/**
 * A {@link RunReport} as one self-contained HTML page: inline CSS and SVG, no script, no font, no
 * image, nothing fetched (a Content-Security-Policy of {@code default-src 'none'} says so to the
 * browser). Sections: summary (total time, kernels with time, bound and roofline figures, launches
 * and their overhead, bandwidth per tier against peak, PCU and PMU use, tokens per second, the
 * steps of a multi-step run), roofline, timeline, placement maps, memory plan. Deterministic: the
 * same report gives the same bytes (a golden test holds it).
 */
public final class HtmlReport {

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1120px;
              padding: 0 16px 32px; color: #1d2330; background: #ffffff; }
            header { border-bottom: 1px solid #d0d4dc; padding: 12px 0; }
            h1 { font-size: 1.5em; margin: 8px 0; }
            h2 { font-size: 1.2em; margin-top: 28px; border-bottom: 1px solid #e4e7ec; padding-bottom: 4px; }
            h3 { font-size: 1em; }
            .meta { color: #586174; font-size: 0.9em; margin: 2px 0; overflow-wrap: anywhere; }
            nav a { margin-right: 14px; color: #2f5d9a; text-decoration: none; }
            .cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
            .card { border: 1px solid #d0d4dc; border-radius: 6px; padding: 8px 12px; min-width: 140px; }
            .card .value { font-size: 1.3em; font-weight: 600; }
            .card .what { color: #586174; font-size: 0.85em; }
            table { border-collapse: collapse; font-size: 0.9em; margin: 8px 0; }
            th, td { text-align: left; padding: 3px 10px 3px 0; vertical-align: top; }
            td.number { text-align: right; font-variant-numeric: tabular-nums; }
            thead th { border-bottom: 1px solid #d0d4dc; }
            td.bar { width: 220px; }
            td.bar span { display: block; height: 10px; margin-top: 4px; background: #4e79a7; min-width: 1px; }
            .note { color: #586174; font-size: 0.9em; }
            .diagnostic.error { color: #b3261e; }
            .diagnostic.warning { color: #8a5a00; }
            figure { margin: 12px 0 24px; overflow-x: auto; }
            figcaption { font-size: 0.9em; color: #586174; margin-bottom: 4px; }
            svg.chart { font-size: 11px; overflow: visible; }
            svg.chart text { fill: #1d2330; }
            svg.chart .tick, svg.chart .track { fill: #586174; }
            svg.chart .label { font-size: 12px; }
            svg.chart .grid { stroke: #eceef2; stroke-width: 1; }
            svg.chart .axis { stroke: #586174; stroke-width: 1; }
            .roof { fill: none; stroke-width: 2; }
            .roof.compute { stroke: #1d2330; }
            .roof-label { font-size: 11px; }
            .kernel circle { stroke: #1d2330; stroke-width: 0.8; }
            .point-label { font-size: 11px; }
            .timeline .steady { fill: #4e79a7; }
            .timeline .fill, .timeline .drain { fill: #a9c1dd; }
            .timeline .launch .steady { fill: #e15759; }
            .timeline .tier .steady { fill: #76b7b2; }
            .timeline .tier-p2p .steady { fill: #edc948; }
            .timeline .k1 .steady { fill: #f28e2b; } .timeline .k1 .fill, .timeline .k1 .drain { fill: #f8c08c; }
            .timeline .k2 .steady { fill: #59a14f; } .timeline .k2 .fill, .timeline .k2 .drain { fill: #a8d3a1; }
            .timeline .k3 .steady { fill: #b07aa1; } .timeline .k3 .fill, .timeline .k3 .drain { fill: #d9bcd0; }
            .timeline .k4 .steady { fill: #9c755f; } .timeline .k4 .fill, .timeline .k4 .drain { fill: #cfb8aa; }
            .lifetimes .buffer { fill: #4e79a7; }
            .lifetimes .buffer.tier-ddr { fill: #f28e2b; }
            .lifetimes .buffer.tier-host { fill: #b07aa1; }
            .lifetimes .buffer.read-only { fill-opacity: 0.55; }
            .steps .model { fill: none; stroke: #4e79a7; stroke-width: 1.5; }
            .steps .sample { fill: #e15759; }
            """;

    private HtmlReport() {
    }

    public static String render(RunReport r) {
        StringBuilder s = new StringBuilder(64 * 1024);
        TimingResult t = r.timing();
        String title = "Emulator run of " + r.program() + " on " + r.target().name();
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        s.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        s.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        s.append("<meta name=\"generator\" content=\"").append(Svg.escape(r.tool())).append("\">\n");
        s.append("<title>").append(Svg.escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n");
        s.append("</head>\n<body>\n<header>\n<h1>").append(Svg.escape(title)).append("</h1>\n");
        s.append(meta(r.file() + " \u00b7 " + t.sockets() + (t.gpu() ? " GPU" : " socket") + (t.sockets() == 1 ? "" : "s")
                + " \u00b7 " + t.orchestration().name().toLowerCase(Locale.ROOT) + " orchestration"
                + (t.unfused() ? " \u00b7 unfused (every operator its own kernel)" : "")));
        s.append(meta("target " + r.target().name() + " (" + r.target().kind() + "), profile " + r.target().source()
                + ", sha256 " + r.target().contentHash()));
        s.append(meta(r.tool()));
        s.append("<nav><a href=\"#summary\">Summary</a><a href=\"#roofline\">Roofline</a><a href=\"#timeline\">Timeline</a>"
                + "<a href=\"#placement\">Placement</a><a href=\"#memory\">Memory plan</a></nav>\n</header>\n");
        summary(s, r);
        s.append("<section id=\"roofline\">\n<h2>Roofline</h2>\n<p class=\"note\">Per socket: each kernel at its"
                + " emulated off-chip intensity and achieved FLOP/s; the compute roof and one memory roof per tier"
                + " from the target profile.</p>\n<figure>\n").append(RooflineChart.render(r.roofs(), t.kernels()))
                .append("</figure>\n</section>\n");
        s.append("<section id=\"timeline\">\n<h2>Timeline</h2>\n<p class=\"note\">")
                .append(r.steps().isPresent() ? "The first step. " : "")
                .append("The tracks of the Chrome trace (<code>--trace</code>): launch overheads, memory tiers and kernels"
                        + " per socket; fill and drain lighter. Hover for figures.</p>\n<figure>\n")
                .append(TimelineChart.render(t)).append("</figure>\n</section>\n");
        placements(s, r);
        s.append("<section id=\"memory\">\n<h2>Memory plan</h2>\n");
        if (r.memory().isPresent()) {
            s.append(MemorySection.render(r.memory().get()));
        } else {
            s.append("<p class=\"note\">The static memory plan models an RDU; target ").append(Svg.escape(r.target().name()))
                    .append(" is not one.</p>\n");
        }
        s.append("</section>\n<footer><p class=\"note\">").append(Svg.escape(r.tool()))
                .append(": self-contained, nothing here loads from the network.</p></footer>\n</body>\n</html>\n");
        return s.toString();
    }

    private static String meta(String text) {
        return "<p class=\"meta\">" + Svg.escape(text) + "</p>\n";
    }

    private static void summary(StringBuilder s, RunReport r) {
        TimingResult t = r.timing();
        s.append("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n");
        card(s, Units.seconds(t.totalSeconds()), t.staticEstimate() != null && !t.gpu()
                ? "emulated; static estimate " + t.staticEstimate().formatSeconds() + " without launches" : "emulated");
        card(s, Long.toString(t.launches()), "launches, overhead " + Units.seconds(t.launchOverheadSeconds()) + " ("
                + Units.percent(t.totalSeconds() > 0 ? t.launchOverheadSeconds() / t.totalSeconds() : 0) + ")");
        if (!t.gpu()) {
            card(s, Units.seconds(t.collectiveLatencySeconds()), "collective hop latency");
        }
        t.tokensPerSecond().ifPresent(v -> card(s, tokens(v), "tokens per second (" + t.tokens() + " per run)"));
        card(s, Units.percent(t.pcuUtilisation()), t.gpu() ? "of peak FLOP/s" : "PCU use");
        if (!t.gpu()) {
            card(s, Units.percent(t.pmuUtilisation()), "PMU use (stage buffers)");
        }
        s.append("</div>\n");
        r.steps().ifPresent(m -> steps(s, m));
        kernels(s, t);
        bandwidth(s, t);
        s.append("</section>\n");
    }

    /** {@code 446.6}; {@code 1,134,900} for a prefill's thousands. */
    private static String tokens(double perSecond) {
        return String.format(Locale.ROOT, perSecond >= 1000 ? "%,.0f" : "%.1f", perSecond);
    }

    private static void card(StringBuilder s, String value, String what) {
        s.append("<div class=\"card\"><div class=\"value\">").append(Svg.escape(value)).append("</div><div class=\"what\">")
                .append(Svg.escape(what)).append("</div></div>\n");
    }

    private static void steps(StringBuilder s, DecodeSteps.Result m) {
        s.append("<h3>Steps</h3>\n<p>").append(m.count()).append(" steps back to back");
        m.constant().ifPresent(c -> s.append(", ").append(Svg.escape(c)).append(" = ").append(m.firstValue()).append(" to ")
                .append(m.firstValue() + m.count() - 1));
        s.append(": ").append(Units.seconds(m.totalSeconds())).append(" in all");
        m.tokensPerSecond().ifPresent(v -> s.append(", " + tokens(v) + " tokens per second (" + m.tokens() + " tokens)"));
        s.append(". The first step is the run shown below (it pays the program loads).</p>\n");
        if (m.later().isPresent() && m.constant().isPresent()) {
            StepModel later = m.later().get();
            s.append("<p class=\"note\">Later steps: ").append(later.isEveryValue() ? "every step emulated"
                    : String.format(Locale.ROOT, "piecewise linear through %d emulated steps, estimated error %.2g%%",
                            later.samples().size(), 100 * later.estimatedMaxRelativeError()))
                    .append(".</p>\n<figure>\n").append(StepChart.render(later, m.constant().get())).append("</figure>\n");
        }
    }

    private static void kernels(StringBuilder s, TimingResult t) {
        s.append("<h3>Kernels</h3>\n<table class=\"kernels\">\n<thead><tr><th>kernel</th><th>launches</th><th>time</th>"
                + "<th>share</th><th>bound</th><th>FLOPs per socket</th><th>intensity (FLOP/B)</th>"
                + "<th>achieved per socket</th></tr></thead>\n<tbody>\n");
        for (TimingResult.KernelTotal k : t.kernels()) {
            s.append("<tr><td>").append(Svg.escape(k.kernel())).append("</td>");
            number(s, Long.toString(k.launches()));
            number(s, Units.seconds(k.seconds()));
            number(s, Units.percent(t.totalSeconds() > 0 ? k.seconds() / t.totalSeconds() : 0));
            s.append("<td>").append(Svg.escape(k.bound())).append("</td>");
            number(s, Sizes.flops(k.flops()));
            number(s, Sizes.intensity(k.intensity()));
            number(s, Units.si(k.flopsPerSecond(), "FLOP/s"));
            s.append("</tr>\n");
        }
        s.append("</tbody>\n</table>\n");
    }

    private static void number(StringBuilder s, String v) {
        s.append("<td class=\"number\">").append(Svg.escape(v)).append("</td>");
    }

    private static void bandwidth(StringBuilder s, TimingResult t) {
        s.append("<h3>Bandwidth</h3>\n<p class=\"note\">Bytes moved per socket over the whole run, as a fraction of"
                + " each tier's peak.</p>\n<table class=\"bandwidth\">\n");
        for (Map.Entry<MemoryChannel, Double> e : t.bandwidthFraction().entrySet()) {
            double f = e.getValue();
            s.append("<tr><th>").append(e.getKey() == MemoryChannel.P2P ? "P2P link" : e.getKey().name())
                    .append("</th><td class=\"bar\"><span style=\"width:").append(Svg.n(Math.min(100, 100 * f)))
                    .append("%\"></span></td><td>").append(Units.percent(f)).append(" of peak</td></tr>\n");
        }
        s.append("</table>\n");
    }

    private static void placements(StringBuilder s, RunReport r) {
        s.append("<section id=\"placement\">\n<h2>Placement</h2>\n");
        List<Placement> placements = r.placements();
        if (placements.isEmpty()) {
            s.append("<p class=\"note\">").append(r.target().kind().equals("rdu") ? "No kernel to place."
                    : "Placement models an RDU; target " + Svg.escape(r.target().name()) + " is not one.").append("</p>\n");
        } else {
            s.append("<p class=\"note\">The kernels with the most emulated time (at most ").append(RunReport.MAX_PLACEMENTS)
                    .append("), each placed on one socket's PCUs and PMUs as <code>dfk place</code> does.</p>\n");
        }
        for (Placement p : placements) {
            s.append("<figure>\n<figcaption>").append(Svg.escape(String.format(Locale.ROOT,
                    "%s: %s of the PCUs, %s of the PMUs, %s crossing the dies per run", p.kernel(),
                    Units.percent(p.pcuUtilisation()), Units.percent(p.pmuUtilisation()),
                    Units.si(p.dieCrossingBytes(), "B")))).append("</figcaption>\n")
                    .append(PlacementSvg.render(p)).append("</figure>\n");
        }
        s.append("</section>\n");
    }
}
