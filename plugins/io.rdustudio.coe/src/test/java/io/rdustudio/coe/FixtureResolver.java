package io.rdustudio.coe;

import java.util.HashMap;
import java.util.Map;

import io.rdustudio.coe.model.ModelFootprint;
import io.rdustudio.coe.model.ModelResolutionException;
import io.rdustudio.coe.model.ModelResolver;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.ModelTiming;
import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.core.target.TargetProfile;

/**
 * A TEST FIXTURE, not a model of any hardware: an analytic resolver whose times are round numbers
 * chosen so that tests can compute expected results by hand. The same on every platform (so a
 * difference between platforms in a test comes from the simulator's memory model alone):
 * <ul>
 * <li>prefill: {@value #PREFILL_SECONDS_PER_TOKEN} s per prompt token per prompt of the batch;</li>
 * <li>decode step: {@value #DECODE_STEP_SECONDS} s plus {@value #DECODE_SECONDS_PER_KV_TOKEN} s per
 * token of KV cache, per sequence of the batch.</li>
 * </ul>
 * Footprints follow the parametric shape ({@link ModelFootprint#ofShape}) unless a class name is
 * given explicit weight bytes. References are refused, as a resolver refuses what it cannot resolve.
 */
final class FixtureResolver implements ModelResolver {

    static final double PREFILL_SECONDS_PER_TOKEN = 1e-5;
    static final double DECODE_STEP_SECONDS = 1e-2;
    static final double DECODE_SECONDS_PER_KV_TOKEN = 1e-6;

    static final ModelTiming TIMING = new ModelTiming() {
        @Override
        public double prefillSeconds(int promptTokens, int batch) {
            return PREFILL_SECONDS_PER_TOKEN * promptTokens * batch;
        }

        @Override
        public double decodeStepSeconds(int kvLengthTokens, int batch) {
            return (DECODE_STEP_SECONDS + DECODE_SECONDS_PER_KV_TOKEN * kvLengthTokens) * batch;
        }
    };

    private final Map<String, Long> weightBytesByClass;
    private final Map<ModelSpec, ResolvedModel> resolved = new HashMap<>();
    int calls;

    FixtureResolver() {
        this(Map.of());
    }

    /** @param weightBytesByClass weight bytes for parametric specs of these class names, instead of their shape's */
    FixtureResolver(Map<String, Long> weightBytesByClass) {
        this.weightBytesByClass = Map.copyOf(weightBytesByClass);
    }

    /** Seconds of one request at batch 1 by the fixture's formulas: prefill plus each decode step. */
    static double generationSeconds(int prompt, int output) {
        double s = PREFILL_SECONDS_PER_TOKEN * prompt;
        for (int j = 0; j < output; j++) {
            s += DECODE_STEP_SECONDS + DECODE_SECONDS_PER_KV_TOKEN * (prompt + j);
        }
        return s;
    }

    @Override
    public ResolvedModel resolve(ModelSpec spec, int tensorParallel, TargetProfile platform) {
        calls++;
        if (!(spec instanceof ModelSpec.Parametric p)) {
            throw new ModelResolutionException("the fixture resolves parametric models only, not " + spec.label());
        }
        return resolved.computeIfAbsent(spec, s -> {
            ModelFootprint shape = ModelFootprint.ofShape(p);
            long weights = weightBytesByClass.getOrDefault(p.className(), shape.weightBytes());
            return new ResolvedModel(new ModelFootprint(weights, shape.kvCacheBytesPerToken(), shape.maxContextTokens(), 0),
                    TIMING);
        });
    }
}
