package io.rdustudio.coe.model;

/** How the runtime chooses which expert to evict from the HBM cache when a new one must come in. */
public enum CachePolicy {
    /** Evict the least recently used expert (the SN40L CoE runtime's policy, DOMAIN.md section 5). */
    LRU
}
