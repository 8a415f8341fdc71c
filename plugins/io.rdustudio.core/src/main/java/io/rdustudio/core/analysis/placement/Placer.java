package io.rdustudio.core.analysis.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

import io.rdustudio.core.analysis.Sizes;
import io.rdustudio.core.analysis.StageBuffers;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.OpCategory;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.ParamMode;
import io.rdustudio.core.ir.Value;
import io.rdustudio.core.target.FigureKey;
import io.rdustudio.core.target.TargetKind;
import io.rdustudio.core.target.TargetProfile;

/**
 * The placement preview: one kernel on one socket. See {@code docs/memory-and-placement.md}.
 *
 * <ol>
 * <li><b>Allocation.</b> Every stage (an operator with {@code isStage()}) gets one PCU, and the
 * remaining PCUs (the socket's, or the kernel's {@code pcus} budget) are shared out in proportion
 * to work ({@link WorkEstimator}), largest remainder first. Every stage buffer
 * ({@link StageBuffers}) gets {@code max(ceil(bytes / pmuBytes), ceil(bandwidth / pmuBandwidth))}
 * PMUs; its bandwidth is the bytes written into it plus read out of it (once per consumer) per
 * pipeline run time, the run time being the slower of the slowest stage and the kernel's
 * off-chip traffic at HBM bandwidth. When the PMUs do not suffice, bandwidth PMUs are cut back
 * first; capacity PMUs never are.</li>
 * <li><b>Streams.</b> A producer stage writes its buffer and every consumer stage reads it
 * (following layout operators, which are access patterns, back to their source buffer). Between a
 * group of {@code n} units and one of {@code m}, {@code max(n, m)} unit-to-unit streams each carry
 * {@code bytes / max(n, m)}: each unit of the larger group talks to one unit of the smaller.</li>
 * <li><b>Grid.</b> Dies side by side, {@code meshColumnsPerDie x meshRowsPerDie} each; every
 * position holds one PCU and one PMU, so a PCU and the PMU at its position are 0 hops apart.</li>
 * <li><b>Placement.</b> Greedy in dataflow order (each unit to the free position nearest the
 * weighted median of its placed neighbours; the first one at the centre of the grid), then simulated annealing (fixed seed; moves and swaps
 * within a window that shrinks as it cools; geometric cooling) on the weighted wire length
 * {@code sum bytes x Manhattan hops}. The annealed result is kept only if it beats the greedy one.</li>
 * <li><b>Routing.</b> XY (along the row first, then the column) over directed mesh links; a link
 * crossing the die boundary is one row's share of the die-to-die bandwidth.</li>
 * </ol>
 */
public final class Placer {

    /**
     * @param seed           the annealer's and the random baseline's seed
     * @param movesPerUnit   annealing moves per placed unit (capped at {@code maxMoves})
     * @param maxMoves       the most annealing moves in all
     * @param routesReported how many longest routes and most loaded links to report
     */
    public record Options(long seed, int movesPerUnit, int maxMoves, int routesReported) {
        public static final Options DEFAULT = new Options(42, 300, 600_000, 10);
    }

    private Placer() {
    }

    public static Placement place(Kernel kernel, TargetProfile profile) {
        return place(kernel, profile, DefaultWorkEstimator.INSTANCE, Options.DEFAULT, () -> false);
    }

    public static Placement place(Kernel kernel, TargetProfile profile, WorkEstimator work, Options options,
            BooleanSupplier cancelled) {
        return new Run(kernel, profile, work, options, cancelled).place();
    }

    private static final class Run {
        private final Kernel kernel;
        private final TargetProfile profile;
        private final WorkEstimator estimator;
        private final Options options;
        private final BooleanSupplier cancel;
        private final List<Diagnostic> diagnostics = new ArrayList<>();
        private int columnsPerDie;
        private int rows;
        private int dies;
        private int width;
        private int positions;

        // groups
        private final List<Placement.Group> groups = new ArrayList<>();
        private final List<Integer> order = new ArrayList<>();
        private final List<double[]> edges = new ArrayList<>(); // {fromGroup, toGroup, bytes}
        private double pipelineSeconds;

