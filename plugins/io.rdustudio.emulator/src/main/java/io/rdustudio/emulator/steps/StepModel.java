package io.rdustudio.emulator.steps;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import java.util.function.LongToDoubleFunction;

/**
 * The time of one step of a multi-step run as a function of an integer that changes from step to
 * step (a KV length, a position), over a closed range {@code [first, last]}: linear interpolation
 * between emulated samples, chosen adaptively ({@link #fit}) or one per value ({@link #everyValue}).
 *
 * <p><b>Why piecewise linear.</b> In the timing model a step's work grows linearly with a KV length
 * (the cache's bytes and the attention's FLOPs), each pipeline stage's time is linear in it, and a
 * call's time is set by the slowest stage plus fill and drain: the maximum of linear functions,
 * plus terms that change by a fraction of a tile when the tile count steps up. So the step time is
 * piecewise linear with a few breakpoints (where the bound moves from one stage to another) and a
 * small ripple; linear pieces between samples capture it, and bisection finds the breakpoints.
 *
 * <p><b>Fitting.</b> Samples at {@value #INITIAL_SEGMENTS} + 1 evenly spaced values; then each
 * segment is checked at its midpoint: if the emulated time there differs from the segment's line
 * by more than the tolerance (relative), the segment is split there and both halves are checked in
 * turn; otherwise the midpoint is kept as a sample as well and the segment is done. Segments of
 * adjacent values are exact. {@link #estimatedMaxRelativeError()} is the largest relative
 * difference seen at an accepted midpoint between the emulated time and the coarser segment: for a
 * convex or concave piece the interpolation's error is at most twice that, and since the midpoints
 * become samples the model's own error is smaller still. Tests check the model against the
 * emulation of every step of a real example.
 *
 * <p>Immutable; deterministic (the samples depend only on the range, the tolerance and the times).
 */
public final class StepModel {

    /** Default tolerance of {@link #fit}: 0.1%, a tenth of the 1% that issue 4 allows a fitted model. */
    public static final double DEFAULT_TOLERANCE = 1e-3;
    /** Evenly spaced segments sampled before any bisection. */
    public static final int INITIAL_SEGMENTS = 8;

    /** One emulated step: the varied value and the step's seconds. */
    public record Sample(long value, double seconds) {
    }

    private final long first;
    private final long last;
    private final long[] values;
    private final double[] seconds;
    private final double estimatedError;
    private final boolean everyValue;

    private StepModel(long first, long last, TreeMap<Long, Double> samples, double estimatedError, boolean everyValue) {
        this.first = first;
        this.last = last;
        this.values = samples.keySet().stream().mapToLong(Long::longValue).toArray();
        this.seconds = samples.values().stream().mapToDouble(Double::doubleValue).toArray();
        this.estimatedError = estimatedError;
        this.everyValue = everyValue;
    }

    /**
     * Fits the step time over {@code [first, last]} (see the class comment).
     *
     * @param secondsAt the emulated seconds of one step at a value; called once per sample, in a
     *                  deterministic order
     * @param tolerance the relative difference at a midpoint above which a segment is split
     * @param cancelled polled before every sample; once true the fit throws {@link CancellationException}
     * @param progress  hears the fraction of the range covered by finished segments, 0 to 1
     */
    public static StepModel fit(LongToDoubleFunction secondsAt, long first, long last, double tolerance,
            BooleanSupplier cancelled, DoubleConsumer progress) {
        checkRange(first, last);
        Sampler sampler = new Sampler(secondsAt, cancelled);
        long segments = Math.min(INITIAL_SEGMENTS, last - first);
        List<Long> knots = new ArrayList<>();
        for (long i = 0; i <= segments; i++) {
            knots.add(segments == 0 ? first : first + Math.round((double) (last - first) * i / segments));
        }
        knots.forEach(sampler::at);
        Deque<long[]> open = new ArrayDeque<>();
        for (int i = knots.size() - 2; i >= 0; i--) {
            open.push(new long[] { knots.get(i), knots.get(i + 1) });
        }
        double worst = 0;
        long covered = 0;
        double range = Math.max(1, last - first);
        progress.accept(0);
        while (!open.isEmpty()) {
            long[] segment = open.pop();
            long a = segment[0];
            long b = segment[1];
            if (b - a >= 2) {
                long m = a + (b - a) / 2;
                double measured = sampler.at(m);
                double line = sampler.at(a) + (sampler.at(b) - sampler.at(a)) * (m - a) / (b - a);
                double deviation = Math.abs(measured - line) / Math.max(Math.abs(measured), Double.MIN_NORMAL);
                if (deviation > tolerance) {
                    open.push(new long[] { m, b });
                    open.push(new long[] { a, m });
                    continue;
                }
                worst = Math.max(worst, deviation);
            }
            covered += b - a;
            progress.accept(covered / range);
        }
        progress.accept(1);
        return new StepModel(first, last, sampler.samples, worst, false);
    }

