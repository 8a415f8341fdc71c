package io.rdustudio.emulator.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the report's charts share: escaping, coordinates, axes' ticks, a palette. */
final class Svg {

    /** Ten distinguishable colours (Tableau 10), for kernels and tiers. */
    private static final String[] PALETTE = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
            "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac" };

    private Svg() {
    }

    static String colour(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /** Text and attribute values: the five characters XML gives a meaning. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A coordinate with two decimals at most: deterministic and short. */
    static String n(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s.equals("-0") ? "0" : s;
    }

    /** A power of ten as an axis label: {@code 0.1}, {@code 10}, {@code 1k}; {@code 1 PFLOP/s} with a unit. */
    static String decade(double v, String unit) {
        String[] prefixes = { "", "k", "M", "G", "T", "P", "E" };
        if (v < 1) {
            String small = String.format(Locale.ROOT, "%.9f", v).replaceAll("0+$", "");
            return unit.isEmpty() ? small : small + " " + unit;
        }
        int p = 0;
        double x = v;
        while (x >= 999.5 && p < prefixes.length - 1) {
            x /= 1000;
            p++;
        }
        String big = String.format(Locale.ROOT, "%.0f", x);
        return unit.isEmpty() ? big + prefixes[p] : big + " " + prefixes[p] + unit;
    }

    /** Ticks of a linear axis from 0 to {@code max}: steps of 1, 2 or 5 times a power of ten, about {@code count} of them. */
    static List<Double> linearTicks(double max, int count) {
        List<Double> ticks = new ArrayList<>();
        if (!(max > 0)) {
            ticks.add(0.0);
            return ticks;
        }
        double raw = max / count;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = power * (raw / power <= 1 ? 1 : raw / power <= 2 ? 2 : raw / power <= 5 ? 5 : 10);
        for (int i = 0; i * step <= max * (1 + 1e-9); i++) {
            ticks.add(i * step);
        }
        return ticks;
    }

    static String text(double x, double y, String anchor, String cssClass, String content) {
        return "<text x=\"" + n(x) + "\" y=\"" + n(y) + "\"" + (anchor.equals("start") ? "" : " text-anchor=\"" + anchor + "\"")
                + (cssClass.isEmpty() ? "" : " class=\"" + cssClass + "\"") + ">" + escape(content) + "</text>\n";
    }

    static String line(double x1, double y1, double x2, double y2, String cssClass) {
        return "<line x1=\"" + n(x1) + "\" y1=\"" + n(y1) + "\" x2=\"" + n(x2) + "\" y2=\"" + n(y2) + "\" class=\"" + cssClass
                + "\"/>\n";
    }

    static String open(String cssClass, double width, double height, String label) {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart " + cssClass + "\" width=\"" + n(width)
                + "\" height=\"" + n(height) + "\" viewBox=\"0 0 " + n(width) + " " + n(height) + "\" role=\"img\""
                + " aria-label=\"" + escape(label) + "\">\n<title>" + escape(label) + "</title>\n";
    }
}
