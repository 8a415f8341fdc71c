package io.rdustudio.core.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.rdustudio.core.analysis.cost.CallCost;
import io.rdustudio.core.analysis.cost.CostModel;
import io.rdustudio.core.analysis.cost.ProgramCost;
import io.rdustudio.core.analysis.cost.TensorTiers;
import io.rdustudio.core.analysis.fusion.BandwidthEstimate;
import io.rdustudio.core.analysis.fusion.FusionAnalysis;
import io.rdustudio.core.analysis.fusion.FusionReport;
import io.rdustudio.core.analysis.fusion.ResourceNeeds;
import io.rdustudio.core.analysis.memory.Allocation;
import io.rdustudio.core.analysis.memory.MemoryPlan;
import io.rdustudio.core.analysis.memory.MemoryPlanner;
import io.rdustudio.core.analysis.memory.SocketPlan;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.core.target.TargetKind;
import io.rdustudio.core.target.TargetProfile;

/**
 * The whole static analysis of a program, in the order each step needs the previous one: the
 * memory plan decides where tensors live; the cost model prices every call with those tiers; the
 * fusion analysis gives the three fusion levels and the hints; the bandwidth estimate runs on every
 * call site. This is the one entry point the language server, the CLI and the benchmarks call.
 *
 * <p><b>Failing soft.</b> A step that throws (a bug, or a program the step cannot handle) becomes
 * one error diagnostic ({@value #FAILED_CODE}) at the program's schedule, and the later steps run
 * without it: the cost then uses the declared tiers. {@link #analyse} never throws for a program.
 *
 * <p><b>Cancellation.</b> {@code cancelled} is checked between the steps and inside each; once it
 * answers true the result holds what was done, with {@link Result#cancelled()} set.
 *
 * <p>Placement is not part of it: it maps one kernel at a time and anneals, so a front end asks
 * {@link io.rdustudio.core.analysis.placement.Placer} for the kernel it shows.
 */
public final class ProgramAnalysis {

    /** Code of the diagnostic that replaces a step that failed. */
    public static final String FAILED_CODE = "dfk.analysis-failed";

    /**
     * One call site's bandwidth estimate.
     *
     * @param call     the call site, its launches and its cost per launch
     * @param estimate the static bandwidth estimate of one launch
     */
    public record CallBandwidth(CallCost call, BandwidthEstimate estimate) {
    }

