package io.rdustudio.core.analysis.fusion;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.rdustudio.core.analysis.Sizes;
import io.rdustudio.core.analysis.cost.CostModel;
import io.rdustudio.core.analysis.cost.Estimate;
import io.rdustudio.core.analysis.cost.KernelCost;
import io.rdustudio.core.analysis.cost.MemoryChannel;
import io.rdustudio.core.analysis.cost.OpWork;
import io.rdustudio.core.analysis.cost.Stream;
import io.rdustudio.core.analysis.cost.TensorTiers;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Role;
import io.rdustudio.core.ir.Step;
import io.rdustudio.core.ir.TensorRef;

/**
 * A program at three fusion levels (docs/analysis.md):
 * <ul>
 * <li><b>unfused</b>: every operator of every kernel its own launch, every intermediate written to
 *     HBM and read back ({@link CostModel#unfused});</li>
 * <li><b>as written</b>: the kernels of the schedule;</li>
 * <li><b>largest fusion</b>: consecutive calls in one step list (the top level or one loop body)
 *     merged greedily, first to last, while the merged kernel fits a socket and the calls share a
 *     tensor-parallel degree. A tensor one merged call writes and a later one reads stays on chip;
 *     its write is dropped too when it is a local tensor that nothing outside the merged kernel
 *     (and no earlier call in it, which would mean an earlier loop iteration) reads.</li>
 * </ul>
 * Adjacent loops are fused first when the loop structure allows (loop fusion): the same range, and
 * every tensor one of them writes and the other uses referenced everywhere in both with the same
 * indices, one of them the loop variable, so that iteration i of the second loop only needs what
 * iteration i of the first produced. The fused body is then one step list, merged as above. A call
 * before or after a loop is never merged into its body (it runs once, the body N times), nor are
 * loop bodies merged across iterations: that is kernel looping, a transformation of its own. Each
 * refusal is a {@link FusionStop} whose reason starts with "loop structure:".
 */
public final class FusionAnalysis {

    private final Program program;
    private final CostModel model;
    private final TensorTiers tiers;
    private final BooleanSupplier cancelled;
    private final Map<String, ResourceNeeds> needs = new HashMap<>();
    private final Map<String, List<Step.KernelCall>> readers = new HashMap<>();
    private final Level unfused = new Level("unfused");
    private final Level asWritten = new Level("as written");
    private final Level largest = new Level("largest fusion");
    private final List<FusionHint> hints = new ArrayList<>();
    private final List<FusionStop> stops = new ArrayList<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    private FusionAnalysis(Program program, CostModel model, TensorTiers tiers, BooleanSupplier cancelled) {
        this.program = program;
        this.model = model;
        this.tiers = tiers;
        this.cancelled = cancelled;
    }

    public static FusionReport analyse(Program program, CostModel model, TensorTiers tiers, BooleanSupplier cancelled) {
        return new FusionAnalysis(program, model, tiers, cancelled).run();
    }

    private FusionReport run() {
        boolean complete = true;
        for (Kernel k : program.kernels().values()) {
            if (cancelled.getAsBoolean()) {
                complete = false;
                break;
            }
            ResourceNeeds n = ResourceNeeds.of(k, model);
            needs.put(k.instanceName(), n);
            n.overrun().ifPresent(diagnostics::add);
        }
        if (complete && program.schedule().isPresent()) {
            collectReaders(program.schedule().get().steps());
            complete = walk(program.schedule().get().steps(), 1);
        }
        return new FusionReport(unfused.level(), asWritten.level(), largest.level(), hints, stops,
                List.copyOf(needs.values()), diagnostics, complete);
    }

    private void collectReaders(List<Step> steps) {
        for (Step s : steps) {
            if (s instanceof Step.Loop loop) {
                collectReaders(loop.body());
            } else if (s instanceof Step.KernelCall call) {
                for (TensorRef r : call.inputs()) {
                    readers.computeIfAbsent(r.tensor(), t -> new ArrayList<>()).add(call);
                }
            }
        }
    }

