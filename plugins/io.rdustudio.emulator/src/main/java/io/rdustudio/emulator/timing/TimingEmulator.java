package io.rdustudio.emulator.timing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.StageBuffers;
import io.rdustudio.core.analysis.cost.CostAssumptions;
import io.rdustudio.core.analysis.cost.CostModel;
import io.rdustudio.core.analysis.cost.Estimate;
import io.rdustudio.core.analysis.cost.KernelCost;
import io.rdustudio.core.analysis.cost.MemoryChannel;
import io.rdustudio.core.analysis.cost.OpWork;
import io.rdustudio.core.analysis.cost.ParamTiers;
import io.rdustudio.core.analysis.cost.ProgramCost;
import io.rdustudio.core.analysis.cost.Stream;
import io.rdustudio.core.analysis.cost.TensorTiers;
import io.rdustudio.core.analysis.fusion.ResourceNeeds;
import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.Orchestration;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Role;
import io.rdustudio.core.ir.Schedule;
import io.rdustudio.core.ir.Step;
import io.rdustudio.core.ir.TensorDecl;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Value;
import io.rdustudio.core.target.Corner;
import io.rdustudio.core.target.FigureKey;
import io.rdustudio.core.target.TargetKind;
import io.rdustudio.core.target.TargetProfile;

/**
 * The timing emulator (docs/emulator.md): each kernel launch a streaming pipeline simulated at
 * tile granularity ({@link Pipeline}), launches priced from the target profile, collectives as ring
 * algorithms, and a per-operator roofline for GPU profiles. It builds on the core's analyses: the
 * memory plan's tiers, the cost model's streams and work, {@link ResourceNeeds}' PCU shares and
 * {@link StageBuffers}' capacities. Deterministic: no clocks, no randomness, ordered maps.
 */
public final class TimingEmulator {

    /** Most tiles simulated per launch; more real tiles are merged (service times scaled, total work kept). */
    public static final int MAX_TILES = 4096;
    /** Most timeline records unrolled; a loop that would exceed it is timed from two iterations and multiplied. */
    public static final int MAX_RECORDS = 20_000;

    private TimingEmulator() {
    }

    public static TimingResult run(Program program, TargetProfile profile, TimingOptions options) {
        return new Run(program, profile, options).run();
    }

    /** One launch of the simulated program: a fused kernel, or one operator of an unfused one. */
    record Part(String name, String launchKey, Pipeline.Outcome outcome, double collective, double latency,
            String bound, Map<MemoryChannel, Double> bytes, double flops, double pcuBusySeconds, double pmuCount,
            int sockets, List<Pipeline.Stage> stages, int tiles, int sources) {
    }

    private static final class Run {
        private final Program program;
        private final TargetProfile profile;
        private final TimingOptions options;
        private final boolean gpu;
        private final Orchestration orchestration;
        private final CostModel model;
        private final CostAssumptions assumptions = CostAssumptions.DEFAULT;
        private TensorTiers tiers = TensorTiers.NONE;
        private Estimate staticEstimate = Estimate.ZERO;
        private final Map<String, List<Part>> sims = new HashMap<>();
        private final Map<String, ResourceNeeds> needs = new HashMap<>();
        private final Set<String> loaded = new HashSet<>();
        private final List<TimingResult.CallRecord> records = new ArrayList<>();
        private final Map<MemoryChannel, Double> bytes = new EnumMap<>(MemoryChannel.class);
        private double clock;
        private double overhead;
        private long launches;
        private double pcuBusy;
        private double flops;
        private double pmuSeconds;
        private double latency;
        private boolean complete = true;
        private long callsDone;
        private long callsTotal;

        Run(Program program, TargetProfile profile, TimingOptions options) {
            this.program = program;
            this.profile = profile.at(Corner.NOMINAL);
            this.options = options;
            this.gpu = profile.kind() == TargetKind.GPU;
            Orchestration scheduled = program.schedule().map(Schedule::orchestration).orElse(Orchestration.SOFTWARE);
            this.orchestration = gpu ? Orchestration.SOFTWARE : options.orchestration().orElse(scheduled);
            this.model = gpu ? null : new CostModel(this.profile, assumptions);
        }

