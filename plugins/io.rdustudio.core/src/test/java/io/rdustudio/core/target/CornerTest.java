package io.rdustudio.core.target;

import static io.rdustudio.core.target.FigureKey.CLOCK_HZ;
import static io.rdustudio.core.target.FigureKey.HBM_BANDWIDTH_BYTES_PER_SECOND;
import static io.rdustudio.core.target.FigureKey.P2P_HOP_LATENCY_SECONDS;
import static io.rdustudio.core.target.FigureKey.PCUS_PER_SOCKET;
import static io.rdustudio.core.target.FigureKey.PEAK_FLOPS_PER_GPU;
import static io.rdustudio.core.target.FigureKey.SOFTWARE_LAUNCH_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CornerTest {

    private final TargetProfile sn40l = TargetProfiles.load("sn40l");

    @Test
    void aBandwidthIsHighWhenOptimisticAndLowWhenPessimistic() {
        assertEquals(1.9e12, sn40l.value(HBM_BANDWIDTH_BYTES_PER_SECOND));
        assertEquals(2.0e12, sn40l.at(Corner.OPTIMISTIC).value(HBM_BANDWIDTH_BYTES_PER_SECOND));
        assertEquals(1.8e12, sn40l.at(Corner.PESSIMISTIC).value(HBM_BANDWIDTH_BYTES_PER_SECOND));
    }

    @Test
    void aLatencyIsLowWhenOptimisticAndHighWhenPessimistic() {
        Figure hop = sn40l.figure(P2P_HOP_LATENCY_SECONDS);

        assertEquals(hop.low(), sn40l.at(Corner.OPTIMISTIC).value(P2P_HOP_LATENCY_SECONDS));
        assertEquals(hop.high(), sn40l.at(Corner.PESSIMISTIC).value(P2P_HOP_LATENCY_SECONDS));
        assertTrue(hop.low() < hop.high());
    }

    @Test
    void everyCornerTakesTheOneValueOfAStructuralFigure() {
        for (Corner corner : Corner.values()) {
            assertEquals(Bound.NOMINAL, corner.boundFor(PCUS_PER_SOCKET));
            assertEquals(1040, sn40l.at(corner).value(PCUS_PER_SOCKET));
        }
    }

    @Test
    void cornersFollowEachKeysDirection() {
        assertEquals(Bound.HIGH, Corner.OPTIMISTIC.boundFor(CLOCK_HZ));
        assertEquals(Bound.LOW, Corner.PESSIMISTIC.boundFor(CLOCK_HZ));
        assertEquals(Bound.LOW, Corner.OPTIMISTIC.boundFor(SOFTWARE_LAUNCH_SECONDS));
        assertEquals(Bound.HIGH, Corner.PESSIMISTIC.boundFor(SOFTWARE_LAUNCH_SECONDS));
        for (FigureKey key : FigureKey.values()) {
            assertEquals(Bound.NOMINAL, Corner.NOMINAL.boundFor(key), key.jsonKey());
        }
    }

    @Test
    void aCornerViewSharesFiguresAndIdentityWithItsProfile() {
        TargetProfile pessimistic = sn40l.at(Corner.PESSIMISTIC);

        assertEquals(Corner.NOMINAL, sn40l.corner());
        assertEquals(Corner.PESSIMISTIC, pessimistic.corner());
        assertSame(sn40l.figures(), pessimistic.figures());
        assertEquals(sn40l.contentHash(), pessimistic.contentHash());
        assertEquals(sn40l.figure(CLOCK_HZ), pessimistic.figure(CLOCK_HZ), "figure() ignores the corner");
        assertEquals(sn40l.value(CLOCK_HZ), pessimistic.at(Corner.NOMINAL).value(CLOCK_HZ));
    }

    @Test
    void askingForAFigureOfAnotherKindNamesTheProfileAndTheKey() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> sn40l.value(PEAK_FLOPS_PER_GPU));

        assertEquals("target profile sn40l (kind rdu) has no figure peakFlopsPerGpu; only profiles of kind gpu have it",
                error.getMessage());
    }

    @Test
    void figureAnswersEachBound() {
        Figure figure = new Figure(2, 1, 3, FigureKey.Unit.SECONDS, Provenance.ASSUMED, "reasoning");

        assertEquals(2, figure.at(Bound.NOMINAL));
        assertEquals(1, figure.at(Bound.LOW));
        assertEquals(3, figure.at(Bound.HIGH));
    }

    @Test
    void figureRejectsValuesOutOfOrderOrNotPositive() {
        assertThrows(IllegalArgumentException.class,
                () -> new Figure(1, 2, 3, FigureKey.Unit.SECONDS, Provenance.ASSUMED, "reasoning"));
        assertThrows(IllegalArgumentException.class,
                () -> new Figure(0, 0, 0, FigureKey.Unit.SECONDS, Provenance.ASSUMED, "reasoning"));
        assertThrows(IllegalArgumentException.class,
                () -> new Figure(1, 1, Double.POSITIVE_INFINITY, FigureKey.Unit.SECONDS, Provenance.ASSUMED, "r"));
        assertThrows(IllegalArgumentException.class,
                () -> new Figure(1, 1, 1, FigureKey.Unit.SECONDS, Provenance.ASSUMED, " "));
    }
}
