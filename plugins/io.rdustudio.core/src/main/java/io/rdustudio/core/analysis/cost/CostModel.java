package io.rdustudio.core.analysis.cost;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.Step;
import io.rdustudio.core.ir.TensorRef;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.core.ir.Value;
import io.rdustudio.core.target.Corner;
import io.rdustudio.core.target.FigureKey;
import io.rdustudio.core.target.TargetKind;
import io.rdustudio.core.target.TargetProfile;

/**
 * The roofline cost model (docs/analysis.md). A kernel's time is the largest of its compute time
 * and the time of each memory channel, at the profile's peaks scaled by the
 * {@link CostAssumptions}; the error band evaluates the same model at the optimistic and the
 * pessimistic corner of both. Launch costs are not part of it.
 *
 * <p>Traffic: a kernel reads its IN and STATE parameters and writes its OUT and STATE parameters
 * from and to the tier of the bound tensor; intermediates stay in SRAM stage buffers. A state
 * parameter written by {@code update} writes only the updated slice (a KV-cache append). When a
 * kernel is cut into parts, every value passed between parts is written to HBM by its producer and
 * read back by each part that uses it.
 *
 * <p>Immutable and thread-safe.
 */
public final class CostModel {

    private final TargetProfile profile;
    private final CostAssumptions assumptions;

    public CostModel(TargetProfile profile, CostAssumptions assumptions) {
        if (profile.kind() != TargetKind.RDU) {
            throw new IllegalArgumentException("the cost model needs an RDU target profile, not " + profile.name());
        }
        this.profile = profile;
        this.assumptions = assumptions;
    }

    public CostModel(TargetProfile profile) {
        this(profile, CostAssumptions.DEFAULT);
    }

    public TargetProfile profile() {
        return profile;
    }

    public CostAssumptions assumptions() {
        return assumptions;
    }

