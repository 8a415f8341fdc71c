package io.rdustudio.emulator.report;

import java.util.Locale;

/** Figures as the emulator's reports print them: seconds with a unit, rates in decimal units, percentages. */
public final class Units {

    private Units() {
    }

    /** {@code 1.23 ms}, three significant figures. */
    public static String seconds(double s) {
        if (s == 0) {
            return "0 s";
        }
        if (Math.abs(s) >= 1) {
            return String.format(Locale.ROOT, "%.3g s", s);
        }
        if (Math.abs(s) >= 1e-3) {
            return String.format(Locale.ROOT, "%.3g ms", s * 1e3);
        }
        if (Math.abs(s) >= 1e-6) {
            return String.format(Locale.ROOT, "%.3g us", s * 1e6);
        }
        return String.format(Locale.ROOT, "%.3g ns", s * 1e9);
    }

    /** A quantity in decimal SI units with three significant figures: {@code si(1.9e12, "B/s")} is {@code 1.90 TB/s}. */
    public static String si(double v, String unit) {
        String[] prefixes = { "", "k", "M", "G", "T", "P", "E" };
        int p = 0;
        double x = v;
        while (Math.abs(x) >= 1000 && p < prefixes.length - 1) {
            x /= 1000;
            p++;
        }
        return String.format(Locale.ROOT, "%.3g %s%s", x, prefixes[p], unit);
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
