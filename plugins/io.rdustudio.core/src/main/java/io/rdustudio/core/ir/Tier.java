package io.rdustudio.core.ir;

import java.util.Locale;
import java.util.Optional;

/** The memory tiers of DOMAIN.md section 1, fastest first, plus host memory behind PCIe. */
public enum Tier {
    SRAM, HBM, DDR, HOST;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Tier> fromKeyword(String keyword) {
        for (Tier t : values()) {
            if (t.keyword().equals(keyword)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