        TimingResult run() {
            if (!gpu) {
                ProgramAnalysis.Result analysis = ProgramAnalysis.analyse(program, profile, options.cancelled());
                tiers = analysis.tensorTiers();
                staticEstimate = analysis.cost().map(ProgramCost::time).orElse(Estimate.ZERO);
            }
            if (program.schedule().isPresent()) {
                callsTotal = Math.max(1, count(program.schedule().get().steps()));
                walk(program.schedule().get().steps());
            }
            options.progress().accept(1.0);
            return result();
        }

        private long count(List<Step> steps) {
            long n = 0;
            for (Step s : steps) {
                n += s instanceof Step.Loop loop ? loop.tripCount() * count(loop.body()) : 1;
            }
            return n;
        }

        // ---- the schedule ----

        private void walk(List<Step> steps) {
            for (Step step : steps) {
                if (options.cancelled().getAsBoolean()) {
                    complete = false;
                    return;
                }
                if (step instanceof Step.KernelCall call) {
                    emit(call);
                    callsDone++;
                    options.progress().accept(Math.min(1.0, (double) callsDone / callsTotal));
                } else if (step instanceof Step.Loop loop) {
                    loop(loop);
                }
            }
        }

        private void loop(Step.Loop loop) {
            long n = loop.tripCount();
            if (n <= 0) {
                return;
            }
            Optional<Step.KernelCall> looped = kernelLoopable(loop);
            if (looped.isPresent()) {
                long perIteration = loop.body().size();
                emitLooped(looped.get(), n * perIteration, carriesValue(loop));
                callsDone += n * perIteration;
                return;
            }
            long body = count(loop.body());
            if (records.size() + n * body <= MAX_RECORDS || n <= 2) {
                for (long i = 0; i < n && complete; i++) {
                    walk(loop.body());
                }
                return;
            }
            // first iteration as it is (it pays the program loads); the second, measured, stands for the rest
            walk(loop.body());
            int mark = records.size();
            double start = clock;
            double overheadBefore = overhead;
            long launchesBefore = launches;
            double pcuBefore = pcuBusy;
            double flopsBefore = flops;
            double pmuBefore = pmuSeconds;
            double latencyBefore = latency;
            Map<MemoryChannel, Double> bytesBefore = new EnumMap<>(bytes);
            walk(loop.body());
            if (!complete) {
                return;
            }
            double iteration = clock - start;
            double iterationOverhead = overhead - overheadBefore;
            long iterationLaunches = launches - launchesBefore;
            records.subList(mark, records.size()).clear();
            long rest = n - 1;
            Map<MemoryChannel, Double> recordBytes = new EnumMap<>(MemoryChannel.class);
            for (MemoryChannel c : MemoryChannel.values()) {
                double d = bytes.getOrDefault(c, 0.0) - bytesBefore.getOrDefault(c, 0.0);
                if (d > 0) {
                    recordBytes.put(c, d * rest);
                    bytes.put(c, bytesBefore.getOrDefault(c, 0.0) + d * rest);
                }
            }
            clock = start + iteration * rest;
            overhead = overheadBefore + iterationOverhead * rest;
            launches = launchesBefore + iterationLaunches * rest;
            pcuBusy = pcuBefore + (pcuBusy - pcuBefore) * rest;
            double recordFlops = (flops - flopsBefore) * rest;
            flops = flopsBefore + recordFlops;
            pmuSeconds = pmuBefore + (pmuSeconds - pmuBefore) * rest;
            latency = latencyBefore + (latency - latencyBefore) * rest;
            records.add(new TimingResult.CallRecord("loop " + loop.variable() + " x" + rest, start,
                    iterationOverhead * rest, 0, (iteration - iterationOverhead) * rest, 0, "loop iterations 2.." + n,
                    0, 1, iterationLaunches * rest, rest, recordBytes, recordFlops));
            callsDone += rest * body;
        }