    /** One launch of {@code kernel} with its parameters in the tiers {@code tiers} gives. */
    public KernelCost kernelCost(Kernel kernel, ParamTiers tiers) {
        Dataflow flow = new Dataflow(kernel);
        int n = kernel.operations().size();
        List<OpCost> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(opCost(flow, i, tiers));
        }
        return segment(flow, 0, n, tiers, kernel.instanceName(), kernel.location(), ops);
    }

    /**
     * {@code kernel} cut into consecutive parts, each its own launch: part {@code j} holds the
     * operations from {@code cuts[j-1]} (0 for the first) up to but excluding {@code cuts[j]}
     * (the operation count for the last). Values passed between parts go through HBM.
     */
    public List<KernelCost> partition(Kernel kernel, List<Integer> cuts, ParamTiers tiers) {
        Dataflow flow = new Dataflow(kernel);
        List<KernelCost> parts = new ArrayList<>();
        int from = 0;
        List<Integer> ends = new ArrayList<>(cuts);
        ends.add(kernel.operations().size());
        for (int to : ends) {
            if (to > from) {
                parts.add(segment(flow, from, to, tiers, kernel.instanceName() + "[" + from + ".." + (to - 1) + "]",
                        kernel.operations().get(from).location(), List.of()));
            }
            from = Math.max(from, to);
        }
        return parts;
    }

    /** {@code kernel} with every operator its own launch: the unfused view of one kernel. */
    public List<KernelCost> unfused(Kernel kernel, ParamTiers tiers) {
        Dataflow flow = new Dataflow(kernel);
        List<KernelCost> parts = new ArrayList<>();
        for (int i = 0; i < kernel.operations().size(); i++) {
            if (kernel.operations().get(i).kind() != OpKind.CONST) {
                parts.add(opCost(flow, i, tiers).unfused());
            }
        }
        return parts;
    }

    private OpCost opCost(Dataflow flow, int i, ParamTiers tiers) {
        Operation op = flow.kernel().operations().get(i);
        KernelCost alone = segment(flow, i, i + 1, tiers, flow.kernel().instanceName() + "." + op.output().name(),
                op.location(), List.of());
        return new OpCost(i, op.kind(), op.output().name(), alone.work(), alone, op.location());
    }

    private KernelCost segment(Dataflow flow, int from, int to, ParamTiers tiers, String name, SourceLocation location,
            List<OpCost> ops) {
        Kernel kernel = flow.kernel();
        int sockets = kernel.hints().tensorParallel();
        OpWork work = OpWork.NONE;
        double sram = 0;
        Map<String, Stream> reads = new LinkedHashMap<>();
        List<Stream> writes = new ArrayList<>();
        boolean onlyViews = true;
        for (int i = from; i < to; i++) {
            Operation op = kernel.operations().get(i);
            onlyViews &= op.kind() == OpKind.RESHAPE || op.kind() == OpKind.CONST;
            List<Dataflow.Definition> operands = flow.operands(i);
            List<TensorType> types = operands.stream().map(Dataflow.Definition::type).toList();
            work = work.plus(OpWork.of(op, types, sockets));
            if (op.kind().isStage()) {
                for (TensorType t : types) {
                    sram += t.bytes();
                }
                for (Value v : op.outputs()) {
                    sram += v.type().bytes();
                }
            }
            for (Dataflow.Definition d : operands) {
                if (d.isParam()) {
                    reads.putIfAbsent("param " + d.name(), new Stream(d.name(), channel(tiers.tierOf(d.param())), false,
                            d.type().bytes()));
                } else if (d.op() >= 0 && (d.op() < from || d.op() >= to)
                        && kernel.operations().get(d.op()).kind() != OpKind.CONST) {
                    reads.putIfAbsent("value " + d.op() + " " + d.name(), new Stream(d.name(),
                            channel(materialisedTier(flow, d, tiers)), false, d.type().bytes()));
                }
            }
            for (Value v : op.outputs()) {
                KernelParam written = flow.writtenParam(i, v);
                if (written != null) {
                    double bytes = op.kind() == OpKind.UPDATE ? operands.get(1).type().bytes() : v.type().bytes();
                    writes.add(new Stream(v.name(), channel(tiers.tierOf(written)), true, bytes));
                } else if (flow.consumers(i).stream().anyMatch(c -> c >= to) && op.kind() != OpKind.CONST) {
                    writes.add(new Stream(v.name(), channel(TensorTiers.DEFAULT_TIER), true, v.type().bytes()));
                } else if (op.kind() == OpKind.COPY) {
                    Tier target = op.attributes().name("to").flatMap(Tier::fromKeyword).orElse(Tier.SRAM);
                    if (target != Tier.SRAM) {
                        writes.add(new Stream(v.name(), channel(target), true, v.type().bytes()));
                    }
                }
            }
        }
        List<Stream> streams = new ArrayList<>();
        if (!onlyViews) {
            streams.addAll(reads.values());
            streams.addAll(writes);
        }
        if (work.p2pBytes() > 0) {
            streams.add(new Stream("collectives", MemoryChannel.P2P, true, work.p2pBytes()));
        }
        return assemble(name, location, work, sram, streams, pcuLimit(kernel), ops);
    }

    /** The tier a value passed between parts lives in: HBM, or the tier of the tensor a reshape views. */
    private static Tier materialisedTier(Dataflow flow, Dataflow.Definition d, ParamTiers tiers) {
        Dataflow.Definition at = d;
        while (at.op() >= 0) {
            Value v = flow.kernel().operations().get(at.op()).output();
            KernelParam written = flow.writtenParam(at.op(), v);
            if (written != null) {
                return tiers.tierOf(written);
            }
            if (flow.kernel().operations().get(at.op()).kind() != OpKind.RESHAPE) {
                return TensorTiers.DEFAULT_TIER;
            }
            at = flow.operands(at.op()).get(0);
        }
        return at.isParam() ? tiers.tierOf(at.param()) : TensorTiers.DEFAULT_TIER;
    }

    private static MemoryChannel channel(Tier tier) {
        return MemoryChannel.of(tier);
    }

    /** PCUs a kernel may use: the socket's, or its {@code pcus} budget if smaller. */
    public int pcuLimit(Kernel kernel) {
        int pcus = (int) profile.value(FigureKey.PCUS_PER_SOCKET);
        return kernel.hints().pcuBudget().isPresent() ? Math.min(pcus, kernel.hints().pcuBudget().getAsInt()) : pcus;
    }

    /**
     * The roofline of a launch with the given work and streams on {@code pcus} PCUs. SRAM traffic
     * counts against all PMUs reading and writing at once.
     */
    public KernelCost assemble(String name, SourceLocation location, OpWork work, double sramBytes, List<Stream> streams,
            int pcus, List<OpCost> ops) {
        Map<MemoryChannel, Double> bytes = new EnumMap<>(MemoryChannel.class);
        bytes.put(MemoryChannel.SRAM, sramBytes);
        for (Stream s : streams) {
            bytes.merge(s.channel(), s.bytes(), Double::sum);
        }
        Map<Limiter, Double> nominal = terms(work, bytes, pcus, Corner.NOMINAL);
        Limiter bound = Limiter.COMPUTE;
        for (Map.Entry<Limiter, Double> e : nominal.entrySet()) {
            if (e.getValue() > nominal.get(bound)) {
                bound = e.getKey();
            }
        }
        Estimate time = new Estimate(max(nominal), max(terms(work, bytes, pcus, Corner.OPTIMISTIC)),
                max(terms(work, bytes, pcus, Corner.PESSIMISTIC)));
        return new KernelCost(name, work, bytes, streams, time, nominal, bound, ops, location);
    }

    /** The seconds of each roofline term at {@code corner}. */
    Map<Limiter, Double> terms(OpWork work, Map<MemoryChannel, Double> bytes, int pcus, Corner corner) {
        TargetProfile p = profile.at(corner);
        Map<Limiter, Double> t = new EnumMap<>(Limiter.class);
        t.put(Limiter.COMPUTE, pcuSeconds(work, corner) / (pcus * assumptions.computeEfficiency().at(corner)));
        double pmuBandwidth = 2 * p.value(FigureKey.PMUS_PER_SOCKET) * p.value(FigureKey.PMU_BANDWIDTH_BYTES_PER_SECOND);
        double memory = assumptions.memoryEfficiency().at(corner);
        t.put(Limiter.SRAM, bytes.getOrDefault(MemoryChannel.SRAM, 0.0) / pmuBandwidth);
        t.put(Limiter.HBM, bytes.getOrDefault(MemoryChannel.HBM, 0.0)
                / (p.value(FigureKey.HBM_BANDWIDTH_BYTES_PER_SECOND) * memory));
        t.put(Limiter.DDR, bytes.getOrDefault(MemoryChannel.DDR, 0.0)
                / (p.value(FigureKey.DDR_BANDWIDTH_BYTES_PER_SECOND) * memory));
        t.put(Limiter.HOST, bytes.getOrDefault(MemoryChannel.HOST, 0.0)
                / (p.value(FigureKey.HOST_PCIE_BYTES_PER_SECOND) * memory));
        t.put(Limiter.P2P, bytes.getOrDefault(MemoryChannel.P2P, 0.0)
                / (p.value(FigureKey.P2P_BYTES_PER_SECOND) * assumptions.networkEfficiency().at(corner)));
        return t;
    }

    /** PCU-seconds of work at peak: the time one PCU of the right kind would take for each part. */
    public double pcuSeconds(OpWork work, Corner corner) {
        TargetProfile p = profile.at(corner);
        return work.gemmFlops() / p.value(FigureKey.PCU_GEMM_FLOPS) + work.simdFlops() / p.value(FigureKey.PCU_SIMD_FLOPS)
                + work.transcendentals() / p.value(FigureKey.PCU_TRANSCENDENTAL_OPS_PER_SECOND);
    }

    private static double max(Map<Limiter, Double> terms) {
        return terms.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    // ---- programs ----

    /**
     * Every call of {@code program}'s schedule, each with its launch count (loop trip counts
     * multiplied) and its cost with its tensors in the tiers {@code tiers} gives. Stops early,
     * marking the result incomplete, when {@code cancelled} answers true.
     */
    public ProgramCost programCost(Program program, TensorTiers tiers, BooleanSupplier cancelled) {
        List<CallCost> calls = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        if (program.schedule().isEmpty()) {
            return new ProgramCost(calls, problems, true);
        }
        boolean complete = walk(program, program.schedule().get().steps(), 1, tiers, cancelled, calls, problems);
        return new ProgramCost(calls, problems, complete);
    }

    private boolean walk(Program program, List<Step> steps, long launches, TensorTiers tiers, BooleanSupplier cancelled,
            List<CallCost> out, List<Diagnostic> problems) {
        for (Step step : steps) {
            if (cancelled.getAsBoolean()) {
                return false;
            }
            if (step instanceof Step.Loop loop) {
                if (!walk(program, loop.body(), launches * loop.tripCount(), tiers, cancelled, out, problems)) {
                    return false;
                }
            } else if (step instanceof Step.KernelCall call) {
                Kernel kernel = program.kernels().get(call.kernel());
                if (kernel == null) {
                    problems.add(Diagnostic.warning("dfk.cost-unknown-kernel", "no cost for the call of " + call.kernel()
                            + ": the kernel did not lower; fix the errors reported on it", call.location()));
                    continue;
                }
                try {
                    out.add(new CallCost(kernel.instanceName(), launches,
                            kernelCost(kernel, bind(program, kernel, call, tiers)), call.location()));
                } catch (RuntimeException e) {
                    problems.add(Diagnostic.warning("dfk.cost-failed", "no cost for the call of " + call.kernel() + ": "
                            + e.getMessage(), call.location()));
                }
            }
        }
        return true;
    }

    /** The tiers of a call's parameters: each parameter takes the tier of the tensor it is bound to. */
    public static ParamTiers bind(Program program, Kernel kernel, Step.KernelCall call, TensorTiers tiers) {
        Map<String, Tier> byParam = new HashMap<>();
        bindings(kernel, call).forEach((param, ref) -> byParam.put(param, tiers.tierOf(program, ref.tensor())));
        return param -> byParam.getOrDefault(param.name(), TensorTiers.DEFAULT_TIER);
    }

    /**
     * Which tensor each parameter of {@code kernel} is bound to in {@code call}; a state
     * parameter maps to its input binding (the same tensor as its output binding).
     */
    public static Map<String, TensorRef> bindings(Kernel kernel, Step.KernelCall call) {
        Map<String, TensorRef> refs = new LinkedHashMap<>();
        List<KernelParam> outs = kernel.outputs();
        for (int i = 0; i < outs.size() && i < call.outputs().size(); i++) {
            refs.put(outs.get(i).name(), call.outputs().get(i));
        }
        List<KernelParam> ins = kernel.inputs();
        for (int i = 0; i < ins.size() && i < call.inputs().size(); i++) {
            refs.put(ins.get(i).name(), call.inputs().get(i));
        }
        return refs;
    }
}
