package io.rdustudio.emulator.timing;

import java.util.List;

/**
 * A tandem queue with blocking: the streaming pipeline of one kernel launch at tile granularity
 * (docs/emulator.md, "The pipeline model").
 *
 * <p>Stage {@code i} takes {@code service[i]} seconds per tile. Between stage {@code i} and
 * {@code i + 1} sits a stage buffer of {@code capacity[i]} tiles (at least 1). A tile occupies its
 * slot from the moment the producer starts writing it until the consumer has finished reading it,
 * so with start {@code S} and finish {@code F}:
 *
 * <pre>
 * S(i,k) = max(F(i-1,k), F(i,k-1), F(i+1,k-c_i))     F(i,k) = S(i,k) + s_i (+ latency_i when k = 0)
 * </pre>
 *
 * The first term is the tile's arrival, the second the stage being busy, the third blocking on a
 * full output buffer. A capacity of 1 makes producer and consumer alternate (no overlap); 2 is
 * double buffering. The last stage has no output buffer. Fill and drain follow from the
 * recurrence: fill ends when the last stage finishes its first tile, drain starts when the first
 * stage finishes its last tile.
 */
final class Pipeline {

    /** One stage: a name, its seconds per tile, a one-off latency on its first tile, its output buffer. */
    record Stage(String name, double perTile, double latency, int outputCapacity) {
    }

    /**
     * The outcome of one launch.
     *
     * @param seconds    first start to last finish
     * @param fill       until the last stage finished its first tile
     * @param drain      from the first stage's last finish to the end
     * @param bottleneck the largest total busy time of one stage (the period of a pipelined outer loop)
     * @param slowest    the stage with that time
     */
    record Outcome(double seconds, double fill, double drain, double bottleneck, String slowest) {
        double steady() {
            return Math.max(0, seconds - fill - drain);
        }
    }

    private Pipeline() {
    }

    static Outcome run(List<Stage> stages, int tiles) {
        return run(stages, tiles, 1, -1);
    }

    /** Most iterations of a looped kernel simulated tile by tile; later ones repeat the last period. */
    static final int MAX_SIMULATED_ITERATIONS = 8;

    /**
     * {@code iterations} back-to-back runs of the pipeline in one launch (kernel looping): the tiles
     * of iteration {@code j + 1} follow those of iteration {@code j} through the same stages and
     * buffers, each iteration paying the stages' latencies on its first tile. When {@code dependsFrom}
     * is a stage index, iteration {@code j + 1}'s first tile may enter that stage (and the later ones)
     * only after iteration {@code j}'s last tile left the last stage: a loop-carried value (the
     * previous layer's output) is needed before the compute can start; stages before it (the
     * sources) may run ahead as far as the buffers let them. At most
     * {@link #MAX_SIMULATED_ITERATIONS} are simulated; each further iteration adds the last
     * simulated one's period. Fill and drain are the first iteration's fill and the last one's drain.
     */
    static Outcome run(List<Stage> stages, int tiles, long iterations, int dependsFrom) {
        int n = stages.size();
        if (n == 0 || tiles <= 0 || iterations <= 0) {
            return new Outcome(0, 0, 0, 0, "");
        }
        double[] service = new double[n];
        double[] latency = new double[n];
        int[] cap = new int[n];
        double bottleneck = 0;
        String slowest = stages.get(0).name();
        for (int i = 0; i < n; i++) {
            Stage s = stages.get(i);
            service[i] = s.perTile();
            latency[i] = s.latency();
            cap[i] = Math.max(1, s.outputCapacity());
            double busy = s.perTile() * tiles + s.latency();
            if (busy > bottleneck) {
                bottleneck = busy;
                slowest = s.name();
            }
        }
        int simulated = (int) Math.min(iterations, MAX_SIMULATED_ITERATIONS);
        long total = (long) tiles * simulated;
        int window = 2;
        for (int c : cap) {
            window = Math.max(window, c + 1);
        }
        window = (int) Math.min(window, total + 1);
        double[][] finish = new double[window][n];
        double fill = 0;
        double firstStageLast = 0;
        double end = 0;
        double previousEnd = 0;
        for (long g = 0; g < total; g++) {
            long k = g % tiles;
            double[] row = finish[(int) (g % window)];
            double[] prev = g > 0 ? finish[(int) ((g - 1) % window)] : null;
            for (int i = 0; i < n; i++) {
                double start = i > 0 ? row[i - 1] : 0;
                if (prev != null) {
                    start = Math.max(start, prev[i]);
                    if (k == 0 && dependsFrom >= 0 && i >= dependsFrom) {
                        start = Math.max(start, prev[n - 1]);
                    }
                }
                if (i + 1 < n && g - cap[i] >= 0) {
                    start = Math.max(start, finish[(int) ((g - cap[i]) % window)][i + 1]);
                }
                row[i] = start + service[i] + (k == 0 ? latency[i] : 0);
            }
            if (g == 0) {
                fill = row[n - 1];
            }
            if (k == tiles - 1) {
                previousEnd = end;
                end = row[n - 1];
                firstStageLast = row[0];
            }
        }
        double drain = tiles == 1 ? 0 : Math.max(0, end - Math.max(firstStageLast, simulated == 1 ? fill : 0));
        if (iterations > simulated) {
            end += (iterations - simulated) * (end - previousEnd);
        }
        if (iterations == 1 && tiles == 1) {
            return new Outcome(end, end, 0, bottleneck, slowest);
        }
        return new Outcome(end, Math.min(fill, end), Math.min(drain, Math.max(0, end - fill)), bottleneck, slowest);
    }

}
