package io.rdustudio.coe.model;

/**
 * What one model occupies, in bytes, summed over every socket (GPU) of its tensor-parallel
 * group. Where the bytes go follows from the policy, not from here: every expert's weights live in
 * DDR (host memory on a GPU node) and are copied into HBM when it becomes resident; the router's
 * weights, the KV caches and the workspace of the running model are in HBM.
 *
 * @param weightBytes               all weights; what an expert switch copies from DDR to HBM (read-only,
 *                                  so an eviction never copies it back)
 * @param kvCacheBytesPerToken      KV-cache bytes one token of one sequence adds
 * @param maxContextTokens          the longest context (prompt plus output) the model serves; each KV
 *                                  cache is sized for it
 * @param workspaceBytes            HBM the model needs while it runs beyond its weights and KV caches,
 *                                  whatever the batch (state that does not grow with the context, say)
 * @param workspaceBytesPerSequence HBM it needs on top of that for each sequence it runs at once, at the
 *                                  longest prompt: activations that do not stay on chip, the inputs and
 *                                  outputs of a run. A run of {@code b} sequences needs
 *                                  {@link #workspaceBytes(int) workspaceBytes(b)}
 */
public record ModelFootprint(long weightBytes, long kvCacheBytesPerToken, int maxContextTokens, long workspaceBytes,
        long workspaceBytesPerSequence) {

    /** A footprint whose workspace does not depend on the batch. */
    public ModelFootprint(long weightBytes, long kvCacheBytesPerToken, int maxContextTokens, long workspaceBytes) {
        this(weightBytes, kvCacheBytesPerToken, maxContextTokens, workspaceBytes, 0);
    }

    /**
     * The footprint that follows from a parametric shape alone: its weights, its KV cache per token
     * and its context, with no workspace (activations are not modelled without a program; the
     * emulator-backed resolver takes them from the memory plan of the model's DFK template).
     */
    public static ModelFootprint ofShape(ModelSpec.Parametric shape) {
        return new ModelFootprint(shape.weightBytes(), shape.kvCacheBytesPerToken(), shape.maxContextTokens(), 0);
    }

    /** The same footprint with the workspace of a memory plan: {@code fixed} plus {@code perSequence} for each sequence. */
    public ModelFootprint withWorkspace(long fixed, long perSequence) {
        return new ModelFootprint(weightBytes, kvCacheBytesPerToken, maxContextTokens, fixed, perSequence);
    }

    /** KV-cache bytes of {@code sequences} sequences at the maximum context. */
    public long kvCacheBytes(int sequences) {
        return (long) ((double) kvCacheBytesPerToken * maxContextTokens * sequences);
    }

    /** Workspace of a run of {@code sequences} sequences at once (saturating). */
    public long workspaceBytes(int sequences) {
        return (long) ((double) workspaceBytes + (double) workspaceBytesPerSequence * sequences);
    }
}