        /** Kernel looping applies under hardware orchestration to a loop whose body is calls of one fused kernel. */
        private Optional<Step.KernelCall> kernelLoopable(Step.Loop loop) {
            if (gpu || options.unfused() || orchestration != Orchestration.HARDWARE || loop.body().isEmpty()) {
                return Optional.empty();
            }
            String kernel = null;
            for (Step s : loop.body()) {
                if (!(s instanceof Step.KernelCall c) || (kernel != null && !kernel.equals(c.kernel()))
                        || !program.kernels().containsKey(c.kernel())) {
                    return Optional.empty();
                }
                kernel = c.kernel();
            }
            return Optional.of((Step.KernelCall) loop.body().get(0));
        }

        private void emit(Step.KernelCall call) {
            Kernel kernel = program.kernels().get(call.kernel());
            if (kernel == null) {
                return;
            }
            for (Part p : parts(kernel, call)) {
                double launch = launchCost(p.launchKey());
                Pipeline.Outcome o = p.outcome();
                add(new TimingResult.CallRecord(p.name(), clock, launch, o.fill(), o.steady(), o.drain(), p.bound(),
                        p.collective(), p.sockets(), 1, 1, p.bytes(), p.flops()), p, 1, o.seconds());
            }
        }

        /**
         * {@code iterations} launches of one kernel turned into one launch with a pipelined outer
         * loop ({@link Pipeline#run(List, int, long, int)}): the next iteration's tiles follow the
         * previous one's through the pipeline, fill and drain are paid once, and when the loop
         * carries a value from one iteration to the next (a tensor a call of the body writes and a
         * call of the body reads) the compute stages of an iteration wait for the previous one's end.
         */
        private void emitLooped(Step.KernelCall call, long iterations, boolean dependent) {
            Kernel kernel = program.kernels().get(call.kernel());
            List<Part> parts = parts(kernel, call);
            Part p = parts.get(0);
            Pipeline.Outcome o = Pipeline.run(p.stages(), p.tiles(), iterations, dependent ? p.sources() : -1);
            double launch = launchCost(p.launchKey());
            Map<MemoryChannel, Double> b = new EnumMap<>(MemoryChannel.class);
            p.bytes().forEach((c, v) -> b.put(c, v * iterations));
            add(new TimingResult.CallRecord(p.name(), clock, launch, o.fill(), o.steady(), o.drain(), p.bound(),
                    p.collective() * iterations, p.sockets(), 1, iterations, b, p.flops() * iterations), p, iterations,
                    o.seconds());
        }

        /** A tensor written by a call of the loop's body and read by a call of it: iterations depend on each other. */
        private static boolean carriesValue(Step.Loop loop) {
            Set<String> written = new HashSet<>();
            for (Step s : loop.body()) {
                ((Step.KernelCall) s).outputs().forEach(r -> written.add(r.tensor()));
            }
            for (Step s : loop.body()) {
                for (var r : ((Step.KernelCall) s).inputs()) {
                    if (written.contains(r.tensor())) {
                        return true;
                    }
                }
            }
            return false;
        }

        private void add(TimingResult.CallRecord r, Part p, long times, double exec) {
            records.add(r);
            clock = r.end();
            overhead += r.launchOverhead();
            launches++;
            r.bytes().forEach((c, v) -> bytes.merge(c, v, Double::sum));
            pcuBusy += p.pcuBusySeconds() * times;
            flops += r.flops();
            pmuSeconds += p.pmuCount() * exec;
            latency += p.latency() * times;
        }

        private double launchCost(String kernelKey) {
            if (gpu) {
                return profile.value(FigureKey.KERNEL_LAUNCH_SECONDS);
            }
            double load = profile.value(FigureKey.PROGRAM_LOAD_SECONDS);
            if (orchestration == Orchestration.SOFTWARE) {
                return load + profile.value(FigureKey.ARGUMENT_LOAD_SECONDS)
                        + profile.value(FigureKey.SOFTWARE_LAUNCH_SECONDS);
            }
            boolean firstLaunch = loaded.add(kernelKey);
            return (firstLaunch && !options.programsResident() ? load : 0) + profile.value(FigureKey.HARDWARE_LAUNCH_SECONDS);
        }

