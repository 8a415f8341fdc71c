package io.rdustudio.core.target;

import java.util.Objects;

/**
 * One figure of a target profile: a nominal value and the range it may plausibly lie in, all in
 * {@link #unit()}, with where the numbers come from. Values are finite and positive, and
 * {@code low <= nominal <= high}; a figure known exactly has {@code low == nominal == high}.
 *
 * @param source a citation for a published figure, the reasoning for an assumed one
 */
public record Figure(double nominal, double low, double high, FigureKey.Unit unit,
        Provenance provenance, String source) {

    public Figure {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(source, "source");
        if (!(isPositiveFinite(low) && isPositiveFinite(nominal) && isPositiveFinite(high))) {
            throw new IllegalArgumentException("figure values must be finite and positive: low " + low
                    + ", nominal " + nominal + ", high " + high);
        }
        if (low > nominal || nominal > high) {
            throw new IllegalArgumentException("figure needs low <= nominal <= high: low " + low
                    + ", nominal " + nominal + ", high " + high);
        }
        if (source.isBlank()) {
            throw new IllegalArgumentException("figure needs a source: a citation or the reasoning");
        }
    }

    /** The value at {@code bound}, in {@link #unit()}. */
    public double at(Bound bound) {
        return switch (bound) {
            case NOMINAL -> nominal;
            case LOW -> low;
            case HIGH -> high;
        };
    }

    private static boolean isPositiveFinite(double value) {
        return Double.isFinite(value) && value > 0;
    }
}
