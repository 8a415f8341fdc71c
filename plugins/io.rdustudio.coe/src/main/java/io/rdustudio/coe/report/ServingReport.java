package io.rdustudio.coe.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.rdustudio.coe.LatencySummary;
import io.rdustudio.coe.RequestRecord;
import io.rdustudio.coe.ServingResult;
import io.rdustudio.coe.Units;
import io.rdustudio.core.diag.Diagnostic;

/** A serving simulation as text (terminals), JSON (tools) and a self-contained HTML report with charts. */
public final class ServingReport {

    /** Most requests drawn in the HTML report's scatter plot; more are thinned evenly. */
    static final int MAX_SCATTER_POINTS = 2000;

    private ServingReport() {
    }

    // ---- text ----

    public static String text(ServingResult r) {
        StringBuilder s = new StringBuilder();
        s.append("Serving simulation of '").append(r.deployment()).append("', workload '").append(r.workload()).append("' on ")
                .append(r.platform()).append(" (seed ").append(r.seed()).append(")\n");
        s.append("  ").append(Units.count(r.requests().size())).append(" requests in ").append(Units.count(r.batches()))
                .append(" batches (batch size ").append(r.batchSize()).append(", mean ")
                .append(String.format(Locale.ROOT, "%.2f", r.meanBatchSize())).append(" prompts), prefetch ")
                .append(r.prefetch() ? "on" : "off").append('\n');
        s.append(FootprintReport.text(r.footprint()).indent(2));
        s.append("  expert switches copy at ").append(r.copyFigure()).append("\n\n");
        s.append(String.format(Locale.ROOT, "  %-12s %10s %10s %10s %10s %10s%n", "latency", "mean", "p50", "p90", "p99", "max"));
        row(s, "end to end", r.latency());
        row(s, "queueing", r.queueing());
        row(s, "router", r.router());
        row(s, "switch", r.switching());
        row(s, "execution", r.execution());
        row(s, "first token", r.firstToken());
        s.append('\n');
        s.append(String.format(Locale.ROOT, "  throughput   %.3g requests/s, %.4g output tokens/s over %s%n", r.requestsPerSecond(),
                r.outputTokensPerSecond(), Units.seconds(r.makespanSeconds())));
        s.append(String.format(Locale.ROOT, "  HBM cache    hit rate %.1f%% (%s of %s); %s copies, %s copied, %s evictions "
                + "(read-only: nothing copied back)%n", 100 * r.hitRate(), Units.count(r.hits()), Units.count(r.requests().size()),
                Units.count(r.copies()), Units.bytes(r.bytesCopied()), Units.count(r.evictions())));
        for (Diagnostic d : r.notes()) {
            s.append("  note: ").append(d.message()).append('\n');
        }
        if (!r.complete()) {
            s.append("  INCOMPLETE: cancelled; the figures cover the ").append(Units.count(r.requests().size()))
                    .append(" requests served so far\n");
        }
        return s.toString();
    }

    /**
     * Several simulations of one deployment (its workloads) side by side, one column each: batch,
     * latency percentiles and split, throughput, the HBM cache. One simulation gets {@link #text(ServingResult)}.
     */
    public static String text(List<ServingResult> results) {
        if (results.size() == 1) {
            return text(results.get(0));
        }
        List<String[]> rows = comparison(results);
        int width = 10;
        for (ServingResult r : results) {
            width = Math.max(width, r.workload().length());
        }
        for (String[] row : rows) {
            for (int i = 1; i < row.length; i++) {
                width = Math.max(width, row[i].length());
            }
        }
        ServingResult first = results.get(0);
        StringBuilder s = new StringBuilder();
        s.append("Serving simulations of '").append(first.deployment()).append("' on ").append(first.platform()).append(": ")
                .append(results.size()).append(" workloads side by side (--workload NAME for one in full)\n");
        String cell = " %" + width + "s";
        s.append(String.format(Locale.ROOT, "  %-18s", ""));
        results.forEach(r -> s.append(String.format(Locale.ROOT, cell, r.workload())));
        s.append('\n');
        for (String[] row : rows) {
            s.append(String.format(Locale.ROOT, "  %-18s", row[0]));
            for (int i = 1; i < row.length; i++) {
                s.append(String.format(Locale.ROOT, cell, row[i]));
            }
            s.append('\n');
        }
        for (ServingResult r : results) {
            for (Diagnostic d : r.notes()) {
                s.append("  note (").append(r.workload()).append("): ").append(d.message()).append('\n');
            }
            if (!r.complete()) {
                s.append("  INCOMPLETE (").append(r.workload()).append("): cancelled after ")
                        .append(Units.count(r.requests().size())).append(" requests\n");
            }
        }
        return s.toString();
    }

