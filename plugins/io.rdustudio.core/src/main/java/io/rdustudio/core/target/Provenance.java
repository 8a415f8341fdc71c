package io.rdustudio.core.target;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a figure comes from. A figure computed by plain arithmetic from published figures (say a
 * per-unit rate from a per-socket peak) counts as published; its source states the derivation.
 */
public enum Provenance {
    /** Stated by the vendor or in a paper; the figure's source cites it. */
    PUBLISHED("published"),
    /** Not published; the figure's source gives the reasoning behind the value and its range. */
    ASSUMED("assumed");

    private final String jsonName;

    Provenance(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value of a figure's {@code "provenance"} field. */
    public String jsonName() {
        return jsonName;
    }

    /** The provenance whose {@link #jsonName()} is {@code text}, if any. */
    public static Optional<Provenance> fromJsonName(String text) {
        return Arrays.stream(values()).filter(p -> p.jsonName.equals(text)).findFirst();
    }
}
