package io.rdustudio.core.analysis;

import java.util.Locale;

/** Human-readable figures for every front end: capacities in binary units as DOMAIN.md asks, FLOPs, intensities. */
public final class Sizes {

    private Sizes() {
    }

    public static String bytes(long bytes) {
        String[] units = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** FLOPs in decimal units: {@code 1.34 GFLOP}. */
    public static String flops(double flops) {
        return decimal(flops, "%.2f %s", "%.0f %s", "FLOP", "kFLOP", "MFLOP", "GFLOP", "TFLOP", "PFLOP");
    }

    /** Transferred bytes in decimal units (GB, MB), as bandwidth figures are: {@code 2.1 GB}. */
    public static String decimalBytes(double bytes) {
        return decimal(bytes, "%.1f %s", "%.0f %s", "B", "kB", "MB", "GB", "TB", "PB");
    }

    /** FLOP/B with three significant figures; {@code inf} when nothing moves off chip. */
    public static String intensity(double v) {
        if (Double.isInfinite(v)) {
            return "inf";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** A rate in decimal units, three significant figures: {@code 1.44 TB/s}. */
    public static String rate(double bytesPerSecond) {
        return si(bytesPerSecond, "B/s");
    }

    /** A quantity in decimal SI units with three significant figures: {@code si(1.9e12, "B/s")} is {@code 1.90 TB/s}. */
    public static String si(double v, String unit) {
        String[] units = { unit, "k" + unit, "M" + unit, "G" + unit, "T" + unit, "P" + unit, "E" + unit };
        return decimal(v, "%.3g %s", "%.3g %s", units);
    }

    /** Seconds with a unit, three significant figures: {@code 1.23 ms}. */
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

    /**
     * {@code v} divided by 1,000 until it is below 1,000 or the units run out, formatted with
     * {@code scaled} (or {@code unscaled} while still in the first unit) and its unit.
     */
    private static String decimal(double v, String scaled, String unscaled, String... units) {
        int u = 0;
        while (Math.abs(v) >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? unscaled : scaled, v, units[u]);
    }
}
