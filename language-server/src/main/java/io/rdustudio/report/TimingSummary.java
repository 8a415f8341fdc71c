package io.rdustudio.report;

import java.io.PrintWriter;
import java.util.Locale;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.rdustudio.core.analysis.cost.Estimate;
import io.rdustudio.core.analysis.cost.MemoryChannel;
import io.rdustudio.emulator.steps.DecodeSteps;
import io.rdustudio.emulator.steps.StepModel;
import io.rdustudio.emulator.timing.TimingResult;

/**
 * The summary of an emulated run: total time against the static estimate, time and bound per
 * kernel, launches and their overhead, achieved bandwidth per tier, PCU/PMU use, tokens per second.
 */
public final class TimingSummary {

    private TimingSummary() {
    }

    public static void text(TimingResult t, PrintWriter out) {
        out.printf(Locale.ROOT, "emulated time: %s on %d socket%s, %s orchestration%s%n", seconds(t.totalSeconds()),
                t.sockets(), t.sockets() == 1 ? "" : "s", t.orchestration().name().toLowerCase(Locale.ROOT),
                t.unfused() ? ", unfused" : "");
        if (t.staticEstimate() != null && !t.gpu()) {
            out.println("static estimate (no launch costs): " + t.staticEstimate().formatSeconds());
        }
        out.printf(Locale.ROOT, "launches: %d, overhead %s; collective hop latency %s%n", t.launches(),
                seconds(t.launchOverheadSeconds()), seconds(t.collectiveLatencySeconds()));
        if (t.tokensPerSecond().isPresent()) {
            out.printf(Locale.ROOT, "tokens per second: %.1f (%d token%s per run)%n", t.tokensPerSecond().getAsDouble(),
                    t.tokens(), t.tokens() == 1 ? "" : "s");
        }
        if (!t.gpu()) {
            out.printf(Locale.ROOT, "PCU use %.0f%%, PMU use %.0f%%%n", 100 * t.pcuUtilisation(), 100 * t.pmuUtilisation());
        }
        StringBuilder bw = new StringBuilder("achieved bandwidth (fraction of peak):");
        for (MemoryChannel ch : MemoryChannel.values()) {
            Double f = t.bandwidthFraction().get(ch);
            if (f != null && f > 0) {
                bw.append(String.format(Locale.ROOT, " %s %.0f%%", ch, 100 * f));
            }
        }
        out.println(bw);
        out.printf(Locale.ROOT, "%-32s %10s %14s  %s%n", "kernel", "launches", "time", "bound");
        for (TimingResult.KernelTotal k : t.kernels()) {
            out.printf(Locale.ROOT, "%-32s %10d %14s  %s%n", k.kernel(), k.launches(), seconds(k.seconds()), k.bound());
        }
    }

    public static JsonObject json(TimingResult t) {
        JsonObject json = new JsonObject();
        json.addProperty("totalSeconds", t.totalSeconds());
        json.addProperty("sockets", t.sockets());
        json.addProperty("orchestration", t.orchestration().name().toLowerCase(Locale.ROOT));
        json.addProperty("unfused", t.unfused());
        if (t.staticEstimate() != null && !t.gpu()) {
            Estimate e = t.staticEstimate();
            JsonObject est = new JsonObject();
            est.addProperty("nominal", e.nominal());
            est.addProperty("low", e.low());
            est.addProperty("high", e.high());
            json.add("staticEstimateSeconds", est);
        }
        json.addProperty("launches", t.launches());
        json.addProperty("launchOverheadSeconds", t.launchOverheadSeconds());
        json.addProperty("collectiveLatencySeconds", t.collectiveLatencySeconds());
        t.tokensPerSecond().ifPresent(v -> json.addProperty("tokensPerSecond", v));
        json.addProperty("pcuUtilisation", t.pcuUtilisation());
        json.addProperty("pmuUtilisation", t.pmuUtilisation());
        JsonObject bw = new JsonObject();
        for (MemoryChannel ch : MemoryChannel.values()) {
            Double f = t.bandwidthFraction().get(ch);
            if (f != null) {
                bw.addProperty(ch.name(), f);
            }
        }
        json.add("bandwidthFractionOfPeak", bw);
        JsonArray kernels = new JsonArray();
        for (TimingResult.KernelTotal k : t.kernels()) {
            JsonObject o = new JsonObject();
            o.addProperty("kernel", k.kernel());
            o.addProperty("launches", k.launches());
            o.addProperty("seconds", k.seconds());
            o.addProperty("bound", k.bound());
            o.addProperty("flops", k.flops());
            o.addProperty("offChipBytes", k.offChipBytes());
            o.add("intensity", AnalysisHeader.number(k.intensity()));
            o.addProperty("flopsPerSecond", k.flopsPerSecond());
            kernels.add(o);
        }
        json.add("kernels", kernels);
        return json;
    }

