package io.rdustudio.report;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.rdustudio.emulator.numeric.NumericRun;
import io.rdustudio.emulator.numeric.Tensor;
import io.rdustudio.emulator.timing.TimingResult;

/**
 * The JSON of an emulated run, as {@code dfk run --format json} prints it and {@code dfk/run}
 * answers: the header, the timing summary ({@link TimingSummary}) and, after a numerical run, the
 * seed, the kernel calls, min/max/mean of every output and state tensor and the first non-finite
 * value.
 */
public final class RunReport {

    private RunReport() {
    }

    /**
     * @param numeric the numerical run, null for a timed run only
     * @param fileOf  where each output tensor was written, by name; null when none was
     */
    public static JsonObject json(AnalysisHeader header, TimingResult timing, NumericRun.Result numeric, long seed,
            Function<String, Path> fileOf) {
        JsonObject json = header.jsonRoot("run");
        json.add("timing", TimingSummary.json(timing));
        if (numeric == null) {
            return json;
        }
        json.addProperty("seed", seed);
        json.addProperty("kernelCalls", numeric.kernelCalls());
        JsonArray tensors = new JsonArray();
        for (Map.Entry<String, Tensor> e : outputsAndStates(numeric).entrySet()) {
            JsonObject t = stats(e.getValue());
            t.addProperty("name", e.getKey());
            if (fileOf != null) {
                t.addProperty("file", fileOf.apply(e.getKey()).toString());
            }
            tensors.add(t);
        }
        json.add("outputs", tensors);
        numeric.firstNonFinite().ifPresent(nf -> json.addProperty("firstNonFinite", nf.message()));
        return json;
    }

    /** The output tensors, then the state tensors, each in declaration order. */
    public static Map<String, Tensor> outputsAndStates(NumericRun.Result numeric) {
        Map<String, Tensor> all = new LinkedHashMap<>(numeric.outputs());
        all.putAll(numeric.states());
        return all;
    }

    /** A tensor's type, min, max and mean (zeros for an empty tensor). */
    public static JsonObject stats(Tensor t) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < t.size(); i++) {
            double v = t.get(i);
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        JsonObject s = new JsonObject();
        s.addProperty("type", t.type().toString());
        s.addProperty("min", t.size() == 0 ? 0 : min);
        s.addProperty("max", t.size() == 0 ? 0 : max);
        s.addProperty("mean", t.size() == 0 ? 0 : sum / t.size());
        return s;
    }

    /** Tensor and kernel names may hold characters a file name should not (instance names {@code k<T=4>}). */
    public static String safeFileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
