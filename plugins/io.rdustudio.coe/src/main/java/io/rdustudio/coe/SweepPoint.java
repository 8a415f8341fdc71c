package io.rdustudio.coe;

import java.util.Optional;

import io.rdustudio.core.ir.Tier;

/**
 * One expert count on one platform in a {@link Sweep}.
 *
 * @param experts              how many experts the deployment had
 * @param platform             the target profile's name
 * @param placement            where the experts lived, or why the point did not run
 * @param reason               for a point that did not run, the check's message; else empty
 * @param latency              end-to-end latency of the simulated requests (points that ran)
 * @param switching            the expert-switch part of it
 * @param hitRate              HBM cache hit rate (points that ran)
 * @param requestsPerSecond    throughput (points that ran)
 * @param weightBytes          the weights of all the point's experts together (the same on every platform)
 * @param backingTier          where the experts live: DDR (an RDU) or HOST (a GPU node)
 * @param backingUsedBytes     bytes of DDR (host memory) holding experts
 * @param backingCapacityBytes the node's DDR (host memory)
 * @param hbmUsedBytes         HBM in use with a full cache
 * @param hbmCapacityBytes     the node's HBM
 * @param cacheHolds           how many experts the HBM cache holds at once
 */
public record SweepPoint(int experts, String platform, Placement placement, String reason,
        Optional<LatencySummary> latency, Optional<LatencySummary> switching, double hitRate, double requestsPerSecond,
        long weightBytes, Tier backingTier, long backingUsedBytes, long backingCapacityBytes, long hbmUsedBytes, long hbmCapacityBytes, int cacheHolds) {

    /** Where a point's experts lived. */
    public enum Placement {
        /** Every expert resident in HBM: no switch ever. */
        ALL_IN_HBM,
        /** The experts live in DDR (host memory) and go through the HBM cache: switches happen. */
        SWITCHING,
        /** The experts do not fit DDR (on a GPU node: host memory, out of memory). */
        OUT_OF_MEMORY,
        /** HBM cannot hold the router, KV caches and pinned experts, or an expert cannot become resident. */
        DOES_NOT_FIT
    }

    public boolean ran() {
        return latency.isPresent();
    }
}
