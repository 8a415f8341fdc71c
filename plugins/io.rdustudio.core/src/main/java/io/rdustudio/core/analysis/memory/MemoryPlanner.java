package io.rdustudio.core.analysis.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import io.rdustudio.core.analysis.Sizes;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Role;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.Step;
import io.rdustudio.core.ir.TensorDecl;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.core.target.FigureKey;
import io.rdustudio.core.target.TargetKind;
import io.rdustudio.core.target.TargetProfile;

/**
 * The static memory manager of DOMAIN.md section 4. The model, in order:
 *
 * <ol>
 * <li><b>Timeline.</b> The schedule unrolled into launches ({@link Timeline}); a lifetime is an
 * inclusive range of launches. A launch's inputs and outputs are live together (it streams).</li>
 * <li><b>Lifetimes.</b> Inputs and weights from the start to their last use (a weight indexed per
 * layer, {@code w[l]}, is one stacked buffer and so is live until the last layer's use); state
 * from start to end; outputs from their first write to the end. A local gets a new <i>version</i>
 * at every whole write (an unindexed output of a launch) that lives until the last read of that
 * value; an indexed write extends the current version. So a local written and read inside a loop
 * body is live within each iteration, and a loop-carried local (read at the top of the body,
 * written at its bottom) lives from its write until the next iteration's read.</li>
 * <li><b>Per socket.</b> A tensor passed to a tensor-parallel kernel of degree {@code d} lives on
 * sockets {@code 0..d-1} with that kernel's per-socket share (the parameter's per-socket type:
 * split weights are divided, replicated activations are whole); a tensor used only by kernels
 * without parallelism lives on socket 0; a tensor no launch touches lives on socket 0. Sockets
 * that hold the same tensors share one plan.</li>
 * <li><b>Addresses.</b> Per tier, {@link IntervalAllocator}: largest first, first fit, buffers
 * whose lifetimes do not overlap share addresses.</li>
 * <li><b>Tiers.</b> A declared tier is a hard constraint. Everything else goes to HBM; while HBM
 * does not fit, one tensor (all its versions) moves to DDR, chosen by {@link SpillOrder} among
 * the tensors live at HBM's fullest launch. Both orders are run and reported for comparison; the
 * options choose which one the plan uses.</li>
 * <li><b>Read-only.</b> Inputs and weights are marked read-only: their aggregate transfer counts
 * reads only, and evicting them never copies them back.</li>
 * </ol>
 *
 * Cancellation is checked between launches and between spill rounds; a cancelled plan is partial
 * and says so. User errors (a program that does not fit) are error diagnostics, never exceptions.
 */
public final class MemoryPlanner {

    /** @param spillOrder the order the plan uses; both are always computed and compared */
    public record Options(SpillOrder spillOrder) {
        public static final Options DEFAULT = new Options(SpillOrder.SMALLEST_TRANSFER);
    }

    private MemoryPlanner() {
    }

    public static MemoryPlan plan(Program program, TargetProfile profile) {
        return plan(program, profile, Options.DEFAULT, () -> false);
    }

    public static MemoryPlan plan(Program program, TargetProfile profile, Options options, BooleanSupplier cancelled) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        SourceLocation where = program.schedule().map(s -> s.location()).orElse(SourceLocation.UNKNOWN);
        if (profile.kind() != TargetKind.RDU) {
            diagnostics.add(Diagnostic.warning("dfk.memory-plan-target", "the memory plan models an RDU; target "
                    + profile.name() + " is a " + profile.kind().name().toLowerCase(Locale.ROOT)
                    + " profile: choose sn40l or sn40l-node", where));
            return empty(program, profile, diagnostics, false);
        }
        if (program.schedule().isEmpty()) {
            diagnostics.add(new Diagnostic(Severity.INFO, "dfk.memory-plan-no-schedule",
                    "no schedule: a library file has no memory plan", where));
            return empty(program, profile, diagnostics, false);
        }
        Timeline timeline = Timeline.of(program, cancelled);
        if (timeline.cancelled()) {
            return empty(program, profile, cancelledNote(diagnostics, where), true);
        }
        int sockets = Math.max(1, program.schedule().get().sockets());
        Map<String, TensorFacts> facts = facts(program, timeline, sockets);
        List<Item> items = lifetimes(program, timeline, facts);
        if (timeline.compressed()) {
            diagnostics.add(new Diagnostic(Severity.INFO, "dfk.memory-plan-compressed", String.format(
                    "the schedule has over %,d launches: lifetimes use each loop unrolled three times (peaks are"
                            + " the same; the count of local versions is not)", Timeline.MAX_UNROLLED_CALLS), where));
        }

