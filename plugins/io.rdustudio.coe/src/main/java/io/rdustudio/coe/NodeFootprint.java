package io.rdustudio.coe;

/**
 * Memory use of one node, in bytes (DOMAIN.md section 5): every expert lives in the backing tier
 * (DDR on an SN40L node; host memory on a GPU node, needed only once the experts no longer all fit
 * in GPU HBM); HBM holds the router, the KV caches of a batch at the maximum context, the running
 * model's workspace and the pinned experts, and what is left is the LRU expert cache.
 *
 * @param node                 0-based index
 * @param experts              experts on the node, copies counted
 * @param backingCapacityBytes DDR (or host memory) of the node
 * @param backingUsedBytes     weights held there: every expert (and a DDR-tier router) on an RDU; on a
 *                             GPU node the unpinned experts, or 0 when they all stay in GPU HBM
 * @param hbmCapacityBytes     HBM of all devices of the node
 * @param routerHbmBytes       the router's weights when they are kept in HBM
 * @param kvCacheBytes         KV caches: a batch of sequences at the maximum context, for the router and
 *                             for the expert with the largest cache
 * @param workspaceBytes       the largest workspace of the router and experts
 * @param pinnedBytes          weights of the pinned experts
 * @param cacheCapacityBytes   HBM left for the LRU cache; negative when the fixed part does not fit
 * @param cachedModels         models that go through the cache: unpinned experts, and a DDR-tier router
 * @param cachedModelBytes     their weights together
 * @param cacheHolds           how many of them the cache holds at once whichever they are (largest first)
 * @param allResident          whether all of them fit together, so no switch ever happens
 */
public record NodeFootprint(int node, int experts, long backingCapacityBytes, long backingUsedBytes,
        long hbmCapacityBytes, long routerHbmBytes, long kvCacheBytes, long workspaceBytes, long pinnedBytes,
        long cacheCapacityBytes, int cachedModels, long cachedModelBytes, int cacheHolds, boolean allResident) {

    /** HBM that does not depend on which experts are resident: router, KV caches, workspace, pinned experts. */
    public long hbmFixedBytes() {
        return routerHbmBytes + kvCacheBytes + workspaceBytes + pinnedBytes;
    }

    /** HBM in use once the cache is full (or holds every cached model): the fixed part plus the cache's contents. */
    public long hbmUsedBytes() {
        return hbmFixedBytes() + Math.max(0, Math.min(cacheCapacityBytes, cachedModelBytes));
    }
}
