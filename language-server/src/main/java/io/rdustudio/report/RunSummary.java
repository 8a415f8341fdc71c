package io.rdustudio.report;

import java.nio.file.Path;
import java.util.Optional;

import com.google.gson.JsonObject;

import io.rdustudio.emulator.Emulation;

/**
 * The JSON of an emulated run, as {@code dfk run --format json} prints it and the language server's
 * {@code dfk/run} answers: the header, the timing summary, the steps of a multi-step run and the
 * numerical run's summary.
 */
public final class RunSummary {

    private RunSummary() {
    }

    /** @param outFolder where the output tensors were written, if anywhere */
    public static JsonObject json(AnalysisHeader header, Emulation.Result result, long seed, Optional<Path> outFolder) {
        JsonObject json = header.jsonRoot("run");
        json.add("timing", TimingSummary.json(result.timing()));
        result.steps().ifPresent(m -> json.add("steps", TimingSummary.json(m)));
        result.numeric().ifPresent(n -> NumericSummary.json(n, seed, outFolder, json));
        return json;
    }
}
