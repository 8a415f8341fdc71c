package io.rdustudio.coe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    @Test
    void percentilesAreNearestRank() {
        double[] hundred = IntStream.rangeClosed(1, 100).mapToDouble(i -> 101 - i).toArray();

        LatencySummary s = LatencySummary.of(hundred);

        assertEquals(50, s.p50Seconds());
        assertEquals(90, s.p90Seconds());
        assertEquals(99, s.p99Seconds());
        assertEquals(100, s.maxSeconds());
        assertEquals(50.5, s.meanSeconds());
    }

    @Test
    void fewValuesGiveValuesThatOccurred() {
        LatencySummary s = LatencySummary.of(new double[] { 5, 1, 3 });

        assertEquals(3, s.p50Seconds());
        assertEquals(5, s.p90Seconds());
        assertEquals(5, s.p99Seconds());
        assertEquals(1, LatencySummary.of(new double[] { 1, 2 }).p50Seconds());
    }

    @Test
    void noValuesGiveZeros() {
        assertEquals(new LatencySummary(0, 0, 0, 0, 0, 0), LatencySummary.of(new double[0]));
    }
}
