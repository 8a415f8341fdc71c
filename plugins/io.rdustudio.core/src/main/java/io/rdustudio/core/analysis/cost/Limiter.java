package io.rdustudio.core.analysis.cost;

import java.util.Locale;

/** The roofline term that decides a kernel's time: compute or one memory channel. */
public enum Limiter {
    COMPUTE, SRAM, HBM, DDR, HOST, P2P;

    public static Limiter of(MemoryChannel channel) {
        return valueOf(channel.name());
    }

    /** "compute", "HBM", "DDR", "host", "P2P", "SRAM". */
    public String label() {
        return this == COMPUTE || this == HOST ? name().toLowerCase(Locale.ROOT) : name();
    }

    @Override
    public String toString() {
        return label();
    }
}