        // ---- one call ----

        private List<Part> parts(Kernel kernel, Step.KernelCall call) {
            ParamTiers pt = gpu ? ParamTiers.ALL_HBM : CostModel.bind(program, kernel, call, tiers);
            StringBuilder key = new StringBuilder(kernel.instanceName());
            if (!gpu) {
                for (KernelParam p : kernel.params()) {
                    key.append('|').append(pt.tierOf(p));
                }
            }
            return sims.computeIfAbsent(key.toString(), k -> gpu ? gpuParts(kernel)
                    : options.unfused() ? unfusedParts(kernel, pt) : List.of(fusedPart(kernel, pt)));
        }

        private Part fusedPart(Kernel kernel, ParamTiers pt) {
            KernelCost kc = model.kernelCost(kernel, pt);
            ResourceNeeds rn = needs.computeIfAbsent(kernel.instanceName(), k -> ResourceNeeds.of(kernel, model));
            long tileRows = StageBuffers.tileRows(kernel, profile);
            Map<String, Value> values = kernel.values();
            long realTiles = 1;
            for (Value v : values.values()) {
                realTiles = Math.max(realTiles, tiles(v.type(), tileRows));
            }
            int n = (int) Math.min(realTiles, MAX_TILES);
            Map<String, Long> capacity = new HashMap<>();
            for (StageBuffers.Buffer b : StageBuffers.of(kernel, profile)) {
                long tileBytes = Math.max(1, rowBytes(b.type()) * tileRows);
                capacity.put(b.value(), Math.max(1, b.bytes() / tileBytes));
            }
            capacity.putAll(options.bufferTiles());
            long depth = Math.max(1, (long) profile.value(FigureKey.STAGE_BUFFER_DEPTH));
            double eff = assumptions.computeEfficiency().nominal();
            int tp = kernel.hints().tensorParallel();

            List<double[]> timing = new ArrayList<>(); // {seconds, latency, input capacity in sim tiles}
            List<String> names = new ArrayList<>();
            double collective = 0;
            double hops = 0;
            addMemoryStages(kc.streams(), false, n, depth, timing, names);
            int sources = timing.size();
            Map<Integer, ResourceNeeds.StageNeed> byOp = new HashMap<>();
            rn.stages().forEach(s -> byOp.put(s.opIndex(), s));
            double busy = 0;
            for (int i = 0; i < kernel.operations().size(); i++) {
                Operation op = kernel.operations().get(i);
                int inCap = inputCapacity(op, values, capacity, tileRows, n, depth);
                if (isCollective(op.kind())) {
                    double p2p = kc.ops().get(i).work().p2pBytes();
                    if (tp > 1 && p2p > 0) {
                        double[] c = collectiveSeconds(op.kind(), p2p, tp);
                        timing.add(new double[] { c[0], c[1], inCap });
                        names.add("P2P " + op.kind().keyword() + " " + op.output().name());
                        collective += c[0] + c[1];
                        hops += c[1];
                    }
                    continue;
                }
                ResourceNeeds.StageNeed s = byOp.get(i);
                if (s != null && s.stage() && s.pcuSeconds() > 0) {
                    double seconds = s.pcuSeconds() / (Math.max(s.pcuShare(), 1e-9) * eff);
                    busy += s.pcuSeconds() / eff;
                    timing.add(new double[] { seconds, 0, inCap });
                    names.add(op.output().name() + " (" + op.kind().keyword() + ")");
                }
            }
            addMemoryStages(kc.streams(), true, n, depth, timing, names);
            List<Pipeline.Stage> stages = stages(timing, names, n);
            Pipeline.Outcome o = Pipeline.run(stages, n);
            double pmus = Math.min(rn.bufferPmus(), profile.value(FigureKey.PMUS_PER_SOCKET));
            return new Part(kernel.instanceName(), kernel.instanceName(), o, collective, hops, o.slowest(),
                    offChip(kc), kc.flops(), busy, pmus, tp, stages, n, sources);
        }

