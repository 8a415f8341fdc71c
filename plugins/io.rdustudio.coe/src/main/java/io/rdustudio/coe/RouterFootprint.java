package io.rdustudio.coe;

import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.core.ir.Tier;

/**
 * The router on one platform (one copy on every node).
 *
 * @param weightBytes   its weights
 * @param tier          where they live: HBM (resident for good) or DDR (through the expert cache)
 * @param kvCacheBytes  its KV caches for a batch at its maximum context
 * @param switchSeconds time to copy it into HBM (paid only for a DDR-tier router)
 * @param resolved      the resolver's answer
 */
public record RouterFootprint(long weightBytes, Tier tier, long kvCacheBytes, double switchSeconds,
        ResolvedModel resolved) {
}
