package io.rdustudio.coelang.resolver;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.rdustudio.coe.model.ModelResolutionException;
import io.rdustudio.coe.model.ModelTiming;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.emulator.steps.StepModel;

/**
 * Prefill and decode-step times of a model from emulated runs of its programs, per batch size:
 * prefill from a {@link StepCurve} over prompt lengths, decode steps from the emulator's
 * {@link StepModel} fitted over every KV length of the context (piecewise linear through emulated
 * steps, within its stated tolerance). A phase whose program does not bind the length (or the
 * batch) is one emulated run, whatever is asked: the program fixes it.
 *
 * <p>When one program holds both phases, its prefill runs with the KV length equal to the prompt
 * (the caches hold the prompt) and its decode step with a prompt of 1, as the bundled template's.
 */
final class EmulatedTiming implements ModelTiming {

    /** One phase: its program and the kernels whose calls it is (null: the whole schedule). */
    record Phase(BoundProgram program, Set<String> kernels) {
    }

    private final Phase prefill;
    private final Phase decode;
    private final long context;
    private final String label;
    private final TargetProfile platform;
    private final Map<Integer, StepCurve> prefills = new ConcurrentHashMap<>();
    private final Map<Integer, StepModel> decodes = new ConcurrentHashMap<>();
    private final Map<Integer, Double> fixedDecodes = new ConcurrentHashMap<>();

    /**
     * @param decode  null for a model without a decode step (a router)
     * @param context the most positions a decode step's KV cache holds (its program's KV length)
     * @param label   the model, for messages
     */
    EmulatedTiming(Phase prefill, Phase decode, long context, String label, TargetProfile platform) {
        this.prefill = prefill;
        this.decode = decode;
        this.context = context;
        this.label = label;
        this.platform = platform;
    }

    @Override
    public double prefillSeconds(int promptTokens, int batch) {
        BoundProgram p = prefill.program();
        int b = p.bindsBatch() ? batch : 1;
        long length = p.bindsPrompt() ? promptTokens : 1;
        return prefills.computeIfAbsent(b, key -> new StepCurve(t -> PhaseRun.seconds(p.lower(t, t, key), prefill.kernels(),
                platform))).seconds(length);
    }

    /** The step that attends over the cache's {@code kvLengthTokens} plus the new token's own. */
    @Override
    public double decodeStepSeconds(int kvLengthTokens, int batch) {
        if (decode == null) {
            throw new ModelResolutionException(label + " names no decode phase; add 'decode kernel NAME' or 'decode "
                    + "schedule NAME' to its model");
        }
        BoundProgram p = decode.program();
        int b = p.bindsBatch() ? batch : 1;
        if (!p.bindsKv()) {
            return fixedDecodes.computeIfAbsent(b, key -> PhaseRun.seconds(p.lower(1, 1, key), decode.kernels(), platform));
        }
        long positions = kvLengthTokens + 1L;
        long last = Math.max(2, context);
        if (positions > last) {
            throw new ModelResolutionException(label + " serves a context of " + last + " tokens; a decode step after "
                    + kvLengthTokens + " is beyond it");
        }
        return decodes.computeIfAbsent(b, key -> StepModel.fit(k -> PhaseRun.seconds(p.lower(1, k, key), decode.kernels(),
                platform), 1, last)).secondsFor(positions);
    }
}