    /**
     * A call with its kernel, bindings and cost; {@code rename} maps the loop variables of loops fused
     * into an earlier one to that loop's variable, so that indices compare across the fused bodies.
     */
    private record Call(Step.KernelCall step, Kernel kernel, Map<String, TensorRef> bindings, KernelCost cost,
            Map<String, String> rename, Step.Loop loop) {
    }

    /** A step with the renaming of loop variables in force for it and the loop it directly belongs to. */
    private record Scoped(Step step, Map<String, String> rename, Step.Loop loop) {
    }

    private static List<Scoped> scoped(List<Step> steps, Map<String, String> rename, Step.Loop loop) {
        List<Scoped> out = new ArrayList<>();
        for (Step s : steps) {
            out.add(new Scoped(s, rename, loop));
        }
        return out;
    }

    private boolean walk(List<Step> steps, long launches) {
        return walkScoped(scoped(steps, Map.of(), null), launches);
    }

    private boolean walkScoped(List<Scoped> steps, long launches) {
        List<Call> run = new ArrayList<>();
        // the body of the loop (or fused loops) just walked, while no call has followed it
        List<Scoped> previousBody = null;
        long previousTrips = 0;
        int i = 0;
        while (i < steps.size()) {
            if (cancelled.getAsBoolean()) {
                return false;
            }
            Scoped scoped = steps.get(i);
            if (scoped.step() instanceof Step.Loop loop) {
                String variable = canonical(loop.variable(), scoped.rename());
                List<Scoped> body = scoped(loop.body(), scoped.rename(), loop);
                List<Step.Loop> fused = new ArrayList<>(List.of(loop));
                FusionStop refused = null;
                int j = i + 1;
                while (j < steps.size() && steps.get(j).step() instanceof Step.Loop next) {
                    Map<String, String> rename = new HashMap<>(steps.get(j).rename());
                    rename.put(next.variable(), variable);
                    List<Scoped> nextBody = scoped(next.body(), Map.copyOf(rename), next);
                    String reason = whyNotFuse(fused.get(fused.size() - 1), body, variable, next, nextBody);
                    if (reason != null) {
                        String before = lastCall(body);
                        String after = firstCall(nextBody);
                        if (before != null && after != null) {
                            refused = new FusionStop(before, after, reason, next.location());
                        }
                        break;
                    }
                    fused.add(next);
                    body.addAll(nextBody);
                    j++;
                }
                if (!run.isEmpty()) {
                    String after = firstCall(body);
                    if (after != null) {
                        stops.add(new FusionStop(run.get(run.size() - 1).kernel().instanceName(), after,
                                outside(loop.tripCount()), loop.location()));
                    }
                }
                fuse(run, launches);
                run = new ArrayList<>();
                if (!walkScoped(body, launches * loop.tripCount())) {
                    return false;
                }
                if (refused != null) {
                    stops.add(refused);
                }
                previousBody = body;
                previousTrips = loop.tripCount();
                i = j;
            } else if (scoped.step() instanceof Step.KernelCall step) {
                i++;
                Kernel kernel = program.kernels().get(step.kernel());
                if (kernel == null) {
                    fuse(run, launches);
                    run = new ArrayList<>();
                    previousBody = null;
                    continue;
                }
                if (previousBody != null) {
                    String before = lastCall(previousBody);
                    if (before != null) {
                        stops.add(new FusionStop(before, kernel.instanceName(), outside(previousTrips), step.location()));
                    }
                    previousBody = null;
                }
                var paramTiers = CostModel.bind(program, kernel, step, tiers);
                KernelCost cost = model.kernelCost(kernel, paramTiers);
                asWritten.add(cost, launches);
                for (KernelCost part : model.unfused(kernel, paramTiers)) {
                    unfused.add(part, launches);
                }
                run.add(new Call(step, kernel, CostModel.bindings(kernel, step), cost, scoped.rename(), scoped.loop()));
            }
        }
        fuse(run, launches);
        return true;
    }

