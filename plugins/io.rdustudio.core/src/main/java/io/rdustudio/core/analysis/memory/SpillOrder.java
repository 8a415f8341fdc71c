package io.rdustudio.core.analysis.memory;

/**
 * Which tensor leaves HBM first when the plan does not fit (DOMAIN.md section 4, step 3).
 * Candidates are always the tensors that can help: those live at the moment HBM is fullest (or,
 * when fragmentation is the problem, those whose addresses end above the capacity), and never a
 * tensor with a declared tier.
 */
public enum SpillOrder {
    /**
     * The SN40L paper's order: the smallest aggregate transfer requirement over the whole program
     * first (bytes read plus bytes written by every launch, loop trip counts included). In
     * practice weights stay in HBM and activations spill.
     */
    SMALLEST_TRANSFER,
    /**
     * Our refinement: the smallest transfer per byte freed first (aggregate transfer divided by the
     * tensor's size). A large tensor touched a few times frees more HBM per byte of DDR traffic
     * than a small one touched once, so fewer, bigger spills often suffice.
     */
    TRANSFER_PER_BYTE_FREED
}
