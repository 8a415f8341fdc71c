package io.rdustudio.emulator.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rdustudio.core.analysis.Sizes;
import io.rdustudio.emulator.timing.TimingResult;

/**
 * The roofline of a run as a log-log SVG: operational intensity (FLOP per off-chip byte) across,
 * FLOP/s per socket up; the compute roof (peak FLOP/s) and one memory roof per tier (bandwidth x
 * intensity, up to the compute roof); every kernel a labelled point at its emulated intensity and
 * achieved rate. A kernel that moves nothing off chip sits at the right edge; one with no FLOPs
 * cannot be drawn on a log scale and is named under the chart instead.
 */
final class RooflineChart {

    private static final double WIDTH = 760;
    private static final double HEIGHT = 460;
    private static final double LEFT = 84;
    private static final double RIGHT = 150;
    private static final double TOP = 20;
    private static final double BOTTOM = 48;
    private static final double LABEL_HEIGHT = 13;

    private final RunReport.Roofs roofs;
    private final List<TimingResult.KernelTotal> kernels;
    private double xMinLog;
    private double xMaxLog;
    private double yMinLog;
    private double yMaxLog;

    private RooflineChart(RunReport.Roofs roofs, List<TimingResult.KernelTotal> kernels) {
        this.roofs = roofs;
        this.kernels = kernels;
    }

    /** The chart, and under it the kernels it cannot show. */
    static String render(RunReport.Roofs roofs, List<TimingResult.KernelTotal> kernels) {
        return new RooflineChart(roofs, kernels).render();
    }

    private String render() {
        List<TimingResult.KernelTotal> drawn = kernels.stream().filter(k -> k.flops() > 0 && k.seconds() > 0).toList();
        scale(drawn);
        StringBuilder s = new StringBuilder(Svg.open("roofline", WIDTH, HEIGHT,
                "roofline: FLOP/s per socket against operational intensity, one point per kernel"));
        axes(s);
        roofs(s);
        points(s, drawn);
        s.append("</svg>\n");
        List<String> absent = kernels.stream().filter(k -> !(k.flops() > 0 && k.seconds() > 0))
                .map(TimingResult.KernelTotal::kernel).toList();
        if (!absent.isEmpty()) {
            s.append("<p class=\"note\">Not on the chart (no FLOPs, nothing for a log scale): ")
                    .append(Svg.escape(String.join(", ", absent))).append("</p>\n");
        }
        return s.toString();
    }

    /** Whole decades around the roofs' ridge points and the kernels, at least three across. */
    private void scale(List<TimingResult.KernelTotal> drawn) {
        double xLow = Double.POSITIVE_INFINITY;
        double xHigh = 0;
        double yLow = roofs.peakFlopsPerSecond();
        for (RunReport.Roof r : roofs.memory()) {
            double ridge = roofs.peakFlopsPerSecond() / r.bytesPerSecond();
            xLow = Math.min(xLow, ridge);
            xHigh = Math.max(xHigh, ridge);
        }
        for (TimingResult.KernelTotal k : drawn) {
            if (Double.isFinite(k.intensity())) {
                xLow = Math.min(xLow, k.intensity());
                xHigh = Math.max(xHigh, k.intensity());
            }
            yLow = Math.min(yLow, k.flopsPerSecond());
        }
        xMinLog = Math.floor(Math.log10(xLow / 3));
        xMaxLog = Math.max(Math.ceil(Math.log10(xHigh * 3)), xMinLog + 3);
        yMaxLog = Math.ceil(Math.log10(roofs.peakFlopsPerSecond() * 1.5));
        double slowestRoof = roofs.memory().stream().mapToDouble(RunReport.Roof::bytesPerSecond).min()
                .orElse(roofs.peakFlopsPerSecond()) * Math.pow(10, xMinLog);
        yMinLog = Math.floor(Math.log10(Math.min(yLow, slowestRoof) / 3));
        yMinLog = Math.max(Math.min(yMinLog, yMaxLog - 3), yMaxLog - 9);
    }

    private double x(double intensity) {
        double v = Double.isInfinite(intensity) ? xMaxLog : Math.log10(intensity);
        return LEFT + (v - xMinLog) / (xMaxLog - xMinLog) * (WIDTH - LEFT - RIGHT);
    }

    private double y(double flopsPerSecond) {
        double v = Math.max(yMinLog, Math.log10(flopsPerSecond));
        return HEIGHT - BOTTOM - (v - yMinLog) / (yMaxLog - yMinLog) * (HEIGHT - TOP - BOTTOM);
    }