        private List<Part> unfusedParts(Kernel kernel, ParamTiers pt) {
            List<KernelCost> parts = model.unfused(kernel, pt);
            List<Part> out = new ArrayList<>();
            Map<String, Value> values = kernel.values();
            long tileRows = StageBuffers.tileRows(kernel, profile);
            long depth = Math.max(1, (long) profile.value(FigureKey.STAGE_BUFFER_DEPTH));
            double eff = assumptions.computeEfficiency().nominal();
            int pcus = model.pcuLimit(kernel);
            int tp = kernel.hints().tensorParallel();
            int j = 0;
            for (Operation op : kernel.operations()) {
                if (op.kind() == OpKind.CONST || j >= parts.size()) {
                    continue;
                }
                KernelCost kc = parts.get(j++);
                long realTiles = 1;
                for (String in : op.inputs()) {
                    Value v = values.get(in);
                    if (v != null) {
                        realTiles = Math.max(realTiles, tiles(v.type(), tileRows));
                    }
                }
                for (Value v : op.outputs()) {
                    realTiles = Math.max(realTiles, tiles(v.type(), tileRows));
                }
                int n = (int) Math.min(realTiles, MAX_TILES);
                List<double[]> timing = new ArrayList<>();
                List<String> names = new ArrayList<>();
                addMemoryStages(kc.streams(), false, n, depth, timing, names);
                double collective = 0;
                double hops = 0;
                double busy = model.pcuSeconds(kc.work(), Corner.NOMINAL) / eff;
                if (busy > 0) {
                    timing.add(new double[] { busy / pcus, 0, Math.min(depth, n) });
                    names.add(op.output().name() + " (" + op.kind().keyword() + ")");
                }
                if (isCollective(op.kind()) && tp > 1 && kc.work().p2pBytes() > 0) {
                    double[] c = collectiveSeconds(op.kind(), kc.work().p2pBytes(), tp);
                    timing.add(new double[] { c[0], c[1], Math.min(depth, n) });
                    names.add("P2P " + op.kind().keyword() + " " + op.output().name());
                    collective = c[0] + c[1];
                    hops = c[1];
                }
                addMemoryStages(kc.streams(), true, n, depth, timing, names);
                Pipeline.Outcome o = simulate(timing, names, n);
                String name = kernel.instanceName() + "." + op.output().name();
                out.add(new Part(name, name, o, collective, hops, o.slowest(), offChip(kc), kc.flops(), busy, 0, tp,
                        List.of(), n, 0));
            }
            return out;
        }

        /** Reads (or writes) of each tier as one source (or sink) stage; a tier's bandwidth is split by bytes. */
        private void addMemoryStages(List<Stream> streams, boolean writes, int n, long depth, List<double[]> timing,
                List<String> names) {
            Map<MemoryChannel, double[]> byChannel = new TreeMap<>(); // {reads, writes}
            for (Stream s : streams) {
                if (s.channel() == MemoryChannel.P2P || s.channel() == MemoryChannel.SRAM) {
                    continue;
                }
                byChannel.computeIfAbsent(s.channel(), c -> new double[2])[s.write() ? 1 : 0] += s.bytes();
            }
            double memEff = assumptions.memoryEfficiency().nominal();
            for (Map.Entry<MemoryChannel, double[]> e : byChannel.entrySet()) {
                double mine = e.getValue()[writes ? 1 : 0];
                if (mine <= 0) {
                    continue;
                }
                double total = e.getValue()[0] + e.getValue()[1];
                // this direction's share of the tier is mine/total of its bandwidth: it takes total/bandwidth
                double seconds = total / (peak(e.getKey()) * memEff);
                timing.add(new double[] { seconds, 0, Math.min(depth, n) });
                names.add(e.getKey() + (writes ? " write" : " read"));
            }
        }

        private static Pipeline.Outcome simulate(List<double[]> timing, List<String> names, int n) {
            return Pipeline.run(stages(timing, names, n), n);
        }

