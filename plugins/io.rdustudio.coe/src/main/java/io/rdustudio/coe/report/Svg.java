package io.rdustudio.coe.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A small SVG writer for the CoE charts: a plot area with linear or logarithmic axes, nice ticks,
 * lines, markers, bars and labels. Output is deterministic (fixed decimals, Locale.ROOT, StrictMath)
 * so that charts can be golden files on any machine, and self-contained (no fonts, scripts or links to fetch).
 */
final class Svg {

    /** Colours per series, distinguishable in print and for common colour blindness (Okabe-Ito). */
    static final List<String> PALETTE = List.of("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9");

    private final StringBuilder out = new StringBuilder();
    private final int width;
    private final int height;

    Svg(int width, int height) {
        this.width = width;
        this.height = height;
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    Svg raw(String element) {
        out.append(element).append('\n');
        return this;
    }

    Svg text(double x, double y, String anchor, String cssClass, String text) {
        return raw("<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\" class=\"" + cssClass
                + "\">" + escape(text) + "</text>");
    }

    Svg line(double x1, double y1, double x2, double y2, String style) {
        return raw("<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\" "
                + style + "/>");
    }

    Svg rect(double x, double y, double w, double h, String fill, String title) {
        return raw("<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(Math.max(0, w)) + "\" height=\""
                + num(Math.max(0, h)) + "\" fill=\"" + fill + "\"><title>" + escape(title) + "</title></rect>");
    }

    Svg polyline(List<double[]> points, String colour) {
        if (points.isEmpty()) {
            return this;
        }
        StringBuilder p = new StringBuilder();
        for (double[] xy : points) {
            p.append(p.length() == 0 ? "" : " ").append(num(xy[0])).append(',').append(num(xy[1]));
        }
        return raw("<polyline points=\"" + p + "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\"/>");
    }

    Svg circle(double x, double y, double r, String colour, String title) {
        return raw("<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"" + num(r) + "\" fill=\"" + colour + "\"><title>"
                + escape(title) + "</title></circle>");
    }

    String document(String title) {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 "
                + width + " " + height + "\" role=\"img\" aria-label=\"" + escape(title) + "\">\n<title>" + escape(title)
                + "</title>\n<style>text{font-family:sans-serif;font-size:12px;fill:#222}.small{font-size:10px}"
                + ".title{font-size:14px;font-weight:bold}.note{font-size:11px;fill:#555}</style>\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + out + "</svg>\n";
    }

    /**
     * One axis: a value range mapped onto pixels, linear or logarithmic, with nice ticks. A
     * logarithmic axis spans whole powers of its base and ticks at each: 10 for times, 4 for bytes
     * (so that binary capacities read as 1 GiB, 4 GiB, 16 GiB...).
     */
    static final class Axis {
        final double lo;
        final double hi;
        final double from;
        final double to;
        final boolean log;
        final double base;

        Axis(double lo, double hi, double from, double to, boolean log) {
            this(lo, hi, from, to, log, 10);
        }

        Axis(double lo, double hi, double from, double to, boolean log, double base) {
            this.log = log && lo > 0;
            this.base = base;
            double l = lo;
            double h = hi;
            if (this.log) {
                l = StrictMath.pow(base, StrictMath.floor(StrictMath.log(lo) / StrictMath.log(base) + 1e-9));
                h = StrictMath.pow(base, StrictMath.ceil(StrictMath.log(Math.max(hi, lo * 1.0001)) / StrictMath.log(base) - 1e-9));
            } else if (h <= l) {
                h = l + 1;
            }
            this.lo = l;
            this.hi = h;
            this.from = from;
            this.to = to;
        }

        double at(double v) {
            double f = log ? (StrictMath.log(Math.max(v, lo)) - StrictMath.log(lo)) / (StrictMath.log(hi) - StrictMath.log(lo)) : (v - lo) / (hi - lo);
            return from + f * (to - from);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                for (double v = lo; v <= hi * 1.0001; v *= base) {
                    ticks.add(v);
                }
                return ticks;
            }
            double raw = (hi - lo) / 5;
            double magnitude = StrictMath.pow(10, StrictMath.floor(StrictMath.log10(raw)));
            double step = raw / magnitude >= 5 ? 5 * magnitude : raw / magnitude >= 2 ? 2 * magnitude : magnitude;
            for (double v = StrictMath.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
                ticks.add(v);
            }
            return ticks;
        }
    }

    /** Draws a frame, grid lines and labelled ticks for both axes of a plot. */
    Svg axes(Axis x, Axis y, DoubleFunction<String> xLabel, DoubleFunction<String> yLabel, String xTitle, String yTitle) {
        xAxis(x, y.from, xLabel, xTitle);
        line(x.from, y.from, x.from, y.to, "stroke=\"#222\"");
        for (double t : y.ticks()) {
            double py = y.at(t);
            line(x.from, py, x.to, py, "stroke=\"#ddd\"");
            text(x.from - 6, py + 4, "end", "small", yLabel.apply(t));
        }
        raw("<text x=\"" + num(x.from - 66) + "\" y=\"" + num((y.from + y.to) / 2) + "\" text-anchor=\"middle\" transform=\"rotate(-90 "
                + num(x.from - 66) + " " + num((y.from + y.to) / 2) + ")\">" + escape(yTitle) + "</text>");
        return this;
    }

    /** A horizontal axis at pixel row {@code y} with labelled ticks and a title below. */
    Svg xAxis(Axis x, double y, DoubleFunction<String> label, String title) {
        line(x.from, y, x.to, y, "stroke=\"#222\"");
        for (double t : x.ticks()) {
            double px = x.at(t);
            line(px, y, px, y + 4, "stroke=\"#222\"");
            text(px, y + 16, "middle", "small", label.apply(t));
        }
        return text((x.from + x.to) / 2, y + 34, "middle", "", title);
    }
}