    /** The rows of the side-by-side table: a label, then one cell per simulation. */
    private static List<String[]> comparison(List<ServingResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(cells("batch size", results, r -> Integer.toString(r.batchSize())));
        rows.add(cells("requests", results, r -> Units.count(r.requests().size())));
        rows.add(cells("seed", results, r -> Long.toString(r.seed())));
        rows.add(cells("latency p50", results, r -> Units.seconds(r.latency().p50Seconds())));
        rows.add(cells("latency p90", results, r -> Units.seconds(r.latency().p90Seconds())));
        rows.add(cells("latency p99", results, r -> Units.seconds(r.latency().p99Seconds())));
        rows.add(cells("mean queueing", results, r -> Units.seconds(r.queueing().meanSeconds())));
        rows.add(cells("mean router", results, r -> Units.seconds(r.router().meanSeconds())));
        rows.add(cells("mean switch", results, r -> Units.seconds(r.switching().meanSeconds())));
        rows.add(cells("mean execution", results, r -> Units.seconds(r.execution().meanSeconds())));
        rows.add(cells("first token p50", results, r -> Units.seconds(r.firstToken().p50Seconds())));
        rows.add(cells("requests/s", results, r -> String.format(Locale.ROOT, "%.3g", r.requestsPerSecond())));
        rows.add(cells("output tokens/s", results, r -> String.format(Locale.ROOT, "%.4g", r.outputTokensPerSecond())));
        rows.add(cells("HBM hit rate", results, r -> String.format(Locale.ROOT, "%.1f%%", 100 * r.hitRate())));
        rows.add(cells("HBM cache holds", results, r -> r.footprint().nodes().stream()
                .map(n -> n.cacheHolds() + " of " + n.cachedModels()).collect(Collectors.joining(", "))));
        rows.add(cells("copied", results, r -> Units.bytes(r.bytesCopied())));
        return rows;
    }

    private static String[] cells(String label, List<ServingResult> results, Function<ServingResult, String> f) {
        String[] row = new String[results.size() + 1];
        row[0] = label;
        for (int i = 0; i < results.size(); i++) {
            row[i + 1] = f.apply(results.get(i));
        }
        return row;
    }

    private static void row(StringBuilder s, String name, LatencySummary l) {
        s.append(String.format(Locale.ROOT, "  %-12s %10s %10s %10s %10s %10s%n", name, Units.seconds(l.meanSeconds()),
                Units.seconds(l.p50Seconds()), Units.seconds(l.p90Seconds()), Units.seconds(l.p99Seconds()),
                Units.seconds(l.maxSeconds())));
    }

    // ---- JSON ----

