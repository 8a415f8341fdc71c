package io.rdustudio.coe;

import static io.rdustudio.coe.Deployments.LLAMA;
import static io.rdustudio.coe.Deployments.expert;
import static io.rdustudio.coe.Deployments.line;
import static io.rdustudio.coe.Deployments.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rdustudio.coe.model.CachePolicy;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.ExpertMix;
import io.rdustudio.coe.model.Hardware;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.NodeAssignment;
import io.rdustudio.coe.model.RouterDecl;
import io.rdustudio.coe.model.RuntimePolicy;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.core.target.TargetProfile;

/** Each check as the user meets it: the line it points at and the message with its amounts and fix. */
class DeploymentCheckTest {

    private final FixtureResolver resolver = new FixtureResolver();

    private List<String> check(Deployment d) {
        return check(d, Deployments.SN40L_NODE);
    }

    private List<String> check(Deployment d, TargetProfile platform) {
        return DeploymentCheck.check(d, resolver, platform).stream().map(DeploymentCheckTest::show).toList();
    }

    private static String show(Diagnostic d) {
        return d.location().line() + " " + d.code() + ": " + d.message();
    }

    @Test
    void sambaCoeOnOneNodeIsClean() {
        assertEquals(List.of(), check(Deployments.samba(150)));
    }

    @Test
    void expertsBeyondDdrAreRefusedWithTheOverflowAndHowManyFit() {
        Deployment d = Deployments.of(List.of(expert("a", LLAMA, 900), new ExpertDecl("b", LLAMA, "", DType.BF16, 8, false,
                100, line(12))), policy(1, 0, false));

        assertEquals(List.of("12 coe.ddr-overflow: the experts do not fit the DDR of the sn40l-node node: 1,000 experts need "
                + "12.3 TiB, it has 12.0 TiB (over by 263.3 GiB); 979 fit (12.6 GiB each). Remove experts, use a smaller dtype, "
                + "or add a node and spread the experts"), check(d));
    }

    @Test
    void aRouterKvCachesAndPinnedExpertsBeyondHbmAreRefused() {
        ExpertDecl pinned = new ExpertDecl("hot", LLAMA, "", DType.BF16, 8, true, 40, line(11));
        Deployment d = Deployments.of(List.of(expert("cold", LLAMA, 10), pinned), policy(8, 0, false));

        assertEquals(List.of("11 coe.hbm-overflow: the HBM of the sn40l-node node (512.0 GiB) cannot hold the router (12.6 GiB), "
                + "the KV caches of a batch of 8 at 4,096 and 4,096 tokens (32.0 GiB) and 40 pinned experts (502.1 GiB): over by "
                + "34.6 GiB, with nothing left for the expert cache; unpin experts, lower the batch size or shorten the maximum "
                + "context"), check(d));
    }

