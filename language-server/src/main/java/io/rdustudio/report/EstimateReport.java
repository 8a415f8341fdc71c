package io.rdustudio.report;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.cost.CallCost;
import io.rdustudio.core.analysis.cost.Estimate;
import io.rdustudio.core.analysis.cost.KernelCost;
import io.rdustudio.core.analysis.cost.MemoryChannel;
import io.rdustudio.core.analysis.cost.ProgramCost;
import io.rdustudio.core.analysis.fusion.FusionHint;
import io.rdustudio.core.analysis.fusion.FusionLevel;
import io.rdustudio.core.analysis.fusion.FusionReport;
import io.rdustudio.core.ir.SourceLocation;

/**
 * {@code dfk estimate}: one row per kernel call site of the schedule (a call in a loop runs once
 * per iteration: its launches are the trip counts multiplied), with the FLOPs and the bytes per
 * tier of one launch, the intensity, the roofline time of one launch with its error band and the
 * term that bounds it; then the whole schedule's total. With {@code --fusion}: the three fusion
 * levels and the hints. Nothing is computed here; it is {@link ProgramAnalysis}'s result, rendered.
 *
 * <p>JSON fields (only ever added): {@code tool}, {@code command}, {@code target}, {@code file},
 * {@code calls[]} ({@code kernel}, {@code file}, {@code line}, {@code column}, {@code launches},
 * {@code flopsPerLaunch}, {@code bytesPerLaunch{SRAM,HBM,DDR,HOST,P2P}}, {@code intensity} (null when
 * infinite), {@code secondsPerLaunch{nominal,low,high}}, {@code seconds{...}} for all launches,
 * {@code bound}), {@code total}, {@code fusion} (with {@code --fusion}), {@code diagnostics[]}.
 */
public final class EstimateReport {

    private static final MemoryChannel[] TIERS = { MemoryChannel.HBM, MemoryChannel.DDR, MemoryChannel.HOST,
            MemoryChannel.P2P };

    private EstimateReport() {
    }

    /** The call sites {@code kernelFilter} accepts (by kernel instance name), in schedule order. */
    static List<CallCost> calls(ProgramAnalysis.Result result, Predicate<String> kernelFilter) {
        return result.cost().map(ProgramCost::calls).orElse(List.of()).stream()
                .filter(c -> kernelFilter.test(c.kernel())).toList();
    }

    public static void text(AnalysisHeader header, ProgramAnalysis.Result result, Predicate<String> kernelFilter,
            boolean fusion, PrintWriter out) {
        out.println(header.textLine("estimate"));
        List<CallCost> calls = calls(result, kernelFilter);
        int kernelWidth = calls.stream().mapToInt(c -> c.kernel().length()).max().orElse(0);
        int placeWidth = calls.stream().mapToInt(c -> header.place(c.location()).length()).max().orElse(0);
        String format = "%-" + Math.max(6, kernelWidth) + "s  %-" + Math.max(2, placeWidth)
                + "s %8s %12s %10s %10s %10s %10s %8s  %-22s %-22s %s%n";
        out.println();
        out.printf(Locale.ROOT, format, "kernel", "at", "launches", "FLOPs", "HBM", "DDR", "host", "P2P", "FLOP/B",
                "time per launch", "time, all launches", "bound");
        for (CallCost c : calls) {
            KernelCost k = c.perCall();
            out.printf(Locale.ROOT, format, c.kernel(), header.place(c.location()), c.calls(),
                    AnalysisHeader.flops(k.flops()), AnalysisHeader.bytes(k.bytes(MemoryChannel.HBM)),
                    AnalysisHeader.bytes(k.bytes(MemoryChannel.DDR)), AnalysisHeader.bytes(k.bytes(MemoryChannel.HOST)),
                    AnalysisHeader.bytes(k.bytes(MemoryChannel.P2P)), AnalysisHeader.intensity(k.intensity()),
                    k.time().formatSeconds(), c.totalTime().formatSeconds(), k.bound().label());
        }
        Totals t = Totals.of(calls);
        out.print(String.format(Locale.ROOT, format, "total", "", t.launches, AnalysisHeader.flops(t.flops),
                AnalysisHeader.bytes(t.bytes[0]), AnalysisHeader.bytes(t.bytes[1]), AnalysisHeader.bytes(t.bytes[2]),
                AnalysisHeader.bytes(t.bytes[3]), AnalysisHeader.intensity(t.intensity()), "", t.time.formatSeconds(),
                "").stripTrailing() + System.lineSeparator());
        out.println("(bytes per launch on each tier; times nominal (optimistic-pessimistic); launch overheads not included)");
        if (fusion) {
            result.fusion().ifPresent(f -> fusionText(header, f, out));
        }
        diagnosticsText(header, result, out);
        out.flush();
    }

    private static void fusionText(AnalysisHeader header, FusionReport f, PrintWriter out) {
        out.println();
        out.println("fusion levels (whole schedule):");
        String format = "  %-16s %9s %12s %10s %24s%n";
        out.printf(Locale.ROOT, format, "level", "launches", "HBM", "FLOP/B", "time");
        for (FusionLevel level : List.of(f.unfused(), f.asWritten(), f.largest())) {
            out.printf(Locale.ROOT, format, level.name(), level.launches(),
                    AnalysisHeader.bytes(level.bytesByChannel().getOrDefault(MemoryChannel.HBM, 0.0)),
                    AnalysisHeader.intensity(level.intensity()), level.time().formatSeconds());
        }
        out.println();
        if (f.hints().isEmpty()) {
            out.println("fusion hints: none (the schedule's kernels are already the largest legal fusion)");
        } else {
            out.println("fusion hints:");
            for (FusionHint h : f.hints()) {
                out.println("  " + header.place(h.callLocations().get(0)) + ": hint: " + h.message());
                out.println("    " + h.edit());
            }
        }
        if (!f.stops().isEmpty()) {
            out.println("merges refused:");
            f.stops().forEach(s -> out.println("  " + header.place(s.location()) + ": " + s.before() + " + "
                    + s.after() + ": " + s.reason()));
        }
    }