    /** @param withRequests include one entry per request (large for long runs) */
    public static JsonObject json(ServingResult r, boolean withRequests) {
        JsonObject o = new JsonObject();
        o.addProperty("deployment", r.deployment());
        o.addProperty("platform", r.platform());
        o.addProperty("workload", r.workload());
        o.addProperty("seed", r.seed());
        o.addProperty("batchSize", r.batchSize());
        o.addProperty("prefetch", r.prefetch());
        o.addProperty("complete", r.complete());
        o.addProperty("copyBandwidth", r.copyFigure());
        o.addProperty("requests", r.requests().size());
        o.addProperty("batches", r.batches());
        JsonObject latency = new JsonObject();
        latency.add("endToEnd", Json.latency(r.latency()));
        latency.add("queueing", Json.latency(r.queueing()));
        latency.add("router", Json.latency(r.router()));
        latency.add("switch", Json.latency(r.switching()));
        latency.add("execution", Json.latency(r.execution()));
        latency.add("firstToken", Json.latency(r.firstToken()));
        o.add("latencySeconds", latency);
        o.addProperty("makespanSeconds", r.makespanSeconds());
        o.addProperty("requestsPerSecond", r.requestsPerSecond());
        o.addProperty("outputTokensPerSecond", r.outputTokensPerSecond());
        JsonObject cache = new JsonObject();
        cache.addProperty("hits", r.hits());
        cache.addProperty("hitRate", r.hitRate());
        cache.addProperty("copies", r.copies());
        cache.addProperty("bytesCopied", r.bytesCopied());
        cache.addProperty("evictions", r.evictions());
        o.add("hbmCache", cache);
        o.add("footprint", FootprintReport.json(r.footprint()));
        o.add("notes", Json.diagnostics(r.notes()));
        if (withRequests) {
            JsonArray requests = new JsonArray();
            for (RequestRecord q : r.requests()) {
                JsonObject x = new JsonObject();
                x.addProperty("id", q.id());
                x.addProperty("arrivalSeconds", q.arrivalSeconds());
                x.addProperty("expert", q.expert());
                x.addProperty("node", q.node());
                x.addProperty("promptTokens", q.promptTokens());
                x.addProperty("outputTokens", q.outputTokens());
                x.addProperty("batch", q.batch());
                x.addProperty("hit", q.hit());
                x.addProperty("queueingSeconds", q.queueingSeconds());
                x.addProperty("routerSeconds", q.routerSeconds());
                x.addProperty("switchSeconds", q.switchSeconds());
                x.addProperty("executionSeconds", q.executionSeconds());
                x.addProperty("firstTokenSeconds", q.firstTokenSeconds());
                x.addProperty("latencySeconds", q.latencySeconds());
                requests.add(x);
            }
            o.add("perRequest", requests);
        }
        return o;
    }

    // ---- HTML ----

    /** A self-contained page: summary, latency distribution, where the time went, latency over time, memory. */
    public static String html(ServingResult r) {
        String title = "CoE serving: " + r.deployment() + " / " + r.workload() + " on " + r.platform();
        StringBuilder h = new StringBuilder();
        section(h, r, "h2");
        return page(title, h.toString());
    }

