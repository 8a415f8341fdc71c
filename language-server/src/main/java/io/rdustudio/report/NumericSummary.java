package io.rdustudio.report;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.rdustudio.emulator.Emulation;
import io.rdustudio.emulator.numeric.NumericRun;
import io.rdustudio.emulator.numeric.Tensor;

/**
 * The numerical half of a {@code dfk run} report: kernel calls, seed, every output and state
 * tensor with its type, minimum, maximum and mean (and the file it was written to), and the first
 * operator that produced a non-finite value.
 */
public final class NumericSummary {

    private NumericSummary() {
    }

    /** @param out the folder the tensors were written to, if any */
    public static void text(NumericRun.Result result, long seed, Optional<Path> out, PrintWriter stdout) {
        stdout.println("numerical run: " + result.kernelCalls() + " kernel calls, seed " + seed);
        for (Map.Entry<String, Tensor> e : tensors(result).entrySet()) {
            Stats s = Stats.of(e.getValue());
            stdout.printf(Locale.ROOT, "  %-16s %-24s min %.6g  max %.6g  mean %.6g%s%n", e.getKey(), e.getValue().type(),
                    s.min(), s.max(), s.mean(), out.map(d -> "  -> " + file(d, e.getKey())).orElse(""));
        }
        stdout.println("first non-finite value: " + result.firstNonFinite().map(nf -> nf.message()).orElse("none"));
    }

    /** Adds {@code seed}, {@code kernelCalls}, {@code outputs} and, if any, {@code firstNonFinite} to {@code json}. */
    public static void json(NumericRun.Result result, long seed, Optional<Path> out, JsonObject json) {
        json.addProperty("seed", seed);
        json.addProperty("kernelCalls", result.kernelCalls());
        JsonArray tensors = new JsonArray();
        for (Map.Entry<String, Tensor> e : tensors(result).entrySet()) {
            Stats s = Stats.of(e.getValue());
            JsonObject t = new JsonObject();
            t.addProperty("name", e.getKey());
            t.addProperty("type", e.getValue().type().toString());
            t.add("min", AnalysisHeader.number(s.min()));
            t.add("max", AnalysisHeader.number(s.max()));
            t.add("mean", AnalysisHeader.number(s.mean()));
            out.ifPresent(d -> t.addProperty("file", file(d, e.getKey()).toString()));
            tensors.add(t);
        }
        json.add("outputs", tensors);
        result.firstNonFinite().ifPresent(nf -> json.addProperty("firstNonFinite", nf.message()));
    }

    private static Map<String, Tensor> tensors(NumericRun.Result result) {
        Map<String, Tensor> all = new LinkedHashMap<>(result.outputs());
        all.putAll(result.states());
        return all;
    }

    private static Path file(Path folder, String tensor) {
        return folder.resolve(Emulation.npyFileName(tensor));
    }

    /** Minimum, maximum and mean of a tensor's elements; zeros for an empty tensor. */
    private record Stats(double min, double max, double mean) {
        static Stats of(Tensor t) {
            if (t.size() == 0) {
                return new Stats(0, 0, 0);
            }
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int i = 0; i < t.size(); i++) {
                double v = t.get(i);
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            return new Stats(min, max, sum / t.size());
        }
    }
}
