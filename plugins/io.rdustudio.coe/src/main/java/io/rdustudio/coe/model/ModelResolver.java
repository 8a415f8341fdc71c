package io.rdustudio.coe.model;

import io.rdustudio.core.target.TargetProfile;

/**
 * Turns a model spec into a footprint and a timing model for a target: the seam between the
 * simulator and the timing emulator. The language side implements it with the emulator
 * (parametric models through a bundled DFK template, references by lowering the referenced
 * program); tests use analytic fixtures.
 *
 * <p>Contract: deterministic; safe to call repeatedly with equal arguments (the simulator calls it
 * once per distinct (spec, degree, platform) of a run and memoises, but checks, sweeps and plans
 * each call it again, so implementations should memoise too).
 */
public interface ModelResolver {

    /**
     * @param spec           the model; an expert's is {@link ExpertDecl#effectiveModel()}
     * @param tensorParallel sockets (GPUs) one run spans
     * @param platform       the target: an RDU node profile or a GPU baseline profile
     * @throws ModelResolutionException when the model cannot be resolved for this target (a
     *         reference that does not resolve, a degree the model cannot be split at); its message
     *         says what and how to fix it, and the check reports it at the declaration
     */
    ResolvedModel resolve(ModelSpec spec, int tensorParallel, TargetProfile platform);
}
