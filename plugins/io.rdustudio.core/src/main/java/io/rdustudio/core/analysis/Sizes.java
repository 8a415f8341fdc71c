package io.rdustudio.core.analysis;

import java.util.Locale;

/** Human-readable sizes in binary units (capacities) as DOMAIN.md asks. */
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
}