        // units and nets
        private int[] unitGroup;
        private boolean[] unitIsPmu;
        private int[] netA;
        private int[] netB;
        private double[] netBytes;
        private int[][] unitNets;

        Run(Kernel kernel, TargetProfile profile, WorkEstimator estimator, Options options, BooleanSupplier cancel) {
            this.kernel = kernel;
            this.profile = profile;
            this.estimator = estimator;
            this.options = options;
            this.cancel = cancel;
        }

        Placement place() {
            if (profile.kind() != TargetKind.RDU) {
                diagnostics.add(Diagnostic.warning("dfk.placement-target", "placement models an RDU; target "
                        + profile.name() + " is not one: choose sn40l", kernel.location()));
                return empty(false);
            }
            columnsPerDie = (int) profile.value(FigureKey.MESH_COLUMNS_PER_DIE);
            rows = (int) profile.value(FigureKey.MESH_ROWS_PER_DIE);
            dies = (int) profile.value(FigureKey.DIES_PER_SOCKET);
            width = columnsPerDie * dies;
            positions = width * rows;
            int pcus = Math.min(positions, (int) profile.value(FigureKey.PCUS_PER_SOCKET));
            if (kernel.hints().pcuBudget().isPresent()) {
                pcus = Math.min(pcus, kernel.hints().pcuBudget().getAsInt());
            }
            int pmus = Math.min(positions, (int) profile.value(FigureKey.PMUS_PER_SOCKET));
            if (!allocate(pcus, pmus)) {
                return empty(false);
            }
            buildUnitsAndNets();
            int[] greedy = greedy();
            double greedyCost = cost(greedy);
            int[] annealed = greedy.clone();
            boolean stopped = anneal(annealed);
            double annealedCost = cost(annealed);
            int[] best = annealedCost <= greedyCost ? annealed : greedy;
            if (stopped) {
                diagnostics.add(new Diagnostic(Severity.INFO, "dfk.cancelled",
                        "placement was cancelled; the placement shown is the greedy one", kernel.location()));
                best = greedy;
            }
            return result(best, pcus, pmus, stopped);
        }

        private Placement empty(boolean cancelled) {
            return new Placement(kernel.instanceName(), columnsPerDie, rows, dies, 0, 0, groups, List.of(), 0, 0, 0, 0,
                    0, 0, List.of(), List.of(), 0, 0, 0, diagnostics, cancelled);
        }

        // ---- allocation ----

