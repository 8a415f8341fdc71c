package io.rdustudio.coe.model;

/**
 * What one model occupies, in bytes, summed over every socket (GPU) of its tensor-parallel
 * group. Where the bytes go follows from the policy, not from here: every expert's weights live in
 * DDR (host memory on a GPU node) and are copied into HBM when it becomes resident; the router's
 * weights, the KV caches and the workspace of the running model are in HBM.
 *
 * @param weightBytes          all weights; what an expert switch copies from DDR to HBM (read-only,
 *                             so an eviction never copies it back)
 * @param kvCacheBytesPerToken KV-cache bytes one token of one sequence adds
 * @param maxContextTokens     the longest context (prompt plus output) the model serves; each KV
 *                             cache is sized for it
 * @param workspaceBytes       HBM the model needs while it runs beyond its weights and KV caches
 *                             (activations that do not stay on chip), at the policy's batch size;
 *                             0 when the resolver does not model it
 */
public record ModelFootprint(long weightBytes, long kvCacheBytesPerToken, int maxContextTokens, long workspaceBytes) {

    /**
     * The footprint that follows from a parametric shape alone: its weights, its KV cache per token
     * and its context, with no workspace (activations are not modelled without a program; an
     * emulator-backed resolver gives the memory plan's figure instead).
     */
    public static ModelFootprint ofShape(ModelSpec.Parametric shape) {
        return new ModelFootprint(shape.weightBytes(), shape.kvCacheBytesPerToken(), shape.maxContextTokens(), 0);
    }

    /** KV-cache bytes of {@code sequences} sequences at the maximum context. */
    public long kvCacheBytes(int sequences) {
        return (long) ((double) kvCacheBytesPerToken * maxContextTokens * sequences);
    }
}