    /** A multi-step run: the steps, their total and tokens per second, and how the later steps were timed. */
    public static void text(DecodeSteps.Result m, PrintWriter out) {
        String range = m.constant().map(c -> String.format(Locale.ROOT, ", %s = %d to %d", c, m.firstValue(),
                m.firstValue() + m.count() - 1)).orElse(", all alike");
        out.printf(Locale.ROOT, "steps: %d back to back%s: %s in all%s%n", m.count(), range, seconds(m.totalSeconds()),
                m.tokensPerSecond().isPresent() ? String.format(Locale.ROOT, ", %.1f tokens per second (%d tokens)",
                        m.tokensPerSecond().getAsDouble(), m.tokens()) : "");
        if (m.later().isEmpty()) {
            return;
        }
        StepModel later = m.later().get();
        double[] span = span(later);
        String each = seconds(span[0]).equals(seconds(span[1])) ? seconds(span[0])
                : seconds(span[0]) + " to " + seconds(span[1]);
        out.printf(Locale.ROOT, "  first step %s (the run above, with its program loads); later steps %s each, %s%n",
                seconds(m.first().totalSeconds()), each, how(m, later));
    }

    /** The multi-step run as JSON: {@code count}, the varied constant and its range, totals, the later steps' model. */
    public static JsonObject json(DecodeSteps.Result m) {
        JsonObject json = new JsonObject();
        json.addProperty("count", m.count());
        m.constant().ifPresent(c -> {
            json.addProperty("constant", c);
            json.addProperty("from", m.firstValue());
            json.addProperty("to", m.firstValue() + m.count() - 1);
        });
        json.addProperty("totalSeconds", m.totalSeconds());
        json.addProperty("tokens", m.tokens());
        m.tokensPerSecond().ifPresent(v -> json.addProperty("tokensPerSecond", v));
        json.addProperty("firstStepSeconds", m.first().totalSeconds());
        m.later().ifPresent(later -> {
            JsonObject model = new JsonObject();
            model.addProperty("timing", m.constant().isEmpty() ? "one emulation for every later step"
                    : later.isEveryValue() ? "every step emulated" : "fitted");
            model.addProperty("emulatedSteps", later.samples().size());
            model.addProperty("estimatedMaxRelativeError", later.estimatedMaxRelativeError());
            double[] span = span(later);
            model.addProperty("fastestStepSeconds", span[0]);
            model.addProperty("slowestStepSeconds", span[1]);
            JsonArray samples = new JsonArray();
            for (StepModel.Sample sample : later.samples()) {
                JsonObject o = new JsonObject();
                o.addProperty("value", sample.value());
                o.addProperty("seconds", sample.seconds());
                samples.add(o);
            }
            model.add("samples", samples);
            json.add("laterSteps", model);
        });
        return json;
    }

    /** How the later steps were timed, for the text summary. */
    private static String how(DecodeSteps.Result m, StepModel later) {
        if (m.constant().isEmpty()) {
            return "one emulation for all (every step the same program, programs resident)";
        }
        if (later.isEveryValue()) {
            return "every step emulated";
        }
        return String.format(Locale.ROOT, "piecewise linear through %d emulated steps (estimated error %.2g%%)",
                later.samples().size(), 100 * later.estimatedMaxRelativeError());
    }

    /** The fastest and slowest emulated later step; a piecewise linear model's extremes are at its samples. */
    private static double[] span(StepModel later) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (StepModel.Sample sample : later.samples()) {
            min = Math.min(min, sample.seconds());
            max = Math.max(max, sample.seconds());
        }
        return new double[] { min, max };
    }

    /** {@code 1.23 ms}. */
    public static String seconds(double s) {
        if (s >= 1) {
            return String.format(Locale.ROOT, "%.3g s", s);
        }
        if (s >= 1e-3) {
            return String.format(Locale.ROOT, "%.3g ms", s * 1e3);
        }
        return String.format(Locale.ROOT, "%.3g us", s * 1e6);
    }
}
