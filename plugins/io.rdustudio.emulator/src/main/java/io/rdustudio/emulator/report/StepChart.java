package io.rdustudio.emulator.report;

import java.util.List;
import java.util.Locale;

import io.rdustudio.emulator.steps.StepModel;

/**
 * The time of one step against the varied constant, for a multi-step run: the model's line and its
 * emulated samples as dots. The vertical axis spans the steps' range, not from zero, so that a
 * growth of a few percent shows; its ends are labelled.
 */
final class StepChart {

    private static final double WIDTH = 760;
    private static final double HEIGHT = 240;
    private static final double LEFT = 84;
    private static final double RIGHT = 20;
    private static final double TOP = 16;
    private static final double BOTTOM = 44;

    private StepChart() {
    }

    static String render(StepModel model, String constant) {
        List<StepModel.Sample> samples = model.samples();
        double lo = samples.stream().mapToDouble(StepModel.Sample::seconds).min().orElse(0);
        double hi = samples.stream().mapToDouble(StepModel.Sample::seconds).max().orElse(1);
        double pad = hi > lo ? (hi - lo) * 0.1 : Math.max(hi * 0.01, 1e-12);
        double yLo = lo - pad;
        double yHi = hi + pad;
        double xLo = model.first();
        double xHi = Math.max(model.last(), model.first() + 1);
        StringBuilder s = new StringBuilder(Svg.open("steps", WIDTH, HEIGHT,
                "seconds per step against " + constant + ": the fitted model and its emulated samples"));
        double right = WIDTH - RIGHT;
        double bottom = HEIGHT - BOTTOM;
        s.append(Svg.line(LEFT, bottom, right, bottom, "axis"));
        s.append(Svg.line(LEFT, TOP, LEFT, bottom, "axis"));
        s.append(Svg.text(LEFT - 6, y(lo, yLo, yHi) + 4, "end", "tick", Units.seconds(lo)));
        s.append(Svg.text(LEFT - 6, y(hi, yLo, yHi) + 4, "end", "tick", Units.seconds(hi)));
        s.append(Svg.text(LEFT, bottom + 16, "middle", "tick", Long.toString(model.first())));
        s.append(Svg.text(right, bottom + 16, "middle", "tick", Long.toString(model.last())));
        s.append(Svg.text((LEFT + right) / 2, HEIGHT - 10, "middle", "label", constant + " (one step each)"));
        StringBuilder points = new StringBuilder();
        for (StepModel.Sample p : samples) {
            points.append(Svg.n(x(p.value(), xLo, xHi))).append(',').append(Svg.n(y(p.seconds(), yLo, yHi))).append(' ');
        }
        s.append("<polyline class=\"model\" points=\"").append(points.toString().strip()).append("\"/>\n");
        for (StepModel.Sample p : samples) {
            s.append("<circle class=\"sample\" cx=\"").append(Svg.n(x(p.value(), xLo, xHi))).append("\" cy=\"")
                    .append(Svg.n(y(p.seconds(), yLo, yHi))).append("\" r=\"3\"><title>")
                    .append(Svg.escape(String.format(Locale.ROOT, "%s = %d: %s (emulated)", constant, p.value(),
                            Units.seconds(p.seconds()))))
                    .append("</title></circle>\n");
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static double x(double v, double lo, double hi) {
        return LEFT + (v - lo) / (hi - lo) * (WIDTH - LEFT - RIGHT);
    }

    private static double y(double v, double lo, double hi) {
        return HEIGHT - BOTTOM - (v - lo) / (hi - lo) * (HEIGHT - TOP - BOTTOM);
    }
}
