package io.rdustudio.core.analysis.memory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.rdustudio.core.ir.Tier;

/**
 * The plan of one group of sockets that hold the same tensors (with tensor parallelism, sockets
 * 1..7 of a node usually share one plan and socket 0 differs only if a kernel without
 * parallelism runs there).
 *
 * @param sockets              the sockets this plan describes
 * @param allocations          every buffer, in tier then offset order
 * @param tiers                usage per tier that holds anything (HBM and DDR always present)
 * @param spills               tensors moved to DDR by the chosen order, in the order chosen
 * @param spillOrders          both orders' outcomes, for comparison (empty when nothing had to spill)
 * @param activationPeakBytes  the most bytes of locals live at one launch
 * @param activationTotalBytes the sum of the sizes of every version of every local: what they would
 *                             take without address sharing
 */
public record SocketPlan(List<Integer> sockets, List<Allocation> allocations, Map<Tier, TierUsage> tiers,
        List<Spill> spills, List<SpillOutcome> spillOrders, long activationPeakBytes, long activationTotalBytes) {

    public SocketPlan {
        sockets = List.copyOf(sockets);
        allocations = List.copyOf(allocations);
        tiers = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tiers)); // sorted: reports must not depend on hash order
        spills = List.copyOf(spills);
        spillOrders = List.copyOf(spillOrders);
    }

    public TierUsage tier(Tier tier) {
        return tiers.getOrDefault(tier, new TierUsage(tier, 0, 0, 0, -1));
    }

    public long peakBytes(Tier tier) {
        return tier(tier).extentBytes();
    }

    /** The buffers of one tensor, oldest version first. */
    public List<Allocation> allocationsOf(String tensor) {
        return allocations.stream().filter(a -> a.tensor().equals(tensor))
                .sorted(java.util.Comparator.comparingInt(Allocation::version)).toList();
    }

    public Optional<Tier> tierOf(String tensor) {
        return allocations.stream().filter(a -> a.tensor().equals(tensor)).map(Allocation::tier).findFirst();
    }
}