        private static List<Pipeline.Stage> stages(List<double[]> timing, List<String> names, int n) {
            List<Pipeline.Stage> stages = new ArrayList<>();
            for (int i = 0; i < timing.size(); i++) {
                int outCap = i + 1 < timing.size() ? (int) timing.get(i + 1)[2] : n;
                stages.add(new Pipeline.Stage(names.get(i), timing.get(i)[0] / n, timing.get(i)[1], outCap));
            }
            return List.copyOf(stages);
        }

        /** Capacity in simulated tiles of the buffer feeding {@code op}: its first buffered input. */
        private static int inputCapacity(Operation op, Map<String, Value> values, Map<String, Long> capacity,
                long tileRows, int n, long depth) {
            for (String in : op.inputs()) {
                Long c = capacity.get(in);
                Value v = values.get(in);
                if (c != null && v != null) {
                    long valueTiles = tiles(v.type(), tileRows);
                    if (c >= valueTiles) {
                        return n;
                    }
                    return (int) Math.max(1, Math.min(n, (long) Math.floor((double) c * n / valueTiles)));
                }
            }
            return (int) Math.min(depth, n);
        }

        /** {seconds of the transfer, latency of the ring's hops} of one collective on {@code p} sockets. */
        private double[] collectiveSeconds(OpKind kind, double p2pBytes, int p) {
            double hops = kind == OpKind.ALLREDUCE ? 2.0 * (p - 1) : p - 1;
            if (gpu) {
                double link = profile.value(FigureKey.NVLINK_BYTES_PER_SECOND) / 2; // one direction
                return new double[] { p2pBytes / (link * assumptions.networkEfficiency().nominal()), 0 };
            }
            return new double[] {
                    p2pBytes / (profile.value(FigureKey.P2P_BYTES_PER_SECOND) * assumptions.networkEfficiency().nominal()),
                    hops * profile.value(FigureKey.P2P_HOP_LATENCY_SECONDS) };
        }

        private static boolean isCollective(OpKind kind) {
            return kind == OpKind.ALLREDUCE || kind == OpKind.ALLGATHER;
        }

        private static long tiles(TensorType t, long tileRows) {
            int rank = t.shape().rank();
            long rows = rank == 0 ? 1 : t.shape().elements() / Math.max(1, t.shape().dim(rank - 1));
            return Math.max(1, (rows + tileRows - 1) / Math.max(1, tileRows));
        }

        private static long rowBytes(TensorType t) {
            int rank = t.shape().rank();
            return (rank == 0 ? 1 : t.shape().dim(rank - 1)) * t.dtype().bytes();
        }

        private static Map<MemoryChannel, Double> offChip(KernelCost kc) {
            Map<MemoryChannel, Double> m = new EnumMap<>(MemoryChannel.class);
            kc.bytesByChannel().forEach((c, v) -> {
                if (c != MemoryChannel.SRAM && v > 0) {
                    m.put(c, v);
                }
            });
            return m;
        }

        private double peak(MemoryChannel c) {
            if (gpu) {
                return switch (c) {
                    case P2P -> profile.value(FigureKey.NVLINK_BYTES_PER_SECOND) / 2;
                    case HOST -> profile.value(FigureKey.HOST_TO_GPU_BYTES_PER_SECOND);
                    default -> profile.value(FigureKey.HBM_BANDWIDTH_BYTES_PER_SECOND);
                };
            }
            return switch (c) {
                case HBM -> profile.value(FigureKey.HBM_BANDWIDTH_BYTES_PER_SECOND);
                case DDR -> profile.value(FigureKey.DDR_BANDWIDTH_BYTES_PER_SECOND);
                case HOST -> profile.value(FigureKey.HOST_PCIE_BYTES_PER_SECOND);
                case P2P -> profile.value(FigureKey.P2P_BYTES_PER_SECOND);
                case SRAM -> 2 * profile.value(FigureKey.PMUS_PER_SOCKET)
                        * profile.value(FigureKey.PMU_BANDWIDTH_BYTES_PER_SECOND);
            };
        }

        // ---- GPU baseline ----

