package io.rdustudio.core.analysis.memory;

import io.rdustudio.core.ir.Tier;

/**
 * How much of one memory tier of one socket the plan uses.
 *
 * @param capacityBytes  what the target profile gives; {@link Long#MAX_VALUE} for host memory, which
 *                       an RDU profile does not bound
 * @param extentBytes    the end of the highest buffer: the addresses the plan needs (what must fit)
 * @param peakLiveBytes  the largest sum of buffers live at one launch, a lower bound of the extent
 * @param peakCall       the launch (timeline index) where that peak occurs, -1 if the tier is empty
 */
public record TierUsage(Tier tier, long capacityBytes, long extentBytes, long peakLiveBytes, int peakCall) {

    public boolean fits() {
        return extentBytes <= capacityBytes;
    }
}
