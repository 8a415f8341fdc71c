package io.rdustudio.core.analysis.cost;

import java.util.Locale;

/**
 * A modelled quantity with its error band: {@code nominal} at nominal figures and assumptions,
 * {@code low} and {@code high} at the optimistic and pessimistic corners. For a time, low is the
 * optimistic (fast) end.
 */
public record Estimate(double nominal, double low, double high) {

    public static final Estimate ZERO = new Estimate(0, 0, 0);

    public Estimate {
        if (!(low <= nominal && nominal <= high)) {
            throw new IllegalArgumentException("estimate needs low <= nominal <= high: " + low + ", " + nominal + ", " + high);
        }
    }

    public Estimate plus(Estimate other) {
        return new Estimate(nominal + other.nominal, low + other.low, high + other.high);
    }

    public Estimate times(double factor) {
        return new Estimate(nominal * factor, low * factor, high * factor);
    }

    /** {@code 1.8 ms (1.5-2.2)}: the nominal time and its band in the nominal's unit. */
    public String formatSeconds() {
        String[] units = { "s", "ms", "us", "ns" };
        double scale = 1;
        int u = 0;
        while (u < units.length - 1 && nominal != 0 && Math.abs(nominal) * scale < 1) {
            scale *= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%s %s (%s-%s)", threeDigits(nominal * scale), units[u],
                threeDigits(low * scale), threeDigits(high * scale));
    }

    private static String threeDigits(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f";
        String s = String.format(Locale.ROOT, pattern, v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
