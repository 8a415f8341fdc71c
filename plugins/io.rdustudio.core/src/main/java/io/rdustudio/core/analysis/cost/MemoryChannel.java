package io.rdustudio.core.analysis.cost;

import io.rdustudio.core.ir.Tier;

/**
 * Where a kernel's bytes move: the memory tiers of {@link Tier} plus the socket-to-socket
 * network. {@link #SRAM} counts stage-buffer traffic inside the tile; the others are off-chip.
 */
public enum MemoryChannel {
    SRAM, HBM, DDR, HOST, P2P;

    public static MemoryChannel of(Tier tier) {
        return switch (tier) {
            case SRAM -> SRAM;
            case HBM -> HBM;
            case DDR -> DDR;
            case HOST -> HOST;
        };
    }

    /** Whether bytes on this channel count towards operational intensity (memory off the tile). */
    public boolean offChipMemory() {
        return this == HBM || this == DDR || this == HOST;
    }
}
