package io.rdustudio.core.analysis.memory;

import io.rdustudio.core.ir.Role;
import io.rdustudio.core.ir.Tier;

/**
 * One buffer of the plan on one socket: a tensor (or one version of a local, see
 * {@link MemoryPlanner}) at {@code offset} in {@code tier}, live from launch {@code firstCall} to
 * launch {@code lastCall} of the timeline, both inclusive.
 *
 * @param version  0 for inputs, weights, state and outputs; the n-th whole write of a local for locals
 * @param readOnly inputs and weights: never written, so evicting them never copies them back
 */
public record Allocation(String tensor, int version, Role role, Tier tier, long offset, long bytes, int firstCall,
        int lastCall, boolean readOnly) {

    public long endOffset() {
        return offset + bytes;
    }

    public boolean liveTogetherWith(Allocation other) {
        return firstCall <= other.lastCall && other.firstCall <= lastCall;
    }

    public boolean addressesOverlap(Allocation other) {
        return tier == other.tier && offset < other.endOffset() && other.offset < endOffset();
    }
}
