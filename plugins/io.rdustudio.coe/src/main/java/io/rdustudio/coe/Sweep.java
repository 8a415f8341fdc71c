package io.rdustudio.coe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.ExpertMix;
import io.rdustudio.coe.model.ModelResolver;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.target.TargetProfile;

/**
 * Latency and footprint against the number of experts, on every platform (issue 6, {@code dfk coe
 * sweep}). Each point is the descriptor with {@code n} experts: the first {@code n} declared, and
 * beyond those, more copies of its expert class (the declaration with the most copies, the first
 * of equals). The point is checked on the platform; where the experts fit it is simulated with the
 * workload at {@code requestsPerPoint} requests and the workload's seed (the same arrivals at every
 * point, so the curves differ by the expert count alone); where they do not, it says why.
 */
public final class Sweep {

    /** Requests simulated per point unless told otherwise (the benchmark figure). */
    public static final int DEFAULT_REQUESTS_PER_POINT = 1000;

    /** Check codes that mean "the experts do not fit", which make a point, not an error of the sweep. */
    static final Set<String> OUT_OF_MEMORY = Set.of("coe.ddr-overflow", "coe.out-of-memory");
    static final Set<String> DOES_NOT_FIT = Set.of("coe.hbm-overflow", "coe.too-large-for-cache");

    private Sweep() {
    }

