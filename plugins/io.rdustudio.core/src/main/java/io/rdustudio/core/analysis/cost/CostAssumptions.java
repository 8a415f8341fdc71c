package io.rdustudio.core.analysis.cost;

import io.rdustudio.core.target.Corner;

/**
 * The cost model's own assumptions: how much of a peak a kernel achieves. They are modelling
 * choices, not hardware figures, so they live here rather than in a target profile (whose figures
 * are peaks). Each has a nominal value, a low-high range and its reasoning; the optimistic corner
 * takes the high fraction, the pessimistic corner the low one. docs/analysis.md repeats them.
 *
 * @param computeEfficiency   fraction of the PCUs' peak (GEMM, SIMD, tail) a balanced pipeline sustains
 * @param memoryEfficiency    fraction of a memory tier's peak bandwidth a stream of tiles sustains
 * @param networkEfficiency   fraction of the P2P link bandwidth a collective sustains
 */
public record CostAssumptions(Assumption computeEfficiency, Assumption memoryEfficiency, Assumption networkEfficiency) {

    /** One assumed fraction with its range and why. */
    public record Assumption(double nominal, double low, double high, String reasoning) {
        public Assumption {
            if (!(0 < low && low <= nominal && nominal <= high && high <= 1)) {
                throw new IllegalArgumentException("an efficiency needs 0 < low <= nominal <= high <= 1");
            }
        }

        /** The value a corner takes: high when optimistic (faster), low when pessimistic. */
        public double at(Corner corner) {
            return switch (corner) {
                case NOMINAL -> nominal;
                case OPTIMISTIC -> high;
                case PESSIMISTIC -> low;
            };
        }
    }

    public static final CostAssumptions DEFAULT = new CostAssumptions(
            new Assumption(0.75, 0.5, 0.9, "a spatial pipeline loses throughput to integer PCU allocation,"
                    + " pipeline fill and drain per tile and stages that cannot be balanced exactly; the paper"
                    + " reports fused kernels near peak, unfused ones far below"),
            new Assumption(0.85, 0.7, 0.95, "HBM and DDR sustain 70-95% of their peak for long sequential"
                    + " streams of tiles (refresh, bank conflicts, read-write turnaround)"),
            new Assumption(0.8, 0.6, 0.95, "collectives over P2P links lose bandwidth to protocol overhead"
                    + " and synchronisation between ring steps"));

    /** Assumptions with no loss at all: each figure at its peak (for exact tests and upper bounds). */
    public static final CostAssumptions PEAK = new CostAssumptions(
            new Assumption(1, 1, 1, "peak"), new Assumption(1, 1, 1, "peak"), new Assumption(1, 1, 1, "peak"));
}
