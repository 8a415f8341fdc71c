package io.rdustudio.emulator.report;

import java.util.Locale;

import io.rdustudio.core.analysis.Sizes;

/** Figures as the emulator's reports print them: seconds with a unit, rates in decimal units, percentages. */
public final class Units {

    private Units() {
    }

    /** {@code 1.23 ms}, three significant figures ({@link Sizes#seconds}, which the analyses' messages use too). */
    public static String seconds(double s) {
        return Sizes.seconds(s);
    }

    /** A quantity in decimal SI units with three significant figures: {@code si(1.9e12, "B/s")} is {@code 1.90 TB/s}. */
    public static String si(double v, String unit) {
        return Sizes.si(v, unit);
    }

    /** {@code 49%}; {@code 0.31%} below one percent, so that a small share is not shown as none. */
    public static String percent(double fraction) {
        double p = 100 * fraction;
        if (p != 0 && Math.abs(p) < 1) {
            return String.format(Locale.ROOT, "%.2g%%", p);
        }
        return String.format(Locale.ROOT, "%.0f%%", p);
    }
}