        private boolean allocate(int pcus, int pmus) {
            List<Operation> stages = kernel.operations().stream().filter(op -> op.kind().isStage()).toList();
            if (stages.isEmpty()) {
                diagnostics.add(new Diagnostic(Severity.INFO, "dfk.placement-no-stages", "kernel " + kernel.name()
                        + " has no compute stages to place (layout operators are access patterns)", kernel.location()));
                return false;
            }
            if (stages.size() > pcus) {
                diagnostics.add(Diagnostic.error("dfk.too-many-stages", String.format(
                        "kernel %s has %,d stages but %,d PCUs to place them on (one stage needs at least one PCU);"
                                + " split it into several kernels", kernel.name(), stages.size(), pcus),
                        kernel.location()));
                return false;
            }
            double[] work = new double[stages.size()];
            double total = 0;
            for (int i = 0; i < stages.size(); i++) {
                work[i] = Math.max(1, estimator.work(kernel, stages.get(i)));
                total += work[i];
            }
            int[] given = shareOut(work, total, pcus - stages.size());
            double compute = 0;
            for (int i = 0; i < stages.size(); i++) {
                given[i] += 1;
                double rate = profile.value(stages.get(i).kind().category() == OpCategory.MATMUL ? FigureKey.PCU_GEMM_FLOPS
                        : FigureKey.PCU_SIMD_FLOPS);
                compute = Math.max(compute, work[i] / (given[i] * rate));
            }
            double offChip = 0;
            for (KernelParam p : kernel.params()) {
                offChip += bytes(p.asValue()) * (p.mode() == ParamMode.STATE ? 2 : 1);
            }
            pipelineSeconds = Math.max(compute, offChip / profile.value(FigureKey.HBM_BANDWIDTH_BYTES_PER_SECOND));

            Map<String, Integer> stageOf = new HashMap<>();
            for (int i = 0; i < stages.size(); i++) {
                Operation op = stages.get(i);
                groups.add(new Placement.Group(op.output().name(), Placement.UnitKind.PCU, op.kind().keyword(), work[i], 0,
                        1, 0, given[i], op.location().line()));
                for (Value v : op.outputs()) {
                    stageOf.put(v.name(), i);
                }
            }
            List<StageBuffers.Buffer> buffers = StageBuffers.of(kernel, profile);
            Map<String, Integer> bufferOf = new LinkedHashMap<>();
            for (StageBuffers.Buffer b : buffers) {
                bufferOf.put(b.value(), stages.size() + bufferOf.size());
            }
            Map<String, Operation> producers = new HashMap<>();
            for (Operation op : kernel.operations()) {
                for (Value v : op.outputs()) {
                    producers.put(v.name(), op);
                }
            }
            int[] consumers = new int[buffers.size()];
            List<double[]> rawEdges = new ArrayList<>();
            List<Integer> dataflow = new ArrayList<>();
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int i = 0; i < stages.size(); i++) {
                Operation op = stages.get(i);
                java.util.Set<String> sources = new java.util.LinkedHashSet<>();
                for (String in : op.inputs()) {
                    collectSources(in, producers, bufferOf, sources, new java.util.HashSet<>());
                }
                for (String s : sources) {
                    int b = bufferOf.get(s);
                    consumers[b - stages.size()]++;
                    rawEdges.add(new double[] { b, i, bytes(buffers.get(b - stages.size())) });
                    if (seen.add(b)) {
                        dataflow.add(b);
                    }
                }
                if (seen.add(i)) {
                    dataflow.add(i);
                }
                for (Value v : op.outputs()) {
                    Integer b = bufferOf.get(v.name());
                    if (b != null) {
                        rawEdges.add(new double[] { i, b, bytes(v) });
                        if (seen.add(b)) {
                            dataflow.add(b);
                        }
                    }
                }
            }
            long pmuBytes = (long) profile.value(FigureKey.PMU_BYTES);
            double pmuBandwidth = profile.value(FigureKey.PMU_BANDWIDTH_BYTES_PER_SECOND);
            int[] capacity = new int[buffers.size()];
            int[] bandwidth = new int[buffers.size()];
            long capacityTotal = 0;
            for (int k = 0; k < buffers.size(); k++) {
                StageBuffers.Buffer b = buffers.get(k);
                capacity[k] = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (b.bytes() + pmuBytes - 1) / pmuBytes));
                double streamed = bytes(b) * Math.max(1, consumers[k]);
                bandwidth[k] = (int) Math.min(Integer.MAX_VALUE, Math.ceil(streamed / pipelineSeconds / pmuBandwidth));
                capacityTotal += capacity[k];
            }
            if (capacityTotal > pmus) {
                diagnostics.add(Diagnostic.error("dfk.sram-overflow", String.format(
                        "kernel %s needs %,d PMUs for the capacity of its stage buffers but a socket has %,d; use a smaller"
                                + " tile hint or split the kernel", kernel.name(), capacityTotal, pmus), kernel.location()));
                return false;
            }
            double[] extraNeed = new double[buffers.size()];
            double extraTotal = 0;
            for (int k = 0; k < buffers.size(); k++) {
                extraNeed[k] = Math.max(0, bandwidth[k] - capacity[k]);
                extraTotal += extraNeed[k];
            }
            int spare = (int) (pmus - capacityTotal);
            int[] extra = extraTotal <= spare ? Arrays.stream(extraNeed).mapToInt(d -> (int) d).toArray()
                    : shareOut(extraNeed, extraTotal, spare);
            if (extraTotal > spare) {
                diagnostics.add(new Diagnostic(Severity.WARNING, "dfk.pmu-bandwidth", String.format(
                        "kernel %s's stage buffers need %,d more PMUs for bandwidth than the %,d left after capacity;"
                                + " the pipeline will wait on its buffers", kernel.name(), (long) extraTotal, spare),
                        kernel.location()));
            }
            for (int k = 0; k < buffers.size(); k++) {
                StageBuffers.Buffer b = buffers.get(k);
                Operation producer = producers.get(b.value());
                int line = producer != null ? producer.location().line() : paramLine(b.value());
                groups.add(new Placement.Group(b.value(), Placement.UnitKind.PMU, "buffer", 0, b.bytes(), capacity[k],
                        bandwidth[k], capacity[k] + extra[k], line));
            }
            order.addAll(dataflow);
            for (int g = 0; g < groups.size(); g++) {
                if (!seen.contains(g)) {
                    order.add(g);
                }
            }
            edges.addAll(rawEdges);
            return true;
        }

        private int paramLine(String name) {
            for (KernelParam p : kernel.params()) {
                if (p.name().equals(name)) {
                    return p.location().line();
                }
            }
            return kernel.location().line();
        }

        /** The buffers a value comes from: itself if buffered, else through layout operators. */
        private static void collectSources(String name, Map<String, Operation> producers, Map<String, Integer> bufferOf,
                java.util.Set<String> out, java.util.Set<String> visiting) {
            if (!visiting.add(name)) {
                return;
            }
            if (bufferOf.containsKey(name)) {
                out.add(name);
                return;
            }
            Operation op = producers.get(name);
            if (op != null && !op.kind().isStage()) {
                for (String in : op.inputs()) {
                    collectSources(in, producers, bufferOf, out, visiting);
                }
            }
        }

        /** Largest-remainder apportionment of {@code units} in proportion to {@code weights}. */
        private static int[] shareOut(double[] weights, double total, int units) {
            int[] given = new int[weights.length];
            if (units <= 0 || total <= 0) {
                return given;
            }
            double[] remainder = new double[weights.length];
            int left = units;
            for (int i = 0; i < weights.length; i++) {
                double exact = units * weights[i] / total;
                given[i] = (int) Math.floor(exact);
                remainder[i] = exact - given[i];
                left -= given[i];
            }
            Integer[] byRemainder = new Integer[weights.length];
            for (int i = 0; i < weights.length; i++) {
                byRemainder[i] = i;
            }
            Arrays.sort(byRemainder, Comparator.comparingDouble((Integer i) -> -remainder[i]).thenComparingInt(i -> i));
            for (int k = 0; k < left && k < weights.length; k++) {
                given[byRemainder[k]]++;
            }
            return given;
        }

        private static double bytes(Value v) {
            double n = v.type().dtype().bytes();
            for (long d : v.type().shape().dims()) {
                n *= d;
            }
            return n;
        }

        private static double bytes(StageBuffers.Buffer b) {
            return bytes(new Value(b.value(), b.type()));
        }

        // ---- units and nets ----

        private int[][] groupUnits;

        private void buildUnitsAndNets() {
            int total = groups.stream().mapToInt(Placement.Group::units).sum();
            unitGroup = new int[total];
            unitIsPmu = new boolean[total];
            groupUnits = new int[groups.size()][];
            int next = 0;
            for (int g : order) {
                Placement.Group group = groups.get(g);
                groupUnits[g] = new int[group.units()];
                for (int k = 0; k < group.units(); k++) {
                    unitGroup[next] = g;
                    unitIsPmu[next] = group.kind() == Placement.UnitKind.PMU;
                    groupUnits[g][k] = next++;
                }
            }
            List<int[]> pairs = new ArrayList<>();
            List<Double> weights = new ArrayList<>();
            for (double[] e : edges) {
                int[] a = groupUnits[(int) e[0]];
                int[] b = groupUnits[(int) e[1]];
                int m = Math.max(a.length, b.length);
                for (int k = 0; k < m; k++) {
                    pairs.add(new int[] { a[k % a.length], b[k % b.length] });
                    weights.add(e[2] / m);
                }
            }
            netA = new int[pairs.size()];
            netB = new int[pairs.size()];
            netBytes = new double[pairs.size()];
            int[] degree = new int[total];
            for (int n = 0; n < pairs.size(); n++) {
                netA[n] = pairs.get(n)[0];
                netB[n] = pairs.get(n)[1];
                netBytes[n] = weights.get(n);
                degree[netA[n]]++;
                degree[netB[n]]++;
            }
            unitNets = new int[total][];
            for (int u = 0; u < total; u++) {
                unitNets[u] = new int[degree[u]];
            }
            int[] fill = new int[total];
            for (int n = 0; n < netA.length; n++) {
                unitNets[netA[n]][fill[netA[n]]++] = n;
                unitNets[netB[n]][fill[netB[n]]++] = n;
            }
        }

        private int distance(int p, int q) {
            return Math.abs(p % width - q % width) + Math.abs(p / width - q / width);
        }

        double cost(int[] slot) {
            double c = 0;
            for (int n = 0; n < netA.length; n++) {
                c += netBytes[n] * distance(slot[netA[n]], slot[netB[n]]);
            }
            return c;
        }

        // ---- greedy ----

        private int[] greedy() {
            int[] slot = new int[unitGroup.length];
            Arrays.fill(slot, -1);
            boolean[][] used = new boolean[2][positions];
            int last = (rows / 2) * width + width / 2;
            List<Integer> xs = new ArrayList<>();
            List<Integer> ys = new ArrayList<>();
            List<Double> ws = new ArrayList<>();
            for (int u = 0; u < unitGroup.length; u++) {
                xs.clear();
                ys.clear();
                ws.clear();
                for (int n : unitNets[u]) {
                    int other = netA[n] == u ? netB[n] : netA[n];
                    if (slot[other] >= 0) {
                        xs.add(slot[other] % width);
                        ys.add(slot[other] / width);
                        ws.add(netBytes[n]);
                    }
                }
                int target = xs.isEmpty() ? last : weightedMedian(xs, ws) + width * weightedMedian(ys, ws);
                int layer = unitIsPmu[u] ? 1 : 0;
                int p = nearestFree(used[layer], target);
                used[layer][p] = true;
                slot[u] = p;
                last = p;
            }
            return slot;
        }

        private static int weightedMedian(List<Integer> values, List<Double> weights) {
            Integer[] idx = new Integer[values.size()];
            double total = 0;
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
                total += weights.get(i);
            }
            Arrays.sort(idx, Comparator.comparingInt(values::get));
            double acc = 0;
            for (int i : idx) {
                acc += weights.get(i);
                if (acc >= total / 2) {
                    return values.get(i);
                }
            }
            return values.get(idx[idx.length - 1]);
        }

        /** The free position nearest {@code target} (Manhattan rings; ties by row then column). */
        private int nearestFree(boolean[] used, int target) {
            int tx = target % width;
            int ty = target / width;
            for (int r = 0; r < width + rows; r++) {
                for (int dy = -r; dy <= r; dy++) {
                    int y = ty + dy;
                    if (y < 0 || y >= rows) {
                        continue;
                    }
                    int dx = r - Math.abs(dy);
                    for (int x : dx == 0 ? new int[] { tx } : new int[] { tx - dx, tx + dx }) {
                        if (x >= 0 && x < width && !used[y * width + x]) {
                            return y * width + x;
                        }
                    }
                }
            }
            throw new IllegalStateException("no free position: more units than grid positions");
        }

        // ---- annealing ----

        /** Returns whether it was cancelled. */
        private boolean anneal(int[] slot) {
            int n = unitGroup.length;
            if (n < 2 || netA.length == 0) {
                return false;
            }
            int[][] occupant = new int[2][positions];
            for (int[] o : occupant) {
                Arrays.fill(o, -1);
            }
            for (int u = 0; u < n; u++) {
                occupant[unitIsPmu[u] ? 1 : 0][slot[u]] = u;
            }
            Random random = new Random(options.seed());
            int[] stamp = new int[netA.length];
            int[] stampRef = { 0 };
            // Starting temperature: the mean uphill delta of a sample of random moves.
            double uphill = 0;
            int samples = 0;
            for (int i = 0; i < 200; i++) {
                int u = random.nextInt(n);
                int p = random.nextInt(positions);
                double d = delta(slot, occupant, u, p, stamp, stampRef);
                if (d > 0) {
                    uphill += d;
                    samples++;
                }
            }
            if (samples == 0) {
                return false;
            }
            double t0 = uphill / samples;
            double tEnd = t0 * 1e-4;
            long moves = Math.min((long) options.maxMoves(), (long) options.movesPerUnit() * n);
            double cooling = StrictMath.pow(tEnd / t0, 1.0 / Math.max(1, moves));
            double temperature = t0;
            int span = width + rows;
            for (long m = 0; m < moves; m++) {
                if ((m & 4095) == 0 && cancel.getAsBoolean()) {
                    return true;
                }
                int u = random.nextInt(n);
                int radius = Math.max(2, (int) (span * StrictMath.pow(temperature / t0, 0.25)));
                int ux = slot[u] % width;
                int uy = slot[u] / width;
                int x = Math.min(width - 1, Math.max(0, ux + random.nextInt(2 * radius + 1) - radius));
                int y = Math.min(rows - 1, Math.max(0, uy + random.nextInt(2 * radius + 1) - radius));
                int p = y * width + x;
                if (p != slot[u]) {
                    double d = delta(slot, occupant, u, p, stamp, stampRef);
                    if (d <= 0 || random.nextDouble() < StrictMath.exp(-d / temperature)) {
                        apply(slot, occupant, u, p);
                    }
                }
                temperature *= cooling;
            }
            return false;
        }

        private double delta(int[] slot, int[][] occupant, int u, int p, int[] stamp, int[] stampRef) {
            int layer = unitIsPmu[u] ? 1 : 0;
            int v = occupant[layer][p];
            if (v == u) {
                return 0;
            }
            int from = slot[u];
            int mark = ++stampRef[0];
            double before = 0;
            double after = 0;
            for (int pass = 0; pass < 2; pass++) {
                int w = pass == 0 ? u : v;
                if (w < 0) {
                    continue;
                }
                for (int net : unitNets[w]) {
                    if (stamp[net] == mark) {
                        continue;
                    }
                    stamp[net] = mark;
                    int a = netA[net];
                    int b = netB[net];
                    before += netBytes[net] * distance(slot[a], slot[b]);
                    after += netBytes[net] * distance(moved(a, slot, u, v, from, p), moved(b, slot, u, v, from, p));
                }
            }
            return after - before;
        }

        private static int moved(int unit, int[] slot, int u, int v, int from, int to) {
            return unit == u ? to : unit == v ? from : slot[unit];
        }

        private void apply(int[] slot, int[][] occupant, int u, int p) {
            int layer = unitIsPmu[u] ? 1 : 0;
            int v = occupant[layer][p];
            int from = slot[u];
            occupant[layer][from] = v;
            occupant[layer][p] = u;
            if (v >= 0) {
                slot[v] = from;
            }
            slot[u] = p;
        }

        // ---- baselines ----

        /** Units in dataflow order, each layer filled row by row across both dies. */
        double rowMajorCost() {
            int[] slot = new int[unitGroup.length];
            int[] next = new int[2];
            for (int u = 0; u < unitGroup.length; u++) {
                slot[u] = next[unitIsPmu[u] ? 1 : 0]++;
            }
            return cost(slot);
        }

        double randomCost() {
            Random random = new Random(options.seed());
            int[][] shuffled = new int[2][];
            for (int layer = 0; layer < 2; layer++) {
                int[] all = new int[positions];
                for (int i = 0; i < positions; i++) {
                    all[i] = i;
                }
                for (int i = positions - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = all[i];
                    all[i] = all[j];
                    all[j] = t;
                }
                shuffled[layer] = all;
            }
            int[] slot = new int[unitGroup.length];
            int[] next = new int[2];
            for (int u = 0; u < unitGroup.length; u++) {
                int layer = unitIsPmu[u] ? 1 : 0;
                slot[u] = shuffled[layer][next[layer]++];
            }
            return cost(slot);
        }

        // ---- report ----

        private Placement result(int[] slot, int pcusAvailable, int pmusAvailable, boolean cancelled) {
            List<Placement.Unit> units = new ArrayList<>(unitGroup.length);
            for (int u = 0; u < unitGroup.length; u++) {
                units.add(new Placement.Unit(unitIsPmu[u] ? Placement.UnitKind.PMU : Placement.UnitKind.PCU, unitGroup[u],
                        slot[u] % width, slot[u] / width));
            }
            // XY routing over directed links: [0] east, [1] west, [2] south, [3] north, indexed by the
            // position the link leaves.
            double[][] load = new double[4][positions];
            double crossing = 0;
            for (int n = 0; n < netA.length; n++) {
                int x = slot[netA[n]] % width;
                int y = slot[netA[n]] / width;
                int tx = slot[netB[n]] % width;
                int ty = slot[netB[n]] / width;
                while (x != tx) {
                    int step = tx > x ? 1 : -1;
                    load[step > 0 ? 0 : 1][y * width + x] += netBytes[n];
                    if (dieOf(x) != dieOf(x + step)) {
                        crossing += netBytes[n];
                    }
                    x += step;
                }
                while (y != ty) {
                    int step = ty > y ? 1 : -1;
                    load[step > 0 ? 2 : 3][y * width + x] += netBytes[n];
                    y += step;
                }
            }
            double mesh = profile.value(FigureKey.MESH_LINK_BYTES_PER_SECOND);
            double d2d = profile.value(FigureKey.DIE_TO_DIE_BYTES_PER_SECOND);
            List<Placement.LinkLoad> links = new ArrayList<>();
            int[][] dirs = { { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 } };
            for (int d = 0; d < 4; d++) {
                for (int p = 0; p < positions; p++) {
                    if (load[d][p] > 0) {
                        int x = p % width;
                        int y = p / width;
                        int x2 = x + dirs[d][0];
                        int y2 = y + dirs[d][1];
                        boolean dieToDie = dieOf(x) != dieOf(x2);
                        double capacity = dieToDie ? d2d / rows : mesh;
                        double bps = load[d][p] / pipelineSeconds;
                        links.add(new Placement.LinkLoad(x, y, x2, y2, dieToDie, load[d][p], bps, capacity, bps / capacity));
                    }
                }
            }
            links.sort(Comparator.comparingDouble(Placement.LinkLoad::load).reversed()
                    .thenComparingInt(Placement.LinkLoad::y1).thenComparingInt(Placement.LinkLoad::x1));
            Integer[] nets = new Integer[netA.length];
            for (int n = 0; n < nets.length; n++) {
                nets[n] = n;
            }
            Arrays.sort(nets, Comparator.comparingInt((Integer n) -> -distance(slot[netA[n]], slot[netB[n]]))
                    .thenComparingDouble(n -> -netBytes[n]).thenComparingInt(n -> n));
            List<Placement.Route> routes = new ArrayList<>();
            for (int k = 0; k < Math.min(options.routesReported(), nets.length); k++) {
                int n = nets[k];
                int a = slot[netA[n]];
                int b = slot[netB[n]];
                routes.add(new Placement.Route(groups.get(unitGroup[netA[n]]).name(), groups.get(unitGroup[netB[n]]).name(),
                        a % width, a / width, b % width, b / width, distance(a, b), netBytes[n],
                        dieOf(a % width) != dieOf(b % width)));
            }
            int pcusUsed = 0;
            int pmusUsed = 0;
            for (boolean pmu : unitIsPmu) {
                if (pmu) {
                    pmusUsed++;
                } else {
                    pcusUsed++;
                }
            }
            double crossingRate = crossing / pipelineSeconds;
            if (crossingRate > d2d) {
                diagnostics.add(new Diagnostic(Severity.INFO, "dfk.die-crossing", String.format(Locale.ROOT,
                        "kernel %s streams %s between the dies per run, %.2f TB/s at its pipeline rate, above the"
                                + " die-to-die link's %.2f TB/s", kernel.name(), Sizes.bytes((long) crossing),
                        crossingRate / 1e12, d2d / 1e12), kernel.location()));
            }
            return new Placement(kernel.instanceName(), columnsPerDie, rows, dies, pcusAvailable, pmusAvailable, groups,
                    units, pcusUsed / profile.value(FigureKey.PCUS_PER_SOCKET),
                    pmusUsed / profile.value(FigureKey.PMUS_PER_SOCKET), cost(slot), rowMajorCost(), randomCost(),
                    pipelineSeconds, routes, links.subList(0, Math.min(options.routesReported(), links.size())), crossing,
                    crossingRate, d2d, diagnostics, cancelled);
        }

        private int dieOf(int x) {
            return x / columnsPerDie;
        }
    }
}
