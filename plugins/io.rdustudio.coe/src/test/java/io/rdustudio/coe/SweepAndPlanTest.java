package io.rdustudio.coe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.ExpertMix;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.core.target.TargetProfile;

class SweepAndPlanTest {

    private static final List<TargetProfile> PLATFORMS = List.of(Deployments.SN40L_NODE, Deployments.DGX_A100,
            Deployments.DGX_H100);
    private final FixtureResolver resolver = new FixtureResolver();
    private final Workload chat = Deployments.poisson("chat", 128, 20, 2.0, 400, 9);

    private SweepResult sweep(Deployment d, List<Integer> counts) {
        return Sweep.run(d, chat, resolver, PLATFORMS, counts, 400, () -> false, f -> {
        });
    }

    @Test
    void latencyRisesOnceTheExpertsStopFittingInHbm() {
        SweepResult r = sweep(Deployments.samba(150), List.of(1, 20, 39, 40, 100, 150));

        List<SweepPoint> sn40l = r.points("sn40l-node");
        assertEquals(SweepPoint.Placement.ALL_IN_HBM, sn40l.get(2).placement());
        assertEquals(SweepPoint.Placement.SWITCHING, sn40l.get(3).placement());
        double inHbm = sn40l.get(2).latency().orElseThrow().p90Seconds();
        double many = sn40l.get(5).latency().orElseThrow().p90Seconds();
        assertEquals(sn40l.get(0).latency().orElseThrow().p90Seconds(), inHbm, 1e-12, "no switch, same latency");
        assertTrue(many > inHbm * 1.02, many + " vs " + inHbm);
        assertTrue(sn40l.get(5).hitRate() < sn40l.get(4).hitRate());
    }

    @Test
    void gpusSwitchOverPcieAndRunOutOfHostMemoryWhereTheSn40lDoesNot() {
        SweepResult r = sweep(Deployments.samba(150), List.of(46, 47, 148, 149, 150));

        assertEquals(46, r.lastAllInHbm("dgx-a100").orElseThrow());
        assertEquals(149, r.firstOutOfMemory("dgx-a100").orElseThrow());
        assertEquals(149, r.firstOutOfMemory("dgx-h100").orElseThrow());
        assertTrue(r.firstOutOfMemory("sn40l-node").isEmpty());
        SweepPoint oom = r.points("dgx-a100").get(3);
        assertTrue(oom.reason().startsWith("dgx-a100 runs out of memory at 149 experts"), oom.reason());
        double a100 = r.points("dgx-a100").get(2).latency().orElseThrow().p90Seconds();
        double h100 = r.points("dgx-h100").get(2).latency().orElseThrow().p90Seconds();
        double sn40l = r.points("sn40l-node").get(2).latency().orElseThrow().p90Seconds();
        // the fixture times every platform alike: the order comes from the copy bandwidths (32, 64, 1000 GB/s)
        assertTrue(a100 > h100 && h100 > sn40l, a100 + " " + h100 + " " + sn40l);
    }

    @Test
    void expertsBeyondThoseDeclaredAreCopiesOfTheExpertClass() {
        Deployment d = Deployments.of(List.of(Deployments.expert("chat", Deployments.LLAMA, 1),
                Deployments.expert("code", Deployments.LLAMA, 3)), Deployments.policy(1, 0, false));

        Deployment five = Sweep.withExperts(d, 5);
        Deployment two = Sweep.withExperts(d, 2);

        assertEquals(List.of(1, 4), five.experts().stream().map(ExpertDecl::count).toList());
        assertEquals(List.of(1, 1), two.experts().stream().map(ExpertDecl::count).toList());
    }

    @Test
    void aSweepRefusesAMixThatNamesExperts() {
        Workload weights = new Workload("w", 128, 20, 1, new ExpertMix.Weights(Map.of("e", 1.0)), 10, 1, Deployments.line(30));
        Workload trace = Deployments.trace(Path.of("t.jsonl"));

        for (Workload w : List.of(weights, trace)) {
            DeploymentException e = assertThrows(DeploymentException.class, () -> Sweep.run(Deployments.samba(3), w,
                    resolver, PLATFORMS, List.of(1, 2), 10, () -> false, f -> {
                    }));
            assertEquals("coe.bad-mix", e.diagnostics().get(0).code());
        }
    }

    @Test
    void aSweepOfABrokenDescriptorSaysWhy() {
        Deployment broken = Deployments.samba(3).withPolicy(Deployments.policy(0, 0, false));

        DeploymentException e = assertThrows(DeploymentException.class, () -> sweep(broken, List.of(1)));

        assertEquals("coe.bad-size", e.diagnostics().get(0).code());
    }

    @Test
    void withoutATargetThePlanServesWhatStaysCloseToOneExpertsLatency() {
        CapacityPlan.Plan plan = CapacityPlan.plan(Deployments.samba(150), chat, resolver, Deployments.SN40L_NODE,
                List.of(Deployments.DGX_A100, Deployments.DGX_H100), OptionalDouble.empty(), 90, () -> false, f -> {
                });

        assertEquals(979, plan.ddrHolds());
        assertEquals(39, plan.hbmHolds());
        assertEquals(plan.noSwitchSeconds() * 1.1, plan.latencyTargetSeconds(), 1e-12);
        assertTrue(plan.maxExperts() >= 39 && plan.maxExperts() < 979, "max " + plan.maxExperts());
        assertTrue(plan.atMax().orElseThrow().p90Seconds() <= plan.latencyTargetSeconds());
        assertEquals("latency target", plan.limitedBy());
        CapacityPlan.GpuNodes a100 = plan.gpu().get(0);
        int nodes = (plan.maxExperts() + 45) / 46;
        assertEquals(nodes, a100.nodes(), "46 experts in each DGX A100's HBM");
        assertEquals((plan.maxExperts() + nodes - 1) / nodes, a100.expertsPerNode());
        // no switch on any GPU node, and the traffic is shared by several nodes: less queueing than one expert on one node
        assertTrue(a100.latency().orElseThrow().p90Seconds() <= plan.noSwitchSeconds());
    }

    @Test
    void aGenerousTargetIsLimitedByDdr() {
        CapacityPlan.Plan plan = CapacityPlan.plan(Deployments.samba(150), chat.withRequests(200), resolver,
                Deployments.SN40L_NODE, List.of(Deployments.DGX_H100), OptionalDouble.of(1e6), 99, () -> false, f -> {
                });

        assertEquals(979, plan.maxExperts());
        assertEquals("DDR", plan.limitedBy());
        assertEquals(22, plan.gpu().get(0).nodes(), "979 experts at 46 a DGX node");
    }
}