    private void axes(StringBuilder s) {
        double right = WIDTH - RIGHT;
        double bottom = HEIGHT - BOTTOM;
        for (int e = (int) xMinLog; e <= xMaxLog; e++) {
            double px = x(Math.pow(10, e));
            s.append(Svg.line(px, TOP, px, bottom, "grid"));
            s.append(Svg.text(px, bottom + 16, "middle", "tick", Svg.decade(Math.pow(10, e), "")));
        }
        for (int e = (int) yMinLog; e <= yMaxLog; e++) {
            double py = y(Math.pow(10, e));
            s.append(Svg.line(LEFT, py, right, py, "grid"));
            s.append(Svg.text(LEFT - 6, py + 4, "end", "tick", Svg.decade(Math.pow(10, e), "FLOP/s")));
        }
        s.append(Svg.line(LEFT, bottom, right, bottom, "axis"));
        s.append(Svg.line(LEFT, TOP, LEFT, bottom, "axis"));
        s.append(Svg.text((LEFT + right) / 2, HEIGHT - 10, "middle", "label",
                "operational intensity (FLOP per off-chip byte, per socket)"));
    }

    private void roofs(StringBuilder s) {
        double peak = roofs.peakFlopsPerSecond();
        double xMin = Math.pow(10, xMinLog);
        double firstRidge = Double.POSITIVE_INFINITY;
        int i = 0;
        for (RunReport.Roof r : roofs.memory()) {
            double ridge = peak / r.bytesPerSecond();
            firstRidge = Math.min(firstRidge, ridge);
            double startY = Math.max(r.bytesPerSecond() * xMin, Math.pow(10, yMinLog));
            double startX = startY / r.bytesPerSecond();
            s.append("<polyline class=\"roof memory\" points=\"").append(Svg.n(x(startX))).append(',')
                    .append(Svg.n(y(startY))).append(' ').append(Svg.n(x(ridge))).append(',').append(Svg.n(y(peak)))
                    .append("\" stroke=\"").append(Svg.colour(i + 1)).append("\"/>\n");
            double labelX = Math.max(startX, Math.pow(10, xMinLog + 0.15));
            s.append(Svg.text(x(labelX) + 4, y(r.bytesPerSecond() * labelX) - 6, "start", "roof-label",
                    r.tier() + " " + Units.si(r.bytesPerSecond(), "B/s")));
            i++;
        }
        s.append(Svg.line(x(firstRidge), y(peak), WIDTH - RIGHT, y(peak), "roof compute"));
        s.append(Svg.text(WIDTH - RIGHT, y(peak) - 6, "end", "roof-label", "peak " + Units.si(peak, "FLOP/s")));
    }

    private void points(StringBuilder s, List<TimingResult.KernelTotal> drawn) {
        List<double[]> labels = new ArrayList<>(); // {x, y} of labels placed
        int i = 0;
        for (TimingResult.KernelTotal k : drawn) {
            double px = x(k.intensity());
            double py = y(k.flopsPerSecond());
            double roof = Math.min(roofs.peakFlopsPerSecond(), bestMemoryRoof() * k.intensity());
            String title = String.format(Locale.ROOT, "%s: %s FLOP/B, %s (%s of the highest roof there), bound: %s", k.kernel(),
                    Sizes.intensity(k.intensity()), Units.si(k.flopsPerSecond(), "FLOP/s"),
                    Units.percent(k.flopsPerSecond() / roof), k.bound());
            s.append("<g class=\"kernel\"><circle cx=\"").append(Svg.n(px)).append("\" cy=\"").append(Svg.n(py))
                    .append("\" r=\"5\" fill=\"").append(Svg.colour(i)).append("\"><title>").append(Svg.escape(title))
                    .append("</title></circle>\n");
            double ly = py + 4;
            for (int tries = 0; tries < 12 && collides(labels, px + 8, ly); tries++) {
                ly += LABEL_HEIGHT;
            }
            labels.add(new double[] { px + 8, ly });
            s.append(Svg.text(px + 8, ly, "start", "point-label",
                    k.kernel() + (Double.isInfinite(k.intensity()) ? " (no off-chip bytes)" : ""))).append("</g>\n");
            i++;
        }
    }

    /** The fastest memory tier: the roof a kernel reaches when its bytes come from there. */
    private double bestMemoryRoof() {
        return roofs.memory().stream().mapToDouble(RunReport.Roof::bytesPerSecond).max().orElse(Double.POSITIVE_INFINITY);
    }

    private static boolean collides(List<double[]> placed, double x, double y) {
        for (double[] p : placed) {
            if (Math.abs(p[1] - y) < LABEL_HEIGHT && Math.abs(p[0] - x) < 120) {
                return true;
            }
        }
        return false;
    }
}
