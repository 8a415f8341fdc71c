package io.rdustudio.coe;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import java.util.function.IntPredicate;

import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ModelResolver;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.target.TargetProfile;

/**
 * Capacity planning (issue 6, {@code dfk coe plan}): the most experts one SN40L node holds in DDR and
 * serves within a latency target at a percentile, expert switches included; and how many nodes of
 * each GPU platform the same experts need so that every one stays in GPU HBM (no switch crosses PCIe).
 *
 * <p>Without a target, the target is the latency of one expert (which never switches) at the
 * percentile, plus {@link #DEFAULT_TOLERANCE}. Expert counts are searched by bisection: checks for
 * what fits (monotone in the count), simulations for the latency, which assumes latency does not
 * fall as experts are added (true in expectation: more experts share the same cache; the same seed
 * at every count keeps the noise common).
 */
public final class CapacityPlan {

    /** Without a target, one expert's latency may grow by this fraction (10%) and still count as served. */
    public static final double DEFAULT_TOLERANCE = 0.10;

    private CapacityPlan() {
    }

    /** What one GPU platform needs to keep the plan's experts in GPU HBM. */
    public record GpuNodes(String platform, int experts, int nodes, int expertsPerNode, String reason,
            Optional<LatencySummary> latency) {
    }

    /**
     * @param platform             the SN40L profile planned for
     * @param percentile           50, 90 or 99
     * @param latencyTargetSeconds the target at that percentile (given, or derived)
     * @param targetGiven          whether the user gave it
     * @param noSwitchSeconds      the latency of one expert at the percentile (no switch ever)
     * @param ddrHolds             the most experts one node holds in DDR (with HBM left for the cache)
     * @param hbmHolds             the most experts that all stay resident in HBM
     * @param maxExperts           the most experts served within the target (0: not even one)
     * @param limitedBy            "DDR" or "latency target"
     * @param atMax                latency at {@code maxExperts}
     * @param hitRateAtMax         HBM hit rate at {@code maxExperts}
     * @param gpu                  per GPU platform, the nodes that keep those experts in GPU HBM
     */
    public record Plan(String deployment, String workload, String platform, int percentile, double latencyTargetSeconds,
            boolean targetGiven, double noSwitchSeconds, int ddrHolds, int hbmHolds, int maxExperts, String limitedBy,
            Optional<LatencySummary> atMax, double hitRateAtMax, List<GpuNodes> gpu, boolean complete) {

        public Plan {
            gpu = List.copyOf(gpu);
        }
    }

    /**
     * @param descriptor    the deployment; its hardware is taken as one node of {@code sn40l}, its policy at the
     *                      workload's batch size when the workload sets one
     * @param sn40l         the SN40L profile (a node)
     * @param gpus          the GPU platforms to compare (dgx-a100, dgx-h100)
     * @param latencyTarget the target in seconds, or empty for one expert's latency plus the tolerance
     * @param percentile    50, 90 or 99
     * @throws DeploymentException when the descriptor has errors, the mix names experts, the
     *         percentile is not 50, 90 or 99, or not even one expert fits the node
     */
    public static Plan plan(Deployment descriptor, Workload workload, ModelResolver resolver, TargetProfile sn40l,
            List<TargetProfile> gpus, OptionalDouble latencyTarget, int percentile, BooleanSupplier cancelled,
            DoubleConsumer progress) {
        Deployment deployment = descriptor.servingAt(workload);
        ModelResolver memo = MemoisingResolver.of(resolver);
        Sweep.requireVariableMix(workload, "plan");
        if (percentile != 50 && percentile != 90 && percentile != 99) {
            throw new DeploymentException(Diagnostic.error("coe.bad-percentile", "plan at percentile 50, 90 or 99, not "
                    + percentile, workload.location()));
        }
        if (latencyTarget.isPresent() && !(latencyTarget.getAsDouble() > 0 && Double.isFinite(latencyTarget.getAsDouble()))) {
            throw new DeploymentException(Diagnostic.error("coe.bad-target", "a latency target is a positive number of seconds, not "
                    + latencyTarget.getAsDouble(), workload.location()));
        }
        Deployment oneNode = deployment.withHardware(deployment.hardware().withNodes(1));
        Sweep.requireSoundDescriptor(Sweep.withExperts(oneNode, 1), workload, memo, sn40l);
        TimingMemo timings = new TimingMemo();
        IntPredicate fitsDdr = n -> !check(oneNode, n, workload, memo, sn40l).hasErrors();
        if (!fitsDdr.test(1)) {
            throw new DeploymentException(check(oneNode, 1, workload, memo, sn40l).diagnostics());
        }
        int ddrHolds = largest(1, Limits.MAX_EXPERTS, fitsDdr);
        int hbmHolds = largest(1, ddrHolds, n -> check(oneNode, n, workload, memo, sn40l).footprint().nodes().stream()
                .allMatch(NodeFootprint::allResident));
        progress.accept(0.1);
        ServingResult one = simulate(oneNode, 1, workload, memo, sn40l, timings);
        double noSwitch = one.latency().at(percentile);
        double target = latencyTarget.orElse(noSwitch * (1 + DEFAULT_TOLERANCE));
        boolean[] stopped = { false };
        IntPredicate meets = n -> {
            if (cancelled.getAsBoolean()) {
                stopped[0] = true;
                return false;
            }
            return simulate(oneNode, n, workload, memo, sn40l, timings).latency().at(percentile) <= target;
        };
        int max;
        String limitedBy;
        if (noSwitch > target) {
            max = 0;
            limitedBy = "latency target";
        } else if (meets.test(ddrHolds)) {
            max = ddrHolds;
            limitedBy = "DDR";
        } else {
            max = largest(Math.min(hbmHolds, ddrHolds), ddrHolds, meets);
            limitedBy = "latency target";
        }
        progress.accept(0.8);
        Optional<ServingResult> atMax = max == 0 || stopped[0] ? Optional.empty()
                : Optional.of(simulate(oneNode, max, workload, memo, sn40l, timings));
        List<GpuNodes> gpu = new ArrayList<>();
        for (TargetProfile p : gpus) {
            gpu.add(gpuNodes(deployment, Math.max(1, max), workload, memo, p, timings));
        }
        progress.accept(1.0);
        return new Plan(deployment.name(), workload.name(), sn40l.name(), percentile, target, latencyTarget.isPresent(),
                noSwitch, ddrHolds, hbmHolds, max, limitedBy, atMax.map(ServingResult::latency),
                atMax.map(ServingResult::hitRate).orElse(0.0), gpu, !stopped[0]);
    }

