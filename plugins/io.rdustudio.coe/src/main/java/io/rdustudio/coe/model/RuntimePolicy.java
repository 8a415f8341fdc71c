package io.rdustudio.coe.model;

import java.util.Objects;

import io.rdustudio.core.ir.SourceLocation;

/**
 * How the CoE runtime serves requests (DOMAIN.md section 5).
 *
 * <p>The HBM expert cache has no size here: its capacity is what HBM has left after the router,
 * the KV caches (for {@code batchSize} prompts at each model's maximum context) and the pinned
 * experts. "Resident" means in HBM.
 *
 * @param cache               which expert the cache evicts; {@link CachePolicy#LRU} by default
 * @param batchSize           prompts the router runs together; 1 by default. A batch starts when it
 *                            is full or when its oldest prompt has waited {@code maxBatchWaitSeconds}
 * @param maxBatchWaitSeconds how long, in seconds, the oldest queued prompt may wait for a batch to
 *                            fill before a partial batch starts; 0 by default (start at once)
 * @param maxOutputTokens     the most tokens one request generates; a workload or trace asking
 *                            for more is capped at this; {@value #DEFAULT_MAX_OUTPUT_TOKENS} by default
 * @param prefetch            whether the runtime copies, while an expert runs, the experts the router
 *                            already picked for later prompts of the batch and for queued requests;
 *                            false by default (each copy waits until its expert is needed)
 * @param location            where the policy is declared; {@link SourceLocation#UNKNOWN} when it is a default
 */
public record RuntimePolicy(CachePolicy cache, int batchSize, double maxBatchWaitSeconds, int maxOutputTokens,
        boolean prefetch, SourceLocation location) {

    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;

    /** LRU, batch 1, no wait, at most 4096 output tokens, no prefetch. */
    public static final RuntimePolicy DEFAULT = new RuntimePolicy(CachePolicy.LRU, 1, 0.0,
            DEFAULT_MAX_OUTPUT_TOKENS, false, SourceLocation.UNKNOWN);

    public RuntimePolicy {
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(location, "location");
    }

    /** The contract's sketch signature; the location is unknown. */
    public RuntimePolicy(CachePolicy cache, int batchSize, double maxBatchWaitSeconds, int maxOutputTokens,
            boolean prefetch) {
        this(cache, batchSize, maxBatchWaitSeconds, maxOutputTokens, prefetch, SourceLocation.UNKNOWN);
    }

    public RuntimePolicy withBatchSize(int batch) {
        return new RuntimePolicy(cache, batch, maxBatchWaitSeconds, maxOutputTokens, prefetch, location);
    }
}