    /**
     * Everything the analysis found. A step that did not run (cancelled before it, or failed) is empty.
     *
     * @param memory      the memory plan
     * @param tensorTiers where the cost model placed each tensor: the plan's tier, else the declared one
     * @param cost        every call site's roofline cost and the program's totals
     * @param fusion      the three fusion levels, the hints and the limits that stopped merges
     * @param bandwidth   one estimate per call site of {@code cost}, in schedule order
     * @param diagnostics every step's diagnostics, without duplicates, in step order
     * @param cancelled   the request was cancelled; some steps are missing or partial
     */
    public record Result(Program program, TargetProfile target, Optional<MemoryPlan> memory, TensorTiers tensorTiers,
            Optional<ProgramCost> cost, Optional<FusionReport> fusion, List<CallBandwidth> bandwidth,
            List<Diagnostic> diagnostics, boolean cancelled) {

        public Result {
            bandwidth = List.copyOf(bandwidth);
            diagnostics = List.copyOf(diagnostics);
        }

        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
        }
    }

    private ProgramAnalysis() {
    }

    public static Result analyse(Program program, TargetProfile target, BooleanSupplier cancelled) {
        return new Run(program, target, cancelled).run();
    }

    private static final class Run {
        private final Program program;
        private final TargetProfile target;
        private final BooleanSupplier cancelled;
        private final Set<Diagnostic> diagnostics = new LinkedHashSet<>();
        private final SourceLocation where;

        Run(Program program, TargetProfile target, BooleanSupplier cancelled) {
            this.program = program;
            this.target = target;
            this.cancelled = cancelled;
            this.where = program.schedule().map(s -> s.location())
                    .orElse(new SourceLocation(program.uri() == null ? "" : program.uri(), 0, 0, 1, 1));
        }

        Result run() {
            Optional<MemoryPlan> memory = step("the memory plan",
                    () -> MemoryPlanner.plan(program, target, MemoryPlanner.Options.DEFAULT, cancelled));
            memory.ifPresent(m -> diagnostics.addAll(m.diagnostics()));
            TensorTiers tiers = memory.map(Run::tiersOf).orElse(TensorTiers.NONE);
            if (cancelled.getAsBoolean() || memory.map(MemoryPlan::cancelled).orElse(false)) {
                return result(memory, tiers, Optional.empty(), Optional.empty(), List.of(), true);
            }

            if (target.kind() != TargetKind.RDU) {
                diagnostics.add(Diagnostic.error("dfk.analysis-target", "the cost, fusion and bandwidth analyses model an"
                        + " RDU; target " + target.name() + " is not one: choose sn40l or sn40l-node", where));
                return result(memory, tiers, Optional.empty(), Optional.empty(), List.of(), false);
            }
            Optional<CostModel> model = step("the cost model", () -> new CostModel(target));
            if (model.isEmpty()) {
                return result(memory, tiers, Optional.empty(), Optional.empty(), List.of(), false);
            }
            Optional<ProgramCost> cost = step("the cost estimate", () -> model.get().programCost(program, tiers, cancelled));
            cost.ifPresent(c -> diagnostics.addAll(c.diagnostics()));
            if (cancelled.getAsBoolean() || cost.map(c -> !c.complete()).orElse(false)) {
                return result(memory, tiers, cost, Optional.empty(), List.of(), true);
            }

            Optional<FusionReport> fusion = step("the fusion analysis",
                    () -> FusionAnalysis.analyse(program, model.get(), tiers, cancelled));
            fusion.ifPresent(f -> diagnostics.addAll(f.diagnostics()));
            if (cancelled.getAsBoolean() || fusion.map(f -> !f.complete()).orElse(false)) {
                return result(memory, tiers, cost, fusion, List.of(), true);
            }

            List<CallBandwidth> bandwidth = step("the bandwidth estimate",
                    () -> bandwidth(cost, fusion, model.get())).orElse(List.of());
            return result(memory, tiers, cost, fusion, bandwidth, cancelled.getAsBoolean());
        }

        private List<CallBandwidth> bandwidth(Optional<ProgramCost> cost, Optional<FusionReport> fusion, CostModel model) {
            if (cost.isEmpty()) {
                return List.of();
            }
            Map<String, ResourceNeeds> needs = new HashMap<>();
            fusion.ifPresent(f -> f.needs().forEach(n -> needs.put(n.kernel(), n)));
            List<CallBandwidth> out = new ArrayList<>();
            for (CallCost call : cost.get().calls()) {
                if (cancelled.getAsBoolean()) {
                    break;
                }
                var kernel = program.kernels().get(call.kernel());
                if (kernel == null) {
                    continue;
                }
                ResourceNeeds n = needs.computeIfAbsent(call.kernel(), k -> ResourceNeeds.of(kernel, model));
                out.add(new CallBandwidth(call, BandwidthEstimate.of(call.perCall(), n, model)));
            }
            return out;
        }

        /** Each tensor's tier in the plan: the first socket plan that holds it decides. */
        private static TensorTiers tiersOf(MemoryPlan plan) {
            Map<String, Tier> tiers = new HashMap<>();
            for (SocketPlan socket : plan.socketPlans()) {
                for (Allocation a : socket.allocations()) {
                    tiers.putIfAbsent(a.tensor(), a.tier());
                }
            }
            return TensorTiers.of(tiers);
        }

        private <T> Optional<T> step(String what, Supplier<T> body) {
            try {
                return Optional.of(body.get());
            } catch (RuntimeException | StackOverflowError e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                diagnostics.add(Diagnostic.error(FAILED_CODE, String.format(Locale.ROOT,
                        "%s failed on this program (%s) with target %s; the other analyses ran without it."
                                + " If the program checks clean, this is a bug in dfk: please report it with this file",
                        what, reason, target.name()), where));
                return Optional.empty();
            }
        }

        private Result result(Optional<MemoryPlan> memory, TensorTiers tiers, Optional<ProgramCost> cost,
                Optional<FusionReport> fusion, List<CallBandwidth> bandwidth, boolean wasCancelled) {
            return new Result(program, target, memory, tiers, cost, fusion, bandwidth, new ArrayList<>(diagnostics),
                    wasCancelled);
        }
    }
}