    private static String outside(long trips) {
        return String.format(Locale.ROOT, "loop structure: a call outside the loop runs once, the body runs %,d times",
                trips);
    }

    private static String canonical(String variable, Map<String, String> rename) {
        return variable == null ? null : rename.getOrDefault(variable, variable);
    }

    /** The instance name of the first (last) call in {@code body}, nested loops included, or null. */
    private static String firstCall(List<Scoped> body) {
        for (Scoped s : body) {
            String c = firstCall(s.step());
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static String firstCall(Step step) {
        if (step instanceof Step.KernelCall call) {
            return call.kernel();
        }
        for (Step s : ((Step.Loop) step).body()) {
            String c = firstCall(s);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static String lastCall(List<Scoped> body) {
        for (int i = body.size() - 1; i >= 0; i--) {
            String c = lastCall(body.get(i).step());
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static String lastCall(Step step) {
        if (step instanceof Step.KernelCall call) {
            return call.kernel();
        }
        List<Step> body = ((Step.Loop) step).body();
        for (int i = body.size() - 1; i >= 0; i--) {
            String c = lastCall(body.get(i));
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    /**
     * Why loop {@code next} cannot be fused with the loop(s) whose (already fused) body is {@code body},
     * iteration by iteration, or null when it can: the same range, and every tensor that one of them
     * writes and the other reads or writes is referenced everywhere in both with the same indices,
     * one of which is the loop variable (so iteration i of the second loop touches only what
     * iteration i of the first one did).
     */
    private String whyNotFuse(Step.Loop last, List<Scoped> body, String variable, Step.Loop next, List<Scoped> nextBody) {
        if (last.from() != next.from() || last.to() != next.to()) {
            return String.format(Locale.ROOT, "loop structure: the loops have different ranges (%d..%d and %d..%d)",
                    last.from(), last.to(), next.from(), next.to());
        }
        Map<String, Set<List<TensorRef.Index>>> firstRefs = new HashMap<>();
        Set<String> firstWrites = new HashSet<>();
        collect(body, firstRefs, firstWrites);
        Map<String, Set<List<TensorRef.Index>>> secondRefs = new HashMap<>();
        Set<String> secondWrites = new HashSet<>();
        collect(nextBody, secondRefs, secondWrites);
        for (String tensor : firstRefs.keySet().stream().sorted().toList()) {
            if (!secondRefs.containsKey(tensor) || !firstWrites.contains(tensor) && !secondWrites.contains(tensor)) {
                continue;
            }
            Set<List<TensorRef.Index>> all = new HashSet<>(firstRefs.get(tensor));
            all.addAll(secondRefs.get(tensor));
            List<TensorRef.Index> only = all.size() == 1 ? all.iterator().next() : null;
            if (only == null || only.stream().noneMatch(x -> variable.equals(x.loopVariable()))) {
                String flow = firstWrites.contains(tensor) ? "the first loop writes " + tensor + " and the second uses it"
                        : "the second loop writes " + tensor + " and the first reads it";
                return "loop structure: " + flow + " not indexed alike by the loop variable, so iteration i of one"
                        + " would see other iterations of the other";
            }
        }
        return null;
    }

    /** Every tensor referenced in {@code body} with its indices (loop variables renamed), and those written. */
    private static void collect(List<Scoped> body, Map<String, Set<List<TensorRef.Index>>> refs, Set<String> writes) {
        for (Scoped s : body) {
            collect(s.step(), s.rename(), refs, writes);
        }
    }

    private static void collect(Step step, Map<String, String> rename, Map<String, Set<List<TensorRef.Index>>> refs,
            Set<String> writes) {
        if (step instanceof Step.Loop loop) {
            for (Step s : loop.body()) {
                collect(s, rename, refs, writes);
            }
            return;
        }
        Step.KernelCall call = (Step.KernelCall) step;
        for (TensorRef r : call.inputs()) {
            refs.computeIfAbsent(r.tensor(), t -> new HashSet<>()).add(indices(r, rename));
        }
        for (TensorRef r : call.outputs()) {
            refs.computeIfAbsent(r.tensor(), t -> new HashSet<>()).add(indices(r, rename));
            writes.add(r.tensor());
        }
    }

    private static List<TensorRef.Index> indices(TensorRef ref, Map<String, String> rename) {
        return ref.indices().stream().map(x -> new TensorRef.Index(canonical(x.loopVariable(), rename), x.offset()))
                .toList();
    }

    /** Greedy merging of a run of consecutive calls. */
    private void fuse(List<Call> run, long launches) {
        List<Call> group = new ArrayList<>();
        for (Call c : run) {
            if (!group.isEmpty()) {
                String reason = whyNot(group, c);
                if (reason != null) {
                    Call last = group.get(group.size() - 1);
                    stops.add(new FusionStop(last.kernel().instanceName(), c.kernel().instanceName(), reason,
                            c.step().location()));
                    close(group, launches);
                    group = new ArrayList<>();
                }
            }
            group.add(c);
        }
        close(group, launches);
    }

    private String whyNot(List<Call> group, Call next) {
        int tp = group.get(0).kernel().hints().tensorParallel();
        if (next.kernel().hints().tensorParallel() != tp) {
            return String.format("tensor-parallel degrees differ (%d and %d)", tp, next.kernel().hints().tensorParallel());
        }
        ResourceNeeds nextNeeds = needs.get(next.kernel().instanceName());
        if (!nextNeeds.fits() || group.stream().anyMatch(c -> !needs.get(c.kernel().instanceName()).fits())) {
            return "a kernel of the pair does not fit a socket on its own";
        }
        int pcuLimit = nextNeeds.pcuLimit();
        long stages = nextNeeds.minimumPcus();
        long pmus = nextNeeds.bufferPmus();
        for (Call c : group) {
            ResourceNeeds n = needs.get(c.kernel().instanceName());
            pcuLimit = Math.min(pcuLimit, n.pcuLimit());
            stages += n.minimumPcus();
            pmus += n.bufferPmus();
        }
        if (stages > pcuLimit) {
            return String.format("the merged kernel would have %,d stages but may use %,d PCUs", stages, pcuLimit);
        }
        if (pmus > nextNeeds.pmuLimit()) {
            return String.format("the merged kernel's stage buffers would need %,d PMUs but a socket has %,d", pmus,
                    nextNeeds.pmuLimit());
        }
        return null;
    }

    private void close(List<Call> group, long launches) {
        if (group.isEmpty()) {
            return;
        }
        if (group.size() == 1) {
            largest.add(group.get(0).cost(), launches);
            return;
        }
        KernelCost merged = merge(group);
        largest.add(merged, launches);
        hints.add(hint(group, merged, launches));
    }

    /** One kernel doing the work of {@code group}: tensors passed between its calls stay on chip. */
    KernelCost merge(List<Call> group) {
        Map<Step.KernelCall, Integer> position = new IdentityHashMap<>();
        for (int i = 0; i < group.size(); i++) {
            position.put(group.get(i).step(), i);
        }
        Set<String> produced = new HashSet<>();
        List<Stream> kept = new ArrayList<>();
        OpWork work = OpWork.NONE;
        double sram = 0;
        int pcus = Integer.MAX_VALUE;
        for (int i = 0; i < group.size(); i++) {
            Call c = group.get(i);
            work = work.plus(c.cost().work());
            sram += c.cost().bytes(MemoryChannel.SRAM);
            pcus = Math.min(pcus, model.pcuLimit(c.kernel()));
            for (Stream s : c.cost().streams()) {
                TensorRef ref = c.bindings().get(s.value());
                if (!s.write() && (ref == null || !produced.contains(key(ref, c.rename())))) {
                    kept.add(s);
                }
            }
            for (Stream s : c.cost().streams()) {
                TensorRef ref = c.bindings().get(s.value());
                if (s.write()) {
                    if (ref == null || s.channel() == MemoryChannel.P2P) {
                        kept.add(s);
                        continue;
                    }
                    produced.add(key(ref, c.rename()));
                    if (!staysOnChip(ref, i, position)) {
                        kept.add(s);
                    }
                }
            }
        }
        String name = group.stream().map(c -> c.kernel().instanceName()).collect(Collectors.joining("+"));
        return model.assemble(name, group.get(0).step().location(), work, sram, kept, pcus, List.of());
    }

    private boolean staysOnChip(TensorRef ref, int writer, Map<Step.KernelCall, Integer> position) {
        var decl = program.tensor(ref.tensor());
        if (!ref.indices().isEmpty() || decl.isEmpty() || decl.get().role() != Role.LOCAL) {
            return false;
        }
        for (Step.KernelCall reader : readers.getOrDefault(ref.tensor(), List.of())) {
            Integer at = position.get(reader);
            if (at == null || at <= writer) {
                return false;
            }
        }
        return true;
    }

    private static String key(TensorRef ref, Map<String, String> rename) {
        return ref.tensor() + indices(ref, rename);
    }

    private FusionHint hint(List<Call> group, KernelCost merged, long launches) {
        double flops = 0;
        double bytes = 0;
        double hbm = 0;
        double time = 0;
        for (Call c : group) {
            flops += c.cost().flops();
            bytes += c.cost().offChipBytes();
            hbm += c.cost().bytes(MemoryChannel.HBM);
            time += c.cost().time().nominal();
        }
        double before = bytes == 0 ? Double.POSITIVE_INFINITY : flops / bytes;
        double speedup = merged.time().nominal() == 0 ? 1 : time / merged.time().nominal();
        double saved = (hbm - merged.bytes(MemoryChannel.HBM)) * launches;
        List<String> names = group.stream().map(c -> c.kernel().name()).toList();
        String mergedName = String.join("_", names);
        String message = String.format(Locale.ROOT,
                "kernels %s could be one kernel: intensity %s -> %s FLOP/B, est. %.1fx faster, saves %s of HBM traffic",
                and(names), intensity(before), intensity(merged.intensity()), speedup, Sizes.decimalBytes(saved));
        List<Step.Loop> loops = new ArrayList<>();
        for (Call c : group) {
            if (c.loop() != null && loops.stream().noneMatch(l -> l == c.loop())) {
                loops.add(c.loop());
            }
        }
        String fuseLoops = loops.size() < 2 ? ""
                : "fuse the loops at lines " + and(loops.stream().map(l -> String.valueOf(l.location().line())).toList())
                        + " into one loop (same range, the second's variable renamed to the first's), then ";
        String edit = fuseLoops + "replace the calls of " + and(names) + " at lines "
                + and(group.stream().map(c -> String.valueOf(c.step().location().line())).toList())
                + " by one call of a new kernel " + mergedName + " whose body is theirs in order, the tensors passed"
                + " between them becoming values";
        return new FusionHint(group.stream().map(c -> c.kernel().instanceName()).toList(),
                group.stream().map(c -> c.step().location()).toList(),
                group.stream().map(c -> c.kernel().location()).toList(), mergedName, before, merged.intensity(), speedup,
                saved, message, edit);
    }

    private static String and(List<String> names) {
        if (names.size() <= 1) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    static String intensity(double v) {
        return Double.isInfinite(v) ? "inf" : v >= 10 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Running totals of one level. */
    private static final class Level {
        private final String name;
        private long launches;
        private double flops;
        private final Map<MemoryChannel, Double> bytes = new EnumMap<>(MemoryChannel.class);
        private Estimate time = Estimate.ZERO;

        Level(String name) {
            this.name = name;
        }

        void add(KernelCost cost, long times) {
            launches += times;
            flops += cost.flops() * times;
            for (MemoryChannel c : MemoryChannel.values()) {
                bytes.merge(c, cost.bytes(c) * times, Double::sum);
            }
            time = time.plus(cost.time().times(times));
        }

        FusionLevel level() {
            return new FusionLevel(name, launches, flops, bytes, time);
        }
    }
}
