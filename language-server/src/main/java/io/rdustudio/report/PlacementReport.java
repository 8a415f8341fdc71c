package io.rdustudio.report;

import java.io.PrintWriter;
import java.util.Locale;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.rdustudio.core.analysis.placement.Placement;
import io.rdustudio.core.analysis.placement.PlacementJson;

/**
 * {@code dfk place}: a kernel mapped onto the two-die mesh. Utilisation, each stage's and buffer's
 * units, the longest routes, the most loaded links and the traffic between the dies. The JSON is the
 * header fields, the placement as {@link PlacementJson} writes it under {@code placement} (its
 * diagnostics moved to the top-level {@code diagnostics}) and {@code svg} when one was written.
 */
public final class PlacementReport {

    private PlacementReport() {
    }

    public static void text(AnalysisHeader header, Placement p, String svgFile, PrintWriter out) {
        out.println(header.textLine("place"));
        out.printf(Locale.ROOT, "%nkernel %s on %d dies of %d x %d: PCUs %.1f%% of %d, PMUs %.1f%% of %d%n",
                p.kernel(), p.dies(), p.columnsPerDie(), p.rows(), 100 * p.pcuUtilisation(), p.pcusAvailable(),
                100 * p.pmuUtilisation(), p.pmusAvailable());
        out.printf(Locale.ROOT, "pipeline: %s per kernel run; wire length %.3g byte-hops (row-major %.3g, random %.3g)%n",
                seconds(p.pipelineSeconds()), p.wireLengthByteHops(), p.rowMajorByteHops(), p.randomByteHops());
        out.println();
        String format = "  %-24s %-4s %-10s %6s %6s  %s%n";
        out.println("allocation:");
        out.printf(Locale.ROOT, format, "stage or buffer", "unit", "operator", "units", "line", "needs");
        for (Placement.Group g : p.groups()) {
            String needs = g.kind() == Placement.UnitKind.PCU ? AnalysisHeader.flops(g.work()).replace("FLOP", "op")
                    : AnalysisHeader.binaryBytes(g.bytes()) + ", " + g.unitsForCapacity() + " for capacity, "
                            + g.unitsForBandwidth() + " for bandwidth";
            out.printf(Locale.ROOT, format, g.name(), g.kind(), g.operator(), g.units(), g.line(), needs);
        }
        out.println();
        out.println("longest routes:");
        for (Placement.Route r : p.longestRoutes()) {
            out.printf(Locale.ROOT, "  %s (%d,%d) -> %s (%d,%d): %d hops, %s%s%n", r.from(), r.fromX(), r.fromY(), r.to(),
                    r.toX(), r.toY(), r.hops(), AnalysisHeader.bytes(r.bytes()), r.crossesDies() ? ", crosses dies" : "");
        }
        out.println("most loaded links:");
        for (Placement.LinkLoad l : p.mostLoadedLinks()) {
            out.printf(Locale.ROOT, "  (%d,%d) -> (%d,%d)%s: %s per run, %.1f%% of its bandwidth%n", l.x1(), l.y1(),
                    l.x2(), l.y2(), l.dieToDie() ? " die-to-die" : "", AnalysisHeader.bytes(l.bytes()), 100 * l.load());
        }
        out.printf(Locale.ROOT, "die crossing: %s per run, %s/s of %s/s die-to-die%n",
                AnalysisHeader.bytes(p.dieCrossingBytes()), AnalysisHeader.bytes(p.dieCrossingBytesPerSecond()),
                AnalysisHeader.bytes(p.dieToDieBytesPerSecond()));
        if (svgFile != null) {
            out.println("wrote " + svgFile);
        }
        if (!p.diagnostics().isEmpty()) {
            out.println();
            p.diagnostics().forEach(d -> out.println(header.diagnosticLine(d)));
        }
        out.flush();
    }

    public static String json(AnalysisHeader header, Placement p, String svgFile) {
        JsonObject root = header.jsonRoot("place");
        JsonObject json = JsonParser.parseString(PlacementJson.toJson(p)).getAsJsonObject();
        json.remove("diagnostics");
        root.add("placement", json);
        if (svgFile != null) {
            root.addProperty("svg", svgFile);
        }
        root.add("diagnostics", header.diagnosticsJson(p.diagnostics()));
        return AnalysisHeader.pretty(root);
    }

    private static String seconds(double s) {
        return new io.rdustudio.core.analysis.cost.Estimate(s, s, s).formatSeconds().replaceAll(" \\(.*\\)$", "");
    }
}
