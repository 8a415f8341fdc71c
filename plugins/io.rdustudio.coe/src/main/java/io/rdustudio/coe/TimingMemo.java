package io.rdustudio.coe;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

import io.rdustudio.coe.model.ModelTiming;

/**
 * Memoised model times: a request's prefill and whole generation per (model, prompt length, output
 * length), the router's run per (prompt length, batch). A sweep shares one memo over all its
 * points, so however slow the resolver's timing model, each distinct length pair is asked once
 * (the issue allows memoising per model, prompt length and output length).
 */
final class TimingMemo {

    private final Map<ModelTiming, Map<Long, double[]>> byModel = new IdentityHashMap<>();

    /** {prefill seconds, prefill plus all decode steps} of one request at batch 1. */
    double[] generation(ModelTiming model, int promptTokens, int outputTokens) {
        long key = ((long) promptTokens << 32) | outputTokens;
        return byModel.computeIfAbsent(model, m -> new HashMap<>()).computeIfAbsent(key, k -> new double[] {
                model.prefillSeconds(promptTokens, 1), model.generationSeconds(promptTokens, outputTokens, 1) });
    }

    /** The router's run: one prefill of {@code batch} prompts of {@code promptTokens}. */
    double router(ModelTiming router, int promptTokens, int batch) {
        long key = ((long) promptTokens << 32) | batch | (1L << 31);
        return byModel.computeIfAbsent(router, m -> new HashMap<>()).computeIfAbsent(key,
                k -> new double[] { router.prefillSeconds(promptTokens, batch) })[0];
    }
}
