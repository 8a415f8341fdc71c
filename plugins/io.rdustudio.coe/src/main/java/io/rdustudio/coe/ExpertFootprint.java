package io.rdustudio.coe;

import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.core.ir.SourceLocation;

/**
 * One expert declaration on one platform: what each copy occupies and what a switch to it costs.
 * What an editor's hover shows.
 *
 * @param name                 the declared name
 * @param count                copies the declaration stands for
 * @param weightBytes          one copy's weights (all of them in DDR or host memory; copied into HBM when resident)
 * @param kvCacheBytesPerToken one sequence's KV cache per token
 * @param maxContextTokens     the model's longest context
 * @param switchSeconds        time to copy one copy's weights into HBM, on the platform's copy figure
 * @param pinned               kept in HBM for good
 * @param location             the declaration
 * @param resolved             the resolver's answer (footprint and timing), for prefill and decode estimates
 */
public record ExpertFootprint(String name, int count, long weightBytes, long kvCacheBytesPerToken,
        int maxContextTokens, double switchSeconds, boolean pinned, SourceLocation location, ResolvedModel resolved) {
}
