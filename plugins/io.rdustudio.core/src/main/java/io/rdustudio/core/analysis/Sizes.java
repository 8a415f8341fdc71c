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
        String[] units = { "FLOP", "kFLOP", "MFLOP", "GFLOP", "TFLOP", "PFLOP" };
        int u = 0;
        double v = flops;
        while (Math.abs(v) >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f %s", v, units[u])
                : String.format(Locale.ROOT, "%.2f %s", v, units[u]);
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
        String[] units = { "B/s", "kB/s", "MB/s", "GB/s", "TB/s", "PB/s" };
        int u = 0;
        double v = bytesPerSecond;
        while (Math.abs(v) >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.3g %s", v, units[u]);
    }

    /** Seconds with a unit, three significant figures: {@code 2.10 ms}. */
    public static String seconds(double s) {
        String[] units = { "s", "ms", "us", "ns" };
        int u = 0;
        double v = s;
        while (v != 0 && Math.abs(v) < 1 && u < units.length - 1) {
            v *= 1000;
            u++;
        }
        return v == 0 ? "0 s" : String.format(Locale.ROOT, "%.3g %s", v, units[u]);
    }
}