        Map<List<String>, List<Integer>> groups = new LinkedHashMap<>();
        for (int s = 0; s < sockets; s++) {
            List<String> held = new ArrayList<>();
            for (TensorFacts f : facts.values()) {
                if (f.sockets.contains(s)) {
                    held.add(f.decl.name());
                }
            }
            groups.computeIfAbsent(held, k -> new ArrayList<>()).add(s);
        }
        List<SocketPlan> plans = new ArrayList<>();
        boolean wasCancelled = false;
        for (Map.Entry<List<String>, List<Integer>> g : groups.entrySet()) {
            java.util.Set<String> held = new java.util.HashSet<>(g.getKey());
            List<Item> mine = items.stream().filter(i -> held.contains(i.decl.name())).toList();
            SocketPlanner sp = new SocketPlanner(g.getValue(), mine, facts, timeline, profile, options, cancelled,
                    diagnostics, where);
            plans.add(sp.plan());
            if (sp.cancelled) {
                wasCancelled = true;
                cancelledNote(diagnostics, where);
                break;
            }
        }
        List<TensorSummary> summaries = new ArrayList<>();
        for (TensorFacts f : facts.values()) {
            summaries.add(new TensorSummary(f.decl.name(), f.decl.role(), f.decl.tier(), f.bytesPerSocket,
                    List.copyOf(f.sockets), f.transferBytes, f.decl.role().readOnly()));
        }
        return new MemoryPlan(program.name(), profile.name(), sockets, timeline.calls().size(), timeline.compressed(),
                summaries, plans, diagnostics, wasCancelled);
    }

    private static List<Diagnostic> cancelledNote(List<Diagnostic> diagnostics, SourceLocation where) {
        diagnostics.add(new Diagnostic(Severity.INFO, "dfk.cancelled", "memory planning was cancelled; the plan is partial",
                where));
        return diagnostics;
    }

    private static MemoryPlan empty(Program program, TargetProfile profile, List<Diagnostic> diagnostics,
            boolean cancelled) {
        return new MemoryPlan(program.name(), profile.name(), program.schedule().map(s -> s.sockets()).orElse(0), 0,
                false, List.of(), List.of(), diagnostics, cancelled);
    }

    /** What the plan needs to know of a program tensor. */
    static final class TensorFacts {
        final TensorDecl decl;
        long bytesPerSocket = -1;
        final TreeSet<Integer> sockets = new TreeSet<>();
        long transferBytes;

        TensorFacts(TensorDecl decl) {
            this.decl = decl;
        }
    }

    /** One buffer to allocate: a tensor, or one version of a local. */
    record Item(TensorDecl decl, int version, int first, int last, long bytes) {
    }

    private static Map<String, TensorFacts> facts(Program program, Timeline timeline, int sockets) {
        Map<String, TensorFacts> facts = new LinkedHashMap<>();
        for (TensorDecl t : program.tensors()) {
            facts.put(t.name(), new TensorFacts(t));
        }
        Map<Step.KernelCall, Timeline.Call> firstCall = new HashMap<>();
        for (Timeline.Call c : timeline.calls()) {
            firstCall.putIfAbsent(c.step(), c);
            for (Timeline.Access a : accesses(c)) {
                TensorFacts f = facts.get(a.tensor());
                if (f == null) {
                    continue;
                }
                f.bytesPerSocket = Math.max(f.bytesPerSocket, shareOfWhole(f.decl, a));
                for (int s = 0; s < Math.min(a.tensorParallel(), sockets); s++) {
                    f.sockets.add(s);
                }
            }
        }
        for (Map.Entry<Step.KernelCall, Long> e : Timeline.callCounts(program).entrySet()) {
            Timeline.Call c = firstCall.get(e.getKey());
            if (c == null) {
                continue;
            }
            for (Timeline.Access a : accesses(c)) {
                TensorFacts f = facts.get(a.tensor());
                if (f != null) {
                    f.transferBytes = Timeline.saturatingAdd(f.transferBytes,
                            Timeline.saturatingMultiply(e.getValue(), a.bytesPerSocket()));
                }
            }
        }
        for (TensorFacts f : facts.values()) {
            if (f.bytesPerSocket < 0) {
                f.bytesPerSocket = bytes(f.decl);
            }
            if (f.sockets.isEmpty()) {
                f.sockets.add(0);
            }
        }
        return facts;
    }

    private static List<Timeline.Access> accesses(Timeline.Call c) {
        List<Timeline.Access> all = new ArrayList<>(c.reads());
        all.addAll(c.writes());
        return all;
    }

    /** The whole tensor's bytes on one socket, from one launch's per-socket share of an indexed slice. */
    private static long shareOfWhole(TensorDecl decl, Timeline.Access a) {
        long bytes = a.bytesPerSocket();
        for (int i = 0; i < a.indices() && i < decl.type().shape().rank(); i++) {
            bytes = Timeline.saturatingMultiply(bytes, decl.type().shape().dim(i));
        }
        return Math.min(bytes, bytes(decl));
    }

    private static long bytes(TensorDecl decl) {
        try {
            return decl.type().bytes();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static List<Item> lifetimes(Program program, Timeline timeline, Map<String, TensorFacts> facts) {
        int end = Math.max(0, timeline.calls().size() - 1);
        Map<String, int[]> firstLast = new HashMap<>();
        Map<String, int[]> firstWrite = new HashMap<>();
        List<Item> locals = new ArrayList<>();
        Map<String, int[]> openVersion = new HashMap<>();
        Map<String, Integer> versions = new HashMap<>();
        for (Timeline.Call c : timeline.calls()) {
            int t = c.time();
            for (Timeline.Access a : accesses(c)) {
                firstLast.computeIfAbsent(a.tensor(), k -> new int[] { t, t })[1] = t;
            }
            for (Timeline.Access a : c.writes()) {
                firstWrite.putIfAbsent(a.tensor(), new int[] { t });
            }
            for (Timeline.Access a : c.reads()) {
                TensorFacts f = facts.get(a.tensor());
                if (f != null && f.decl.role() == Role.LOCAL) {
                    openVersion.computeIfAbsent(a.tensor(), k -> open(versions, k, t))[2] = t;
                }
            }
            for (Timeline.Access a : c.writes()) {
                TensorFacts f = facts.get(a.tensor());
                if (f == null || f.decl.role() != Role.LOCAL) {
                    continue;
                }
                int[] current = openVersion.get(a.tensor());
                if (a.indices() > 0 && current != null) {
                    current[2] = t;
                } else if (current == null || a.indices() == 0) {
                    if (current != null) {
                        locals.add(new Item(f.decl, current[0], current[1], current[2], f.bytesPerSocket));
                    }
                    openVersion.put(a.tensor(), open(versions, a.tensor(), t));
                }
            }
        }
        for (Map.Entry<String, int[]> e : openVersion.entrySet()) {
            TensorFacts f = facts.get(e.getKey());
            int[] v = e.getValue();
            locals.add(new Item(f.decl, v[0], v[1], v[2], f.bytesPerSocket));
        }
        List<Item> items = new ArrayList<>();
        for (TensorFacts f : facts.values()) {
            int[] used = firstLast.get(f.decl.name());
            switch (f.decl.role()) {
                case INPUT, WEIGHT -> items.add(new Item(f.decl, 0, 0, used == null ? 0 : used[1], f.bytesPerSocket));
                case STATE -> items.add(new Item(f.decl, 0, 0, end, f.bytesPerSocket));
                case OUTPUT -> {
                    int[] w = firstWrite.get(f.decl.name());
                    int first = w != null ? w[0] : used != null ? used[0] : 0;
                    items.add(new Item(f.decl, 0, Math.min(first, used == null ? first : used[0]), end,
                            f.bytesPerSocket));
                }
                case LOCAL -> {
                    if (!openVersion.containsKey(f.decl.name())) {
                        items.add(new Item(f.decl, 0, 0, 0, f.bytesPerSocket));
                    }
                }
            }
        }
        locals.sort(Comparator.comparing((Item i) -> i.decl.name()).thenComparingInt(Item::version));
        items.addAll(locals);
        return items;
    }

    private static int[] open(Map<String, Integer> versions, String tensor, int t) {
        int v = versions.merge(tensor, 1, Integer::sum) - 1;
        return new int[] { v, t, t };
    }

    /** Tier assignment, spilling and allocation for one group of sockets. */
    private static final class SocketPlanner {
        private final List<Integer> sockets;
        private final List<Item> items;
        private final Map<String, TensorFacts> facts;
        private final Timeline timeline;
        private final TargetProfile profile;
        private final Options options;
        private final BooleanSupplier cancel;
        private final List<Diagnostic> diagnostics;
        private final SourceLocation where;
        private final long hbmCapacity;
        boolean cancelled;

        SocketPlanner(List<Integer> sockets, List<Item> items, Map<String, TensorFacts> facts, Timeline timeline,
                TargetProfile profile, Options options, BooleanSupplier cancel, List<Diagnostic> diagnostics,
                SourceLocation where) {
            this.sockets = sockets;
            this.items = items;
            this.facts = facts;
            this.timeline = timeline;
            this.profile = profile;
            this.options = options;
            this.cancel = cancel;
            this.diagnostics = diagnostics;
            this.where = where;
            this.hbmCapacity = capacity(Tier.HBM);
        }

        private long capacity(Tier tier) {
            return switch (tier) {
                case SRAM -> (long) profile.value(FigureKey.SRAM_BYTES_PER_SOCKET);
                case HBM -> (long) profile.value(FigureKey.HBM_BYTES_PER_SOCKET);
                case DDR -> (long) profile.value(FigureKey.DDR_BYTES_PER_SOCKET);
                case HOST -> Long.MAX_VALUE;
            };
        }

        private String socketsText() {
            return sockets.size() == 1 ? "socket " + sockets.get(0)
                    : "sockets " + sockets.get(0) + "-" + sockets.get(sockets.size() - 1);
        }

        SocketPlan plan() {
            Map<String, Tier> initial = new LinkedHashMap<>();
            for (Item i : items) {
                initial.put(i.decl.name(), i.decl.tier().orElse(Tier.HBM));
            }
            Map<SpillOrder, SpillRun> runs = new EnumMap<>(SpillOrder.class);
            for (SpillOrder order : SpillOrder.values()) {
                runs.put(order, spill(order, new LinkedHashMap<>(initial)));
                if (cancelled) {
                    break;
                }
            }
            SpillRun chosen = runs.containsKey(options.spillOrder()) ? runs.get(options.spillOrder())
                    : new SpillRun(options.spillOrder(), initial, List.of(), false);
            List<SpillOutcome> outcomes = new ArrayList<>();
            if (runs.values().stream().anyMatch(r -> !r.spills.isEmpty())) {
                for (SpillRun r : runs.values()) {
                    long bytes = 0;
                    long traffic = 0;
                    for (Spill s : r.spills) {
                        bytes = Timeline.saturatingAdd(bytes, s.bytes());
                        traffic = Timeline.saturatingAdd(traffic, s.aggregateTransferBytes());
                    }
                    outcomes.add(new SpillOutcome(r.order, r.spills.stream().map(Spill::tensor).toList(), bytes, traffic,
                            r.fits));
                }
            }
            List<Allocation> allocations = new ArrayList<>();
            Map<Tier, TierUsage> usage = new EnumMap<>(Tier.class);
            for (Tier tier : Tier.values()) {
                List<Item> inTier = items.stream().filter(i -> chosen.tiers.get(i.decl.name()) == tier).toList();
                if (inTier.isEmpty() && tier != Tier.HBM && tier != Tier.DDR) {
                    continue;
                }
                List<IntervalAllocator.Request> requests = requests(inTier);
                IntervalAllocator.Result r = IntervalAllocator.allocate(requests);
                long[] peak = IntervalAllocator.peakLive(requests, timeline.calls().size());
                TierUsage u = new TierUsage(tier, capacity(tier), r.extentBytes(), peak[0], (int) peak[1]);
                usage.put(tier, u);
                for (int k = 0; k < inTier.size(); k++) {
                    Item i = inTier.get(k);
                    allocations.add(new Allocation(i.decl.name(), i.version, i.decl.role(), tier, r.offsets()[k],
                            i.bytes, i.first, i.last, i.decl.role().readOnly()));
                }
                if (!u.fits()) {
                    diagnostics.add(doesNotFit(tier, u, inTier, chosen));
                }
            }
            allocations.sort(Comparator.comparing(Allocation::tier).thenComparingLong(Allocation::offset)
                    .thenComparing(Allocation::tensor));
            for (Spill s : chosen.spills) {
                diagnostics.add(new Diagnostic(Severity.INFO, "dfk.memory-spill", s.tensor() + " is placed in DDR on "
                        + socketsText() + ": " + s.reason(), facts.get(s.tensor()).decl.location()));
            }
            List<IntervalAllocator.Request> localRequests = requests(
                    items.stream().filter(i -> i.decl.role() == Role.LOCAL).toList());
            long activationTotal = 0;
            for (IntervalAllocator.Request r : localRequests) {
                activationTotal = Timeline.saturatingAdd(activationTotal, r.bytes());
            }
            long activationPeak = IntervalAllocator.peakLive(localRequests, timeline.calls().size())[0];
            return new SocketPlan(sockets, allocations, usage, chosen.spills, outcomes, activationPeak, activationTotal);
        }

        private Diagnostic doesNotFit(Tier tier, TierUsage u, List<Item> inTier, SpillRun run) {
            String at = u.peakCall() >= 0 ? " at launch " + u.peakCall() + " ("
                    + timeline.calls().get(u.peakCall()).kernel().name() + ")" : "";
            List<Item> pinned = inTier.stream().filter(i -> i.decl.tier().isPresent()).toList();
            String fix = switch (tier) {
                case HBM -> pinned.isEmpty() ? "; even with every movable tensor in DDR it does not fit: raise the kernels'"
                        + " tensor parallelism (with tp = N) or use more sockets"
                        : "; remove the hbm tier from some of " + names(pinned)
                                + " so that they can spill to DDR, or raise the kernels' tensor parallelism";
                case DDR -> "; the program does not fit this socket's memory at all: raise the kernels' tensor"
                        + " parallelism (with tp = N), use more sockets, or lower the model's sizes";
                case SRAM -> "; declare fewer tensors sram: " + names(pinned);
                case HOST -> "";
            };
            String message = String.format("the program does not fit: %s of %s needs %s%s but has %s%s", tier.keyword(),
                    socketsText(), Sizes.bytes(u.extentBytes()), at, Sizes.bytes(u.capacityBytes()), fix);
            SourceLocation loc = pinned.size() == 1 ? pinned.get(0).decl.location() : where;
            return Diagnostic.error("dfk.memory-does-not-fit", message, loc);
        }

        private static String names(List<Item> items) {
            return String.join(", ", items.stream().map(i -> i.decl.name()).distinct().toList());
        }

        private List<IntervalAllocator.Request> requests(List<Item> list) {
            List<IntervalAllocator.Request> r = new ArrayList<>(list.size());
            for (int k = 0; k < list.size(); k++) {
                Item i = list.get(k);
                r.add(new IntervalAllocator.Request(k, i.bytes, i.first, i.last));
            }
            return r;
        }

        private record SpillRun(SpillOrder order, Map<String, Tier> tiers, List<Spill> spills, boolean fits) {
        }

        private SpillRun spill(SpillOrder order, Map<String, Tier> tiers) {
            List<Spill> spills = new ArrayList<>();
            while (true) {
                if (cancel.getAsBoolean()) {
                    cancelled = true;
                    return new SpillRun(order, tiers, spills, false);
                }
                List<Item> hbm = items.stream().filter(i -> tiers.get(i.decl.name()) == Tier.HBM).toList();
                List<IntervalAllocator.Request> requests = requests(hbm);
                long[] peak = IntervalAllocator.peakLive(requests, timeline.calls().size());
                List<Item> candidates = new ArrayList<>();
                String overflow;
                if (peak[0] > hbmCapacity) {
                    for (Item i : hbm) {
                        if (i.decl.tier().isEmpty() && i.first <= peak[1] && peak[1] <= i.last) {
                            candidates.add(i);
                        }
                    }
                    overflow = String.format("HBM needs %s at launch %d (%s) but has %s", Sizes.bytes(peak[0]), peak[1],
                            timeline.calls().get((int) peak[1]).kernel().name(), Sizes.bytes(hbmCapacity));
                } else {
                    IntervalAllocator.Result r = IntervalAllocator.allocate(requests);
                    if (r.extentBytes() <= hbmCapacity) {
                        return new SpillRun(order, tiers, spills, true);
                    }
                    for (int k = 0; k < hbm.size(); k++) {
                        Item i = hbm.get(k);
                        if (i.decl.tier().isEmpty() && r.offsets()[k] + i.bytes > hbmCapacity) {
                            candidates.add(i);
                        }
                    }
                    overflow = String.format("the HBM addresses reach %s (fragmentation) but HBM has %s",
                            Sizes.bytes(r.extentBytes()), Sizes.bytes(hbmCapacity));
                }
                List<String> names = candidates.stream().map(i -> i.decl.name()).distinct().toList();
                if (names.isEmpty()) {
                    return new SpillRun(order, tiers, spills, false);
                }
                Comparator<String> key = order == SpillOrder.SMALLEST_TRANSFER
                        ? Comparator.comparingLong(n -> facts.get(n).transferBytes)
                        : Comparator.comparingDouble(n -> perByte(facts.get(n)));
                String victim = names.stream().min(key.thenComparing(Comparator.naturalOrder())).orElseThrow();
                TensorFacts f = facts.get(victim);
                String why = order == SpillOrder.SMALLEST_TRANSFER
                        ? String.format("it has the smallest aggregate transfer (%s over the program) of the %d tensors"
                                + " that could make room", Sizes.bytes(f.transferBytes), names.size())
                        : String.format(Locale.ROOT, "it has the smallest transfer per byte freed (%.1f B/B) of the %d"
                                + " tensors that could make room", perByte(f), names.size());
                spills.add(new Spill(victim, f.bytesPerSocket, f.transferBytes, overflow + "; " + why
                        + (f.decl.role().readOnly() ? "; read-only, so it is never copied back" : "")));
                tiers.put(victim, Tier.DDR);
            }
        }

        private static double perByte(TensorFacts f) {
            return f.bytesPerSocket == 0 ? Double.POSITIVE_INFINITY : (double) f.transferBytes / f.bytesPerSocket;
        }
    }
}