    /** The most nodes of {@code gpu} the experts need so that every node holds all of its experts in GPU HBM. */
    private static GpuNodes gpuNodes(Deployment d, int experts, Workload w, ModelResolver resolver, TargetProfile gpu,
            TimingMemo timings) {
        Deployment all = Sweep.withExperts(d, experts);
        CheckedDeployment single = DeploymentCheck.analyse(all.withHardware(all.hardware().withNodes(1)).withWorkloads(List.of(w)),
                List.of(), resolver, gpu);
        int perNode = single.footprint().nodes().isEmpty() ? 0 : single.footprint().nodes().get(0).cacheHolds();
        if (perNode == 0) {
            String why = single.diagnostics().stream().filter(x -> Sweep.DOES_NOT_FIT.contains(x.code())).findFirst()
                    .map(Diagnostic::message).orElse("no expert fits in its GPU HBM after the router and the KV caches");
            return new GpuNodes(gpu.name(), experts, 0, 0, why, Optional.empty());
        }
        int nodes = (experts + perNode - 1) / perNode;
        while (nodes <= Limits.MAX_NODES) {
            CheckedDeployment c = DeploymentCheck.analyse(all.withHardware(all.hardware().withTargetProfile(gpu.name())
                    .withNodes(nodes)).withWorkloads(List.of(w)), List.of(), resolver, gpu);
            if (!c.hasErrors() && c.footprint().nodes().stream().allMatch(NodeFootprint::allResident)) {
                ServingResult r = ServingSimulator.simulate(c, w, timings, () -> false, f -> {
                });
                return new GpuNodes(gpu.name(), experts, nodes, (experts + nodes - 1) / nodes, "", Optional.of(r.latency()));
            }
            nodes++;
        }
        return new GpuNodes(gpu.name(), experts, 0, perNode, "more than " + Limits.MAX_NODES + " nodes", Optional.empty());
    }

    private static CheckedDeployment check(Deployment oneNode, int n, Workload w, ModelResolver resolver,
            TargetProfile platform) {
        return DeploymentCheck.analyse(Sweep.withExperts(oneNode, n).withWorkloads(List.of(w)), List.of(), resolver, platform);
    }

    private static ServingResult simulate(Deployment oneNode, int n, Workload w, ModelResolver resolver,
            TargetProfile platform, TimingMemo timings) {
        return ServingSimulator.simulate(check(oneNode, n, w, resolver, platform).orThrow(), w, timings, () -> false, f -> {
        });
    }

    /** The largest n in [lo, hi] with {@code test(n)}, given {@code test(lo)} and that it holds up to some n and not beyond. */
    static int largest(int lo, int hi, IntPredicate test) {
        if (test.test(hi)) {
            return hi;
        }
        int good = lo;
        int bad = hi;
        while (bad - good > 1) {
            int mid = good + (bad - good) / 2;
            if (test.test(mid)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return good;
    }
}