    @Test
    void anExpertLargerThanWhatTheCacheGetsCanNeverRun() {
        ExpertDecl pinned = new ExpertDecl("hot", LLAMA, "", DType.BF16, 8, true, 39, line(11));
        Deployment d = Deployments.of(List.of(expert("cold", LLAMA, 10), pinned), policy(1, 0, false));

        List<String> problems = check(d);

        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("10 coe.too-large-for-cache: expert 'cold' (12.6 GiB) can never become resident: "
                + "the sn40l-node node leaves 5.9 GiB of HBM for the expert cache after the router, the KV caches and the "
                + "pinned experts (short by 6.6 GiB)"), problems.get(0));
    }

    @Test
    void duplicateExpertsAndCopiesThatClashAreNamed() {
        Deployment d = Deployments.of(List.of(expert("math", LLAMA, 2), new ExpertDecl("math", LLAMA, "", DType.BF16, 8,
                false, 1, line(14)), new ExpertDecl("math_001", LLAMA, "", DType.BF16, 8, false, 1, line(15))),
                policy(1, 0, false));

        assertEquals(List.of(
                "14 coe.duplicate-expert: duplicate expert 'math': it is already declared at file:///test.coe:10:1; rename one of them",
                "15 coe.duplicate-expert: expert copy 'math_001' has the name of a copy declared at file:///test.coe:10:1; rename one "
                        + "of the declarations"), check(d));
    }

    @Test
    void aDegreeTheNodeOrTheModelCannotSplitAtIsRefused() {
        Deployment tooWide = Deployments.of(List.of(new ExpertDecl("e", LLAMA, "", DType.BF16, 16, false, 1, line(10))),
                policy(1, 0, false));
        Deployment uneven = Deployments.of(List.of(new ExpertDecl("e", new ModelSpec.Parametric("odd", 32, 4096, 32, 32,
                11008, 32000, DType.BF16, 4096), "", DType.BF16, 3, false, 1, line(10))), policy(1, 0, false));

        assertEquals(List.of("10 coe.tensor-parallel: expert 'e' runs at tensor-parallel degree 16, but sn40l-node has 8 sockets "
                + "per node; use a degree from 1 to 8"), check(tooWide));
        assertEquals(List.of(
                "10 coe.tensor-parallel: expert 'e' cannot run at tensor-parallel degree 3: its 32 attention heads do not split evenly "
                        + "over 3 devices; use a degree that divides 32 (on sn40l-node: 1, 2, 4, 8)",
                "10 coe.tensor-parallel: expert 'e' cannot run at tensor-parallel degree 3: its 32 KV heads do not split evenly over 3 "
                        + "devices; use a degree that divides 32 (on sn40l-node: 1, 2, 4, 8)",
                "10 coe.tensor-parallel: expert 'e' cannot run at tensor-parallel degree 3: its 11008 FFN columns do not split evenly "
                        + "over 3 devices; use a degree that divides 11008 (on sn40l-node: 1, 2, 4, 8)"), check(uneven));
    }

    @Test
    void aMillionExpertsAreRefusedWithoutExpandingThem() {
        List<String> problems = check(Deployments.samba(1_000_000));

        assertEquals(List.of("10 coe.too-many-experts: 1,000,000 experts are declared; the simulator takes at most 100,000 "
                + "(Samba-CoE has 150); lower the count"), problems);
    }

    @Test
    void zeroSizedModelsAreRefused() {
        ModelSpec.Parametric empty = new ModelSpec.Parametric("empty", 0, 4096, 32, 32, 11008, 32000, DType.BF16, 4096);
        Deployment d = Deployments.of(List.of(expert("e", empty, 1)), policy(1, 0, false));

        assertEquals(List.of("10 coe.zero-sized-model: expert 'e' has layers 0: a model needs at least 1 (a zero-sized model has "
                + "no weights to serve)"), check(d));
    }

    @Test
    void aZeroArrivalRateAndABatchOfZeroAreRefused() {
        Deployment d = Deployments.samba(4).withPolicy(policy(0, 0, false))
                .withWorkloads(List.of(Deployments.poisson("idle", 128, 20, 0, 100, 1)));

        assertEquals(List.of(
                "20 coe.bad-size: batch size 0 is out of range: a batch holds 1 to 4096 prompts (the paper's cases are 1 and 8)",
                "30 coe.bad-rate: workload 'idle' arrives at 0.0 requests per second; a Poisson workload needs a finite rate above 0 "
                        + "(for example 'rate 2/s')"), check(d));
    }

    @Test
    void aMissingTraceFileIsNamed() {
        Path missing = Path.of("/nonexistent/requests.jsonl");
        Deployment d = Deployments.samba(4).withWorkloads(List.of(Deployments.trace(missing)));

        assertEquals(List.of("31 coe.trace-missing: workload 'trace': the trace file /nonexistent/requests.jsonl does not exist or "
                + "is not a file; check the path (relative paths start at the descriptor's folder)"), check(d));
    }

    @Test
    void aReferenceTheResolverCannotResolveIsReportedAtItsDeclaration() {
        Deployment d = Deployments.of(List.of(expert("e", new ModelSpec.Reference("file:///m.dfk", "prefill", "decode"), 1)),
                policy(1, 0, false));

        assertEquals(List.of("10 coe.unresolved-model: expert 'e': the fixture resolves parametric models only, not "
                + "m.dfk (prefill prefill, decode decode)"), check(d));
    }

    @Test
    void badNodeAssignmentsAndWeightsNamingNothingAreRefused() {
        Deployment d = Deployments.samba(4).withHardware(new Hardware("sn40l-node", 2, line(1)))
                .withSpread(List.of(new NodeAssignment(2, List.of("e_000"), line(40)),
                        new NodeAssignment(0, List.of("e_001", "nobody"), line(41)),
                        new NodeAssignment(1, List.of("e"), line(42))))
                .withWorkloads(List.of(new Workload("w", 128, 20, 1, new ExpertMix.Weights(Map.of("physics", 1.0)), 10, 1,
                        line(30))));

        assertEquals(List.of(
                "40 coe.bad-node: node 2 does not exist: the hardware has 2 nodes (0 to 1); use an index in that range or raise the node count",
                "41 coe.unknown-expert: node 0 lists 'nobody', which is neither a declared expert nor a copy of one; check the spelling",
                "42 coe.expert-on-two-nodes: expert 'e_001' is assigned to node 0 and to node 1; an expert lives on one node, remove one of them",
                "30 coe.unknown-expert: workload 'w' weighs 'physics', which is no expert, copy or domain of this deployment; domains are general"), check(d));
    }

    @Test
    void promptsLongerThanTheContextAreRefusedByHowMuch() {
        Deployment d = Deployments.samba(2).withWorkloads(List.of(Deployments.poisson("long", 4000, 200, 1, 10, 1)));

        assertEquals(List.of("30 coe.context-too-long: workload 'long': 4,000 prompt + 200 output tokens exceed expert 'e''s context "
                + "of 4,096 tokens by 104; shorten the prompts or the outputs"), check(d));
    }

    @Test
    void aRouterInDdrGoesThroughTheCacheAndAnotherTierIsRefused() {
        Deployment inDdr = Deployments.samba(150).withHardware(Deployments.samba(1).hardware());
        Deployment ddr = new Deployment("d", inDdr.hardware(), new RouterDecl(LLAMA, Optional.of(Tier.DDR), 8, line(2)),
                inDdr.experts(), inDdr.policy(), inDdr.workloads(), List.of(), line(1));
        Deployment sram = new Deployment("d", inDdr.hardware(), new RouterDecl(LLAMA, Optional.of(Tier.SRAM), 8, line(2)),
                inDdr.experts(), inDdr.policy(), inDdr.workloads(), List.of(), line(1));

        DeploymentFootprint f = Footprints.of(ddr, resolver, Deployments.SN40L_NODE);

        assertEquals(List.of(), f.diagnostics());
        assertEquals(0, f.nodes().get(0).routerHbmBytes());
        assertEquals(151, f.nodes().get(0).cachedModels());
        assertEquals(List.of("2 coe.bad-tier: the router's weights can live in hbm (resident for good) or ddr (through the expert "
                + "cache), not sram"), check(sram));
    }

    @Test
    void theFootprintSaysWhatEachTierHoldsAndWhatASwitchCosts() {
        DeploymentFootprint f = Footprints.of(Deployments.samba(150), resolver, Deployments.SN40L_NODE);

        NodeFootprint node = f.nodes().get(0);
        assertEquals(150 * 13_476_831_232L, node.backingUsedBytes());
        assertEquals(8 * (1536L << 30), node.backingCapacityBytes());
        assertEquals(13_476_831_232L, node.routerHbmBytes());
        assertEquals(2 * 4096 * 524_288L, node.kvCacheBytes());
        // (512 GiB - 12.6 GiB router - 2 x 2 GiB KV) / 12.6 GiB = 39.5
        assertEquals(39, node.cacheHolds());
        assertEquals(13_476_831_232L / 1e12, f.experts().get(0).switchSeconds(), 1e-15);
        assertEquals(1, resolver.calls, "150 copies of one spec resolve once");
    }

    @Test
    void aSmallerTensorParallelDegreeCopiesOverFewerSockets() {
        ExpertDecl tp2 = new ExpertDecl("e", LLAMA, "", DType.BF16, 2, false, 1, line(10));

        DeploymentFootprint f = Footprints.of(Deployments.of(List.of(tp2), policy(1, 0, false)), resolver,
                Deployments.SN40L_NODE);

        assertEquals(13_476_831_232L / (1e12 * 2 / 8), f.experts().get(0).switchSeconds(), 1e-12);
    }

    @Test
    void aBadOutputCapAndANegativeWaitAreRefused() {
        Deployment d = Deployments.samba(2).withPolicy(new RuntimePolicy(CachePolicy.LRU, 1, -1, 0, false, line(20)));

        assertEquals(List.of(
                "20 coe.bad-size: the longest batch wait must be a finite number of seconds, 0 or more, not -1.0; 0 starts a batch "
                        + "with whatever has arrived",
                "20 coe.bad-size: the output cap must be 1 to 10,000,000 tokens, not 0"), check(d));
    }

    @Test
    void anAbsurdShapeIsRefusedBeforeTheResolverSeesIt() {
        ModelSpec.Parametric huge = new ModelSpec.Parametric("huge", 100_000, 1L << 30, 32, 32, 1L << 32, 32000, DType.BF16,
                4096);

        List<String> problems = check(Deployments.of(List.of(expert("e", huge, 1)), policy(1, 0, false)));

        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("10 coe.model-too-large: one copy of expert 'e' has "), problems.get(0));
        assertTrue(problems.get(0).endsWith("more than the 12.0 TiB of DDR in a sn40l-node node; check the shape's sizes"),
                problems.get(0));
        assertEquals(1, resolver.calls, "only the router was resolved");
    }

    @Test
    void aBillionRequestsAreRefused() {
        Deployment d = Deployments.samba(2).withWorkloads(List.of(Deployments.poisson("flood", 128, 20, 1, 1_000_000_000, 1)));

        assertEquals(List.of("30 coe.bad-size: workload 'flood' asks for 1000000000 requests; simulate 1 to 1,000,000"), check(d));
    }

    @Test
    void aResolverThatReturnsNoWeightsIsReported() {
        FixtureResolver empty = new FixtureResolver(Map.of("Llama2-7B class", 0L));

        List<Diagnostic> problems = DeploymentCheck.check(Deployments.samba(1), empty, Deployments.SN40L_NODE);

        assertEquals(List.of("coe.zero-sized-model"), problems.stream().map(Diagnostic::code).distinct().toList());
        assertTrue(problems.get(0).message().startsWith("router resolves to a model with no weights (0 bytes)"),
                problems.get(0).message());
    }

    @Test
    void aGpuBaselineChecksTheSameDescriptorAgainstItsOwnMemory() {
        assertEquals(List.of(), check(Deployments.samba(148), Deployments.DGX_H100));
        assertEquals(List.of("coe.out-of-memory"), DeploymentCheck.check(Deployments.samba(149), resolver, Deployments.DGX_H100)
                .stream().map(Diagnostic::code).toList());
    }

    /** A workload's batch is checked like the policy's: its range, and whether HBM holds its KV caches. */
    @Test
    void aWorkloadsBatchMustBeInRangeAndFitHbm() {
        Workload huge = Deployments.poisson("huge", 128, 20, 1.0, 10, 1).withBatchSize(300);
        Workload none = Deployments.poisson("none", 128, 20, 1.0, 10, 1).withBatchSize(0);
        Deployment d = Deployments.samba(150).withWorkloads(List.of(huge, none));

        assertEquals(List.of("30 coe.bad-size: workload 'none': batch size 0 is out of range: a batch holds 1 to 4096 "
                + "prompts (the paper's cases are 1 and 8)",
                "30 coe.hbm-overflow: workload 'huge' at batch 300: the HBM of the sn40l-node node (512.0 GiB) cannot hold "
                        + "the router (12.6 GiB), the KV caches of a batch of 300 at 4,096 and 4,096 tokens (1.2 TiB): over by "
                        + "700.6 GiB, with nothing left for the expert cache; lower the batch size or shorten the maximum context"),
                check(d));
        assertEquals(List.of(), check(d.withWorkloads(List.of(huge.withBatchSize(8)))));
    }

    /** A trace's content is checked ahead of any simulation, with what the simulator would refuse, at the file's lines. */
    @Test
    void traceLinesAreCheckedWithoutSimulating(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("requests.jsonl"), """
                {"arrivalSeconds": 0.0, "expert": "e_000"}
                {"arrivalSeconds": "soon", "expert": "e_001"}
                {"arrivalSeconds": 0.2, "domain": "legal"}
                """);
        Deployment d = Deployments.samba(3).withWorkloads(List.of(Deployments.trace(file)));

        List<Diagnostic> found = DeploymentCheck.checkTraces(d, resolver, Deployments.SN40L_NODE);

        assertEquals(List.of("2 coe.bad-trace: \"arrivalSeconds\" must be a number, not \"soon\"",
                "3 coe.bad-trace: no expert has the domain 'legal'; domains are general"),
                found.stream().map(DeploymentCheckTest::show).toList());
        assertTrue(found.stream().allMatch(x -> x.location().uri().equals(file.toUri().toString())));
        assertEquals(found.stream().map(DeploymentCheckTest::show).toList(), check(d), "check includes them");
        DeploymentException refused = assertThrows(DeploymentException.class, () -> ServingSimulator.simulate(d,
                d.workloads().get(0), resolver, Deployments.SN40L_NODE, () -> false, f -> {
                }));
        assertEquals(found, refused.diagnostics(), "what the simulation would have refused");
    }
}