        /** Every operator its own CUDA kernel: roofline on the GPU's peak FLOP/s and HBM bandwidth, plus a launch. */
        private List<Part> gpuParts(Kernel kernel) {
            List<Part> out = new ArrayList<>();
            Map<String, Value> values = kernel.values();
            int tp = kernel.hints().tensorParallel();
            double flopRate = profile.value(FigureKey.PEAK_FLOPS_PER_GPU) * assumptions.computeEfficiency().nominal();
            double hbm = profile.value(FigureKey.HBM_BANDWIDTH_BYTES_PER_SECOND) * assumptions.memoryEfficiency().nominal();
            for (Operation op : kernel.operations()) {
                if (op.kind() == OpKind.CONST || op.kind() == OpKind.RESHAPE) {
                    continue;
                }
                List<TensorType> in = new ArrayList<>();
                double moved = 0;
                for (String name : op.inputs()) {
                    Value v = values.get(name);
                    if (v != null) {
                        in.add(v.type());
                        moved += v.type().bytes();
                    }
                }
                if (op.kind() == OpKind.UPDATE && in.size() > 1) {
                    moved = 2.0 * in.get(1).bytes(); // an in-place slice write (KV-cache append)
                } else {
                    for (Value v : op.outputs()) {
                        moved += v.type().bytes();
                    }
                }
                OpWork w = OpWork.of(op, in, tp);
                double flops = w.gemmFlops() + w.simdFlops() + w.transcendentals();
                double compute = flops / flopRate;
                double memory = moved / hbm;
                double collective = 0;
                String bound = compute >= memory ? "compute" : "HBM";
                double seconds = Math.max(compute, memory);
                Map<MemoryChannel, Double> b = new EnumMap<>(MemoryChannel.class);
                b.put(MemoryChannel.HBM, moved);
                if (isCollective(op.kind()) && tp > 1 && w.p2pBytes() > 0) {
                    collective = collectiveSeconds(op.kind(), w.p2pBytes(), tp)[0];
                    seconds += collective;
                    bound = "NVLink";
                    b.put(MemoryChannel.P2P, w.p2pBytes());
                }
                String name = kernel.instanceName() + "." + op.output().name();
                // a GPU's "PCU busy" is its FLOPs: utilisation is FLOPs over peak x time
                out.add(new Part(name, name, new Pipeline.Outcome(seconds, 0, 0, seconds, bound), collective, 0, bound, b,
                        w.flops(), flops, 0, tp, List.of(), 1, 0));
            }
            return out;
        }

        // ---- the result ----

        private TimingResult result() {
            int sockets = program.schedule().map(Schedule::sockets).orElse(1);
            Map<MemoryChannel, Double> fraction = new EnumMap<>(MemoryChannel.class);
            if (clock > 0) {
                bytes.forEach((c, v) -> fraction.put(c, v / (peak(c) * clock)));
            }
            double pcuUtil;
            double pmuUtil = 0;
            if (clock <= 0) {
                pcuUtil = 0;
            } else if (gpu) {
                pcuUtil = pcuBusy / (profile.value(FigureKey.PEAK_FLOPS_PER_GPU) * clock);
            } else {
                pcuUtil = pcuBusy / (profile.value(FigureKey.PCUS_PER_SOCKET) * clock);
                pmuUtil = pmuSeconds / (profile.value(FigureKey.PMUS_PER_SOCKET) * clock);
            }
            long tokens = tokens(program);
            OptionalDouble tps = tokens > 0 && clock > 0 ? OptionalDouble.of(tokens / clock) : OptionalDouble.empty();
            return new TimingResult(profile.name(), orchestration, options.unfused(), gpu, sockets, clock, records,
                    fraction, pcuUtil, pmuUtil, launches, overhead, latency, tokens, tps, staticEstimate,
                    complete && !options.cancelled().getAsBoolean());
        }

        /** Tokens one schedule run processes: the leading dimension of the first INT32 input tensor, else 0. */
        static long tokens(Program program) {
            for (TensorDecl t : program.tensors()) {
                if (t.role() == Role.INPUT && t.type().dtype() == DType.INT32) {
                    return t.type().shape().rank() == 0 ? 1 : t.type().shape().dim(0);
                }
            }
            return 0;
        }
    }
}