    static void diagnosticsText(AnalysisHeader header, ProgramAnalysis.Result result, PrintWriter out) {
        if (!result.diagnostics().isEmpty()) {
            out.println();
            result.diagnostics().forEach(d -> out.println(header.diagnosticLine(d)));
        }
        if (result.cancelled()) {
            out.println("(cancelled: the report is partial)");
        }
    }

    public static String json(AnalysisHeader header, ProgramAnalysis.Result result, Predicate<String> kernelFilter,
            boolean fusion) {
        JsonObject root = header.jsonRoot("estimate");
        JsonArray calls = new JsonArray();
        List<CallCost> selected = calls(result, kernelFilter);
        for (CallCost c : selected) {
            KernelCost k = c.perCall();
            JsonObject json = new JsonObject();
            json.addProperty("kernel", c.kernel());
            header.location(c.location()).entrySet().forEach(e -> json.add(e.getKey(), e.getValue()));
            json.addProperty("launches", c.calls());
            json.addProperty("flopsPerLaunch", k.flops());
            JsonObject bytes = new JsonObject();
            k.bytesTable().forEach((channel, b) -> bytes.addProperty(channel.name(), b));
            json.add("bytesPerLaunch", bytes);
            json.add("intensity", AnalysisHeader.number(k.intensity()));
            json.add("secondsPerLaunch", estimate(k.time()));
            json.add("seconds", estimate(c.totalTime()));
            json.addProperty("bound", k.bound().label());
            calls.add(json);
        }
        root.add("calls", calls);
        Totals t = Totals.of(selected);
        JsonObject total = new JsonObject();
        total.addProperty("launches", t.launches);
        total.addProperty("flops", t.flops);
        JsonObject bytes = new JsonObject();
        for (int i = 0; i < TIERS.length; i++) {
            bytes.addProperty(TIERS[i].name(), t.bytes[i]);
        }
        total.add("bytes", bytes);
        total.add("intensity", AnalysisHeader.number(t.intensity()));
        total.add("seconds", estimate(t.time));
        root.add("total", total);
        if (fusion) {
            result.fusion().ifPresent(f -> root.add("fusion", fusionJson(header, f)));
        }
        root.add("diagnostics", header.diagnosticsJson(result.diagnostics()));
        root.addProperty("cancelled", result.cancelled());
        return AnalysisHeader.pretty(root);
    }

    private static JsonObject fusionJson(AnalysisHeader header, FusionReport f) {
        JsonObject json = new JsonObject();
        JsonArray levels = new JsonArray();
        for (FusionLevel level : List.of(f.unfused(), f.asWritten(), f.largest())) {
            JsonObject l = new JsonObject();
            l.addProperty("name", level.name());
            l.addProperty("launches", level.launches());
            l.addProperty("flops", level.flops());
            l.addProperty("hbmBytes", level.bytesByChannel().getOrDefault(MemoryChannel.HBM, 0.0));
            l.addProperty("offChipBytes", level.offChipBytes());
            l.add("intensity", AnalysisHeader.number(level.intensity()));
            l.add("seconds", estimate(level.time()));
            levels.add(l);
        }
        json.add("levels", levels);
        JsonArray hints = new JsonArray();
        for (FusionHint h : f.hints()) {
            JsonObject hint = new JsonObject();
            JsonArray kernels = new JsonArray();
            h.kernels().forEach(kernels::add);
            hint.add("kernels", kernels);
            JsonArray places = new JsonArray();
            for (SourceLocation l : h.callLocations()) {
                places.add(header.location(l));
            }
            hint.add("calls", places);
            hint.addProperty("mergedName", h.mergedName());
            hint.add("intensityBefore", AnalysisHeader.number(h.intensityBefore()));
            hint.add("intensityAfter", AnalysisHeader.number(h.intensityAfter()));
            hint.addProperty("speedup", h.speedup());
            hint.addProperty("savedHbmBytes", h.savedHbmBytes());
            hint.addProperty("message", h.message());
            hint.addProperty("edit", h.edit());
            hints.add(hint);
        }
        json.add("hints", hints);
        return json;
    }

    static JsonObject estimate(Estimate e) {
        JsonObject json = new JsonObject();
        json.addProperty("nominal", e.nominal());
        json.addProperty("low", e.low());
        json.addProperty("high", e.high());
        json.addProperty("text", e.formatSeconds());
        return json;
    }

    /** The selected calls' totals over all their launches. */
    private record Totals(long launches, double flops, double[] bytes, double offChip, Estimate time) {

        static Totals of(List<CallCost> calls) {
            long launches = 0;
            double flops = 0;
            double offChip = 0;
            double[] bytes = new double[TIERS.length];
            Estimate time = Estimate.ZERO;
            for (CallCost c : calls) {
                launches += c.calls();
                flops += c.perCall().flops() * c.calls();
                offChip += c.perCall().offChipBytes() * c.calls();
                for (int i = 0; i < TIERS.length; i++) {
                    bytes[i] += c.perCall().bytes(TIERS[i]) * c.calls();
                }
                time = time.plus(c.totalTime());
            }
            return new Totals(launches, flops, bytes, offChip, time);
        }

        double intensity() {
            return offChip == 0 ? Double.POSITIVE_INFINITY : flops / offChip;
        }
    }
}