    /** {@link #fit} with {@link #DEFAULT_TOLERANCE}, never cancelled, without progress. */
    public static StepModel fit(LongToDoubleFunction secondsAt, long first, long last) {
        return fit(secondsAt, first, last, DEFAULT_TOLERANCE, () -> false, f -> { });
    }

    /** Every value of {@code [first, last]} emulated: exact, and what a fitted model is checked against. */
    public static StepModel everyValue(LongToDoubleFunction secondsAt, long first, long last, BooleanSupplier cancelled,
            DoubleConsumer progress) {
        checkRange(first, last);
        Sampler sampler = new Sampler(secondsAt, cancelled);
        double range = last - first + 1.0;
        progress.accept(0);
        for (long v = first; v <= last; v++) {
            sampler.at(v);
            progress.accept((v - first + 1) / range);
        }
        return new StepModel(first, last, sampler.samples, 0, true);
    }

    private static void checkRange(long first, long last) {
        if (last < first) {
            throw new IllegalArgumentException("empty range [" + first + ", " + last + "]");
        }
    }

    /** The seconds of one step at {@code value}, inside {@code [first(), last()]}. */
    public double secondsFor(long value) {
        if (value < first || value > last) {
            throw new IllegalArgumentException("the step model covers " + first + " to " + last + ", not " + value);
        }
        int i = java.util.Arrays.binarySearch(values, value);
        if (i >= 0) {
            return seconds[i];
        }
        int hi = -i - 1;
        int lo = hi - 1;
        return seconds[lo] + (seconds[hi] - seconds[lo]) * (value - values[lo]) / (values[hi] - values[lo]);
    }

    /** The seconds of {@code count} consecutive steps at {@code from, from + 1, ...}, all inside the range. */
    public double totalSeconds(long from, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("a negative number of steps: " + count);
        }
        double total = 0;
        for (long v = from; v < from + count; v++) {
            total += secondsFor(v);
        }
        return total;
    }

    public long first() {
        return first;
    }

    public long last() {
        return last;
    }

    /** The emulated steps the model goes through, by value. */
    public List<Sample> samples() {
        List<Sample> out = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            out.add(new Sample(values[i], seconds[i]));
        }
        return out;
    }

    /** The largest relative difference seen at an accepted midpoint (see the class comment); 0 for {@link #everyValue}. */
    public double estimatedMaxRelativeError() {
        return estimatedError;
    }

    /** Every value was emulated. */
    public boolean isEveryValue() {
        return everyValue;
    }

    /** Emulates each value at most once, checking for cancellation before each. */
    private static final class Sampler {
        private final LongToDoubleFunction secondsAt;
        private final BooleanSupplier cancelled;
        private final TreeMap<Long, Double> samples = new TreeMap<>();

        Sampler(LongToDoubleFunction secondsAt, BooleanSupplier cancelled) {
            this.secondsAt = secondsAt;
            this.cancelled = cancelled;
        }

        double at(long value) {
            Double known = samples.get(value);
            if (known != null) {
                return known;
            }
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled while emulating the steps");
            }
            double s = secondsAt.applyAsDouble(value);
            samples.put(value, s);
            return s;
        }
    }
}
