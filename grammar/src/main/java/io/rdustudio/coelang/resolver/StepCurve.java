package io.rdustudio.coelang.resolver;

import java.util.TreeMap;
import java.util.function.LongToDoubleFunction;

/**
 * The seconds of a prefill as a function of the prompt length, from a few emulated runs: the
 * emulator is run at the grid points 1, 2, 3, 4, 6, 8, 12, ... (powers of two and 1.5 times them) on
 * both sides of the length asked for, and the time is interpolated linearly between them. A length
 * on the grid is emulated exactly; each grid point is emulated once and kept.
 *
 * <p>Why lazily, on a grid, and not the emulator's {@code StepModel} (which decode steps use): a
 * prefill's cost grows with the square of the prompt (attention), so emulating the whole context
 * range up front, as a fit does, would pay for the longest prompts when a workload asks for one
 * length. Between grid points 1.5x apart the quadratic term makes a small overestimate. Answers
 * depend only on the length, never on what was asked before.
 */
final class StepCurve {

    private final LongToDoubleFunction emulate;
    private final TreeMap<Long, Double> samples = new TreeMap<>();

    StepCurve(LongToDoubleFunction emulate) {
        this.emulate = emulate;
    }

    synchronized double seconds(long length) {
        long low = gridAtOrBelow(Math.max(1, length));
        if (low == length) {
            return sample(low);
        }
        long high = gridAbove(low);
        double a = sample(low);
        double b = sample(high);
        return a + (b - a) * (length - low) / (double) (high - low);
    }

    private double sample(long length) {
        Double known = samples.get(length);
        if (known == null) {
            known = emulate.applyAsDouble(length);
            samples.put(length, known);
        }
        return known;
    }

    /** The largest grid point not above {@code length} (at least 1). */
    static long gridAtOrBelow(long length) {
        long power = Long.highestOneBit(length);
        long half = power / 2;
        return half > 0 && power + half <= length ? power + half : power;
    }

    /** The grid point after {@code point}. */
    static long gridAbove(long point) {
        long power = Long.highestOneBit(point);
        return point == power && power >= 2 ? power + power / 2 : 2 * power;
    }
}
