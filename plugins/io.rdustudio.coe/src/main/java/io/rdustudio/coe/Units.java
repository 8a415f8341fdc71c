package io.rdustudio.coe;

import java.util.Locale;

import io.rdustudio.core.analysis.Sizes;

/** Figures as people read them: capacities in binary units (DOMAIN.md), bandwidths decimal, times scaled. */
public final class Units {

    private Units() {
    }

    public static String bytes(long bytes) {
        return Sizes.bytes(bytes);
    }

    public static String bandwidth(double bytesPerSecond) {
        String[] units = { "B/s", "kB/s", "MB/s", "GB/s", "TB/s", "PB/s" };
        double v = bytesPerSecond;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Seconds with a unit that keeps about three significant figures: {@code 13.5 ms}, {@code 2.04 s}. */
    public static String seconds(double seconds) {
        double a = Math.abs(seconds);
        if (a == 0) {
            return "0 s";
        }
        if (a < 1e-3) {
            return threeFigures(seconds * 1e6) + " us";
        }
        if (a < 1) {
            return threeFigures(seconds * 1e3) + " ms";
        }
        return threeFigures(seconds) + " s";
    }

    private static String threeFigures(double v) {
        double a = Math.abs(v);
        int decimals = a >= 100 ? 0 : a >= 10 ? 1 : 2;
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A count with thousands separators: {@code 1,000,000}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