    /** {@code from, from + 1, ..., to}. */
    public static List<Integer> range(int from, int to) {
        List<Integer> counts = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            counts.add(n);
        }
        return counts;
    }

    /**
     * @param descriptor   the deployment, its policy at the workload's batch size when the workload sets one
     * @param platforms    the platforms to compare, e.g. sn40l-node, dgx-a100, dgx-h100
     * @param expertCounts the expert counts, each 1 to {@link Limits#MAX_EXPERTS}
     * @throws DeploymentException when the descriptor itself is wrong (whatever the count), the mix
     *         names experts (a sweep needs a uniform or Zipf mix), or a count is out of range
     */
    public static SweepResult run(Deployment descriptor, Workload workload, ModelResolver resolver,
            List<TargetProfile> platforms, List<Integer> expertCounts, int requestsPerPoint, BooleanSupplier cancelled,
            DoubleConsumer progress) {
        Deployment deployment = descriptor.servingAt(workload);
        ModelResolver memo = MemoisingResolver.of(resolver);
        requireVariableMix(workload, "sweep");
        List<Diagnostic> problems = new ArrayList<>();
        if (requestsPerPoint < 1 || requestsPerPoint > Limits.MAX_REQUESTS) {
            problems.add(Diagnostic.error("coe.bad-size", "a sweep simulates 1 to " + Units.count(Limits.MAX_REQUESTS)
                    + " requests a point, not " + requestsPerPoint, workload.location()));
        }
        if (expertCounts.isEmpty() || expertCounts.stream().anyMatch(n -> n < 1 || n > Limits.MAX_EXPERTS)) {
            problems.add(Diagnostic.error("coe.bad-size", "a sweep's expert counts run from 1 to " + Units.count(Limits.MAX_EXPERTS)
                    + "; give a range such as 1..200", deployment.location()));
        }
        if (platforms.isEmpty()) {
            problems.add(Diagnostic.error("coe.bad-size", "a sweep needs at least one platform", deployment.location()));
        }
        if (!problems.isEmpty()) {
            throw new DeploymentException(problems);
        }
        Workload w = workload.withRequests(requestsPerPoint);
        for (TargetProfile p : platforms) {
            requireSoundDescriptor(withExperts(deployment, 1), w, memo, p);
        }
        List<Integer> counts = expertCounts.stream().distinct().sorted().toList();
        List<SweepPoint> points = new ArrayList<>();
        TimingMemo timings = new TimingMemo();
        int total = counts.size() * platforms.size();
        boolean complete = true;
        outer:
        for (TargetProfile platform : platforms) {
            for (int n : counts) {
                if (cancelled.getAsBoolean()) {
                    complete = false;
                    break outer;
                }
                points.add(point(withExperts(deployment, n), n, w, memo, platform, timings));
                progress.accept((double) points.size() / total);
            }
        }
        List<Diagnostic> notes = new ArrayList<>();
        if (!deployment.spread().isEmpty()) {
            notes.add(Diagnostic.warning("coe.spread-ignored", "the sweep deals the experts out evenly over the "
                    + deployment.hardware().nodes() + " nodes; the descriptor's node assignments name experts a point may not have",
                    deployment.spread().get(0).location()));
        }
        return new SweepResult(deployment.name(), workload.name(), expertClass(deployment).name(), requestsPerPoint,
                platforms.stream().map(TargetProfile::name).toList(), points, notes, complete);
    }

    private static SweepPoint point(Deployment d, int n, Workload w, ModelResolver resolver, TargetProfile platform,
            TimingMemo timings) {
        CheckedDeployment c = DeploymentCheck.analyse(d.withWorkloads(List.of(w)), List.of(), resolver, platform);
        NodeFootprint node = c.footprint().nodes().isEmpty() ? null : c.footprint().nodes().get(0);
        long backing = c.footprint().backingUsedBytes();
        long hbm = c.footprint().hbmUsedBytes();
        long backingCapacity = node == null ? 0 : node.backingCapacityBytes();
        long hbmCapacity = node == null ? 0 : node.hbmCapacityBytes();
        int holds = node == null ? 0 : node.cacheHolds();
        long weights = c.footprint().experts().stream().mapToLong(e -> e.count() * e.weightBytes()).sum();
        Optional<Diagnostic> error = c.diagnostics().stream().filter(x -> x.severity() == Severity.ERROR).findFirst();
        if (error.isPresent()) {
            SweepPoint.Placement placement = OUT_OF_MEMORY.contains(error.get().code()) ? SweepPoint.Placement.OUT_OF_MEMORY
                    : SweepPoint.Placement.DOES_NOT_FIT;
            return new SweepPoint(n, platform.name(), placement, error.get().message(), Optional.empty(), Optional.empty(), 0,
                    0, weights, c.platform().backingTier(), backing, backingCapacity, hbm, hbmCapacity, holds);
        }
        ServingResult r = ServingSimulator.simulate(c, w, timings, () -> false, f -> {
        });
        boolean allInHbm = c.footprint().nodes().stream().allMatch(NodeFootprint::allResident);
        return new SweepPoint(n, platform.name(), allInHbm ? SweepPoint.Placement.ALL_IN_HBM : SweepPoint.Placement.SWITCHING,
                "", Optional.of(r.latency()), Optional.of(r.switching()), r.hitRate(), r.requestsPerSecond(),
                weights, c.platform().backingTier(), backing,
                backingCapacity, hbm, hbmCapacity, holds);
    }

    /** Refuses a workload whose mix or trace names experts, which a variant with other experts may not have. */
    static void requireVariableMix(Workload w, String what) {
        if (w.mix() instanceof ExpertMix.Weights || w.mix() instanceof ExpertMix.Trace) {
            throw new DeploymentException(Diagnostic.error("coe.bad-mix", "a " + what + " varies the number of experts, so workload '"
                    + w.name() + "' must spread its prompts uniformly or by Zipf's law; its " + (w.mix() instanceof ExpertMix.Trace
                            ? "trace" : "weights") + " name experts a variant may not have", w.location()));
        }
    }

    /**
     * Throws the descriptor's errors that no expert count explains: anything but the experts not
     * fitting. {@code oneExpert} is the descriptor cut down to one expert.
     */
    static void requireSoundDescriptor(Deployment oneExpert, Workload w, ModelResolver resolver, TargetProfile platform) {
        List<Diagnostic> errors = DeploymentCheck.analyse(oneExpert.withWorkloads(List.of(w)), List.of(), resolver, platform)
                .diagnostics().stream().filter(d -> d.severity() == Severity.ERROR)
                .filter(d -> !OUT_OF_MEMORY.contains(d.code()) && !DOES_NOT_FIT.contains(d.code())).toList();
        if (!errors.isEmpty()) {
            throw new DeploymentException(errors);
        }
    }

    /** The declaration whose copies stand for experts beyond those declared: the one with the most copies. */
    static ExpertDecl expertClass(Deployment d) {
        return d.experts().stream().max(Comparator.comparingInt(ExpertDecl::count)
                .thenComparing(e -> -d.experts().indexOf(e))).orElseThrow(() -> new DeploymentException(Diagnostic.error(
                        "coe.no-experts", "the deployment declares no experts; declare at least one", d.location())));
    }

    /**
     * The deployment with {@code n} experts: the first {@code n} declared, then more copies of the
     * expert class. Node assignments are dropped (experts are dealt out evenly).
     */
    static Deployment withExperts(Deployment d, int n) {
        ExpertDecl cls = expertClass(d);
        List<ExpertDecl> experts = new ArrayList<>();
        long remaining = n;
        for (ExpertDecl e : d.experts()) {
            if (remaining == 0) {
                break;
            }
            int take = (int) Math.min(Math.max(0, e.count()), remaining);
            if (take > 0) {
                experts.add(e.withCount(take));
                remaining -= take;
            }
        }
        if (remaining > 0) {
            int at = experts.indexOf(cls);
            experts.set(at, cls.withCount((int) (cls.count() + remaining)));
        }
        return d.withExperts(experts).withSpread(List.of());
    }
}
