package io.rdustudio.coe;

import java.util.Arrays;

/**
 * Mean, percentiles and maximum of a set of durations, in seconds. Percentiles are nearest-rank:
 * the {@code p}-th is the smallest value with at least {@code p}% of the values at or below it,
 * {@code sorted[ceil(p / 100 * n) - 1]}; so they are always values that occurred. All zero when
 * there are no values.
 */
public record LatencySummary(int count, double meanSeconds, double p50Seconds, double p90Seconds, double p99Seconds,
        double maxSeconds) {

    public static LatencySummary of(double[] seconds) {
        if (seconds.length == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double s : sorted) {
            sum += s;
        }
        return new LatencySummary(sorted.length, sum / sorted.length, percentile(sorted, 50), percentile(sorted, 90),
                percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    /** The nearest-rank {@code p}-th percentile of ascending {@code sorted} (not empty), 0 < p <= 100. */
    public static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The value at percentile 50, 90 or 99. */
    public double at(int percentile) {
        return switch (percentile) {
            case 50 -> p50Seconds;
            case 90 -> p90Seconds;
            case 99 -> p99Seconds;
            default -> throw new IllegalArgumentException("percentile " + percentile + " is not 50, 90 or 99");
        };
    }
}