    /**
     * Several simulations of one deployment on one page: the side-by-side table, then each
     * simulation's section with its charts. One simulation gets {@link #html(ServingResult)}.
     */
    public static String html(List<ServingResult> results) {
        if (results.size() == 1) {
            return html(results.get(0));
        }
        ServingResult first = results.get(0);
        StringBuilder h = new StringBuilder();
        h.append("<table>\n<tr><th></th>");
        results.forEach(r -> h.append("<th>").append(Svg.escape(r.workload())).append("</th>"));
        h.append("</tr>\n");
        for (String[] row : comparison(results)) {
            h.append("<tr>");
            for (String cell : row) {
                h.append("<td>").append(Svg.escape(cell)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        for (ServingResult r : results) {
            h.append("<h2>Workload ").append(Svg.escape(r.workload())).append("</h2>\n");
            section(h, r, "h3");
        }
        return page("CoE serving: " + first.deployment() + ", " + results.size() + " workloads on " + first.platform(),
                h.toString());
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + Svg.escape(title)
                + "</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222;max-width:1000px}"
                + "table{border-collapse:collapse;margin:1em 0}td,th{padding:3px 10px;text-align:right;border-bottom:1px solid #ddd}"
                + "th:first-child,td:first-child{text-align:left}pre{background:#f6f6f6;padding:1em;overflow-x:auto}"
                + ".warn{color:#a04000}</style>\n</head>\n<body>\n<h1>" + Svg.escape(title) + "</h1>\n" + body
                + "</body>\n</html>\n";
    }

    /** One simulation: summary, latency table, three charts, memory; {@code heading} is the charts' heading tag. */
    private static void section(StringBuilder h, ServingResult r, String heading) {
        if (!r.complete()) {
            h.append("<p class=\"warn\">Incomplete: the simulation was cancelled; the figures cover the requests served so far.</p>\n");
        }
        h.append("<p>").append(Units.count(r.requests().size())).append(" requests, seed ").append(r.seed()).append(", batch size ")
                .append(r.batchSize()).append(", prefetch ").append(r.prefetch() ? "on" : "off").append(". Throughput ")
                .append(String.format(Locale.ROOT, "%.3g", r.requestsPerSecond())).append(" requests/s; HBM cache hit rate ")
                .append(String.format(Locale.ROOT, "%.1f%%", 100 * r.hitRate())).append(", ").append(Units.count(r.copies()))
                .append(" copies (").append(Units.bytes(r.bytesCopied())).append("). Switches copy at ")
                .append(Svg.escape(r.copyFigure())).append(".</p>\n");
        for (Diagnostic d : r.notes()) {
            h.append("<p class=\"warn\">").append(Svg.escape(d.message())).append("</p>\n");
        }
        h.append("<table>\n<tr><th>latency</th><th>mean</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr>\n");
        htmlRow(h, "end to end", r.latency());
        htmlRow(h, "queueing", r.queueing());
        htmlRow(h, "router", r.router());
        htmlRow(h, "switch", r.switching());
        htmlRow(h, "execution", r.execution());
        htmlRow(h, "first token", r.firstToken());
        h.append("</table>\n");
        String open = "<" + heading + ">";
        String close = "</" + heading + ">\n";
        h.append(open).append("Latency distribution").append(close).append(cdf(r));
        h.append(open).append("Where the time went").append(close).append(breakdown(r));
        h.append(open).append("Latency over time").append(close).append(scatter(r));
        h.append(open).append("Memory").append(close).append("<pre>").append(Svg.escape(FootprintReport.text(r.footprint())))
                .append("</pre>\n");
    }

    private static void htmlRow(StringBuilder h, String name, LatencySummary l) {
        h.append("<tr><td>").append(name).append("</td><td>").append(Units.seconds(l.meanSeconds())).append("</td><td>")
                .append(Units.seconds(l.p50Seconds())).append("</td><td>").append(Units.seconds(l.p90Seconds())).append("</td><td>")
                .append(Units.seconds(l.p99Seconds())).append("</td><td>").append(Units.seconds(l.maxSeconds()))
                .append("</td></tr>\n");
    }

    /** Cumulative distribution of end-to-end latency, log-scaled time. */
    static String cdf(ServingResult r) {
        Svg svg = new Svg(720, 300);
        double[] sorted = r.requests().stream().mapToDouble(RequestRecord::latencySeconds).sorted().toArray();
        if (sorted.length == 0) {
            return svg.text(360, 150, "middle", "note", "no requests").document("latency distribution");
        }
        Svg.Axis x = new Svg.Axis(Math.max(sorted[0], 1e-6), Math.max(sorted[sorted.length - 1], 2e-6), 80, 690, true);
        Svg.Axis y = new Svg.Axis(0, 1, 250, 20, false);
        svg.axes(x, y, Units::seconds, v -> String.format(Locale.ROOT, "%.0f%%", 100 * v), "end-to-end latency",
                "fraction of requests");
        List<double[]> points = new ArrayList<>();
        int step = Math.max(1, sorted.length / 500);
        for (int i = 0; i < sorted.length; i += step) {
            points.add(new double[] { x.at(sorted[i]), y.at((i + 1.0) / sorted.length) });
        }
        points.add(new double[] { x.at(sorted[sorted.length - 1]), y.at(1) });
        svg.polyline(points, Svg.PALETTE.get(0));
        int[] percentiles = { 50, 90, 99 };
        for (int i = 0; i < percentiles.length; i++) {
            double v = r.latency().at(percentiles[i]);
            svg.line(x.at(v), y.from, x.at(v), y.to, "stroke=\"#999\" stroke-dasharray=\"4 3\"");
            svg.text(x.at(v) - 3, y.to + 12 + 13 * i, "end", "small", "p" + percentiles[i] + " " + Units.seconds(v));
        }
        return svg.document("latency distribution");
    }

    /** The four parts of latency for the requests at the median, p90, p99 and the slowest: stacked bars. */
    static String breakdown(ServingResult r) {
        Svg svg = new Svg(720, 260);
        List<RequestRecord> byLatency = r.requests().stream()
                .sorted((a, b) -> Double.compare(a.latencySeconds(), b.latencySeconds())).toList();
        if (byLatency.isEmpty()) {
            return svg.text(360, 130, "middle", "note", "no requests").document("latency breakdown");
        }
        String[] names = { "queueing", "router", "switch", "execution" };
        int[] percentiles = { 50, 90, 99, 100 };
        double longest = byLatency.get(byLatency.size() - 1).latencySeconds();
        Svg.Axis x = new Svg.Axis(0, Math.max(longest, 1e-9), 120, 690, false);
        for (int i = 0; i < percentiles.length; i++) {
            int rank = (int) Math.ceil(percentiles[i] / 100.0 * byLatency.size());
            RequestRecord q = byLatency.get(Math.max(0, rank - 1));
            double[] parts = { q.queueingSeconds(), q.routerSeconds(), q.switchSeconds(), q.executionSeconds() };
            double y = 30 + i * 40;
            svg.text(110, y + 17, "end", "", percentiles[i] == 100 ? "slowest" : "p" + percentiles[i]);
            double at = 0;
            for (int k = 0; k < parts.length; k++) {
                svg.rect(x.at(at), y, x.at(at + parts[k]) - x.at(at), 26, Svg.PALETTE.get(k),
                        names[k] + " " + Units.seconds(parts[k]) + " (request " + q.id() + ", expert " + q.expert() + ")");
                at += parts[k];
            }
        }
        svg.xAxis(x, 200, Units::seconds, "seconds");
        for (int k = 0; k < names.length; k++) {
            svg.rect(130 + k * 130, 240, 12, 12, Svg.PALETTE.get(k), names[k]);
            svg.text(146 + k * 130, 250, "start", "small", names[k]);
        }
        return svg.document("latency breakdown");
    }

    /** Each request's latency against its arrival time; misses and hits coloured apart. */
    static String scatter(ServingResult r) {
        Svg svg = new Svg(720, 320);
        List<RequestRecord> all = r.requests();
        if (all.isEmpty()) {
            return svg.text(360, 150, "middle", "note", "no requests").document("latency over time");
        }
        double[] latencies = all.stream().mapToDouble(RequestRecord::latencySeconds).toArray();
        double lo = Arrays.stream(latencies).min().orElse(1e-6);
        double hi = Arrays.stream(latencies).max().orElse(1);
        double t0 = all.get(0).arrivalSeconds();
        double t1 = all.get(all.size() - 1).arrivalSeconds();
        Svg.Axis x = new Svg.Axis(t0, Math.max(t1, t0 + 1e-9), 80, 690, false);
        Svg.Axis y = new Svg.Axis(Math.max(lo, 1e-6), Math.max(hi, 2e-6), 250, 20, true);
        svg.axes(x, y, Units::seconds, Units::seconds, "arrival time", "latency");
        int step = Math.max(1, (all.size() + MAX_SCATTER_POINTS - 1) / MAX_SCATTER_POINTS);
        for (int i = 0; i < all.size(); i += step) {
            RequestRecord q = all.get(i);
            svg.circle(x.at(q.arrivalSeconds()), y.at(q.latencySeconds()), 2, q.hit() ? Svg.PALETTE.get(2) : Svg.PALETTE.get(1),
                    "request " + q.id() + ": " + Units.seconds(q.latencySeconds()) + (q.hit() ? " (hit)" : " (switch)"));
        }
        svg.circle(90, 305, 4, Svg.PALETTE.get(2), "hit").text(98, 309, "start", "small", "expert resident (hit)");
        svg.circle(250, 305, 4, Svg.PALETTE.get(1), "miss").text(258, 309, "start", "small", "expert copied in (miss)");
        if (step > 1) {
            svg.text(690, 309, "end", "note", "every " + step + "th request of " + Units.count(all.size()));
        }
        return svg.document("latency over time");
    }
}
