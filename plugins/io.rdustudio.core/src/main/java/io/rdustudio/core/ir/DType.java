package io.rdustudio.core.ir;

import java.util.Locale;
import java.util.Optional;

/** Element types. The PCU computes in FP32, BF16 and INT32; 8-bit types are storage formats. */
public enum DType {
    BF16(2, true), FP32(4, true), INT32(4, false), FP8E4M3(1, true), FP8E5M2(1, true), INT8(1, false);

    private final int bytes;
    private final boolean floating;

    DType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return floating;
    }

    /** The spelling used in DFK source, e.g. {@code bf16}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DType> fromKeyword(String keyword) {
        for (DType t : values()) {
            if (t.keyword().equals(keyword)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
