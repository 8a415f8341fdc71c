package io.rdustudio.coe;

import static io.rdustudio.coe.Deployments.LLAMA;
import static io.rdustudio.coe.Deployments.expert;
import static io.rdustudio.coe.Deployments.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.RuntimePolicy;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.core.ir.DType;
import io.rdustudio.core.target.TargetProfile;

class ServingSimulatorTest {

    /** 200 GiB experts: after the router (12.6 GiB) and two 2 GiB KV caches, the 512 GiB of an SN40L node cache two. */
    private static final long BIG = 200L << 30;
    private static final ModelSpec.Parametric BIG_CLASS = new ModelSpec.Parametric("Big", 32, 4096, 32, 32, 11008,
            32000, DType.BF16, 4096);
    private static final double BIG_SWITCH = BIG / 1e12;
    private static final double LLAMA_BYTES = 13_476_831_232.0;

    @TempDir
    Path dir;

    private final FixtureResolver resolver = new FixtureResolver(Map.of("Big", BIG));

    private static Deployment bigExperts(RuntimePolicy policy, String... names) {
        return Deployments.of(java.util.Arrays.stream(names).map(n -> expert(n, BIG_CLASS, 1)).toList(), policy);
    }

    private Workload trace(String... lines) throws IOException {
        Path file = dir.resolve("trace.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return Deployments.trace(file);
    }

    private ServingResult simulate(Deployment d, Workload w, TargetProfile platform) {
        return ServingSimulator.simulate(d, w, resolver, platform, () -> false, f -> {
        });
    }

    private static String at(double t, String expert) {
        return "{\"arrivalSeconds\": " + t + ", \"expert\": \"" + expert + "\"}";
    }

    @Test
    void theCacheEvictsTheLeastRecentlyUsedExpertNotTheOldestLoaded() throws IOException {
        Deployment d = bigExperts(policy(1, 0, false), "A", "B", "C");

        ServingResult r = simulate(d, trace(at(0, "A"), at(10, "C"), at(20, "A"), at(30, "B")), Deployments.SN40L_NODE);

        // A and B are loaded; A's use makes B the least recent, so C evicts B (FIFO would evict A), A hits again
        assertEquals(List.of(true, false, true, false), r.requests().stream().map(RequestRecord::hit).toList());
        assertEquals(0.5, r.hitRate());
        assertEquals(2, r.copies());
        assertEquals(2, r.evictions());
        assertEquals(2 * BIG, r.bytesCopied());
        assertEquals(2, r.footprint().nodes().get(0).cacheHolds());
        RequestRecord miss = r.requests().get(1);
        assertEquals(BIG_SWITCH, miss.switchSeconds(), 1e-12);
        assertEquals(0, miss.queueingSeconds(), 1e-12);
        assertEquals(FixtureResolver.generationSeconds(128, 20), miss.executionSeconds(), 1e-12);
        assertEquals(FixtureResolver.PREFILL_SECONDS_PER_TOKEN * 128, miss.routerSeconds(), 1e-15);
    }

    @Test
    void everyExpertResidentMeansNoCopiesAndAFullHitRate() {
        ServingResult r = simulate(Deployments.samba(20), Deployments.poisson("chat", 128, 20, 2.0, 500, 3),
                Deployments.SN40L_NODE);

        assertEquals(1.0, r.hitRate());
        assertEquals(0, r.copies());
        assertTrue(r.footprint().nodes().get(0).allResident());
        assertEquals(0, r.switching().maxSeconds());
    }

    @Test
    void aPartialBatchWaitsForTheLongestWaitAndAFullOneStartsAtOnce() throws IOException {
        Deployment d = bigExperts(policy(4, 0.5, false), "A", "B");
        double g = FixtureResolver.generationSeconds(128, 20);

        ServingResult partial = simulate(d, trace(at(0, "A"), at(0.1, "A"), at(0.2, "A")), Deployments.SN40L_NODE);
        ServingResult full = simulate(d, trace(at(0, "A"), at(0.1, "A"), at(0.2, "A"), at(0.3, "A")),
                Deployments.SN40L_NODE);

        assertEquals(1, partial.batches());
        assertEquals(0.5, partial.requests().get(0).queueingSeconds(), 1e-12);
        assertEquals(0.4 + g, partial.requests().get(1).queueingSeconds(), 1e-12);
        assertEquals(FixtureResolver.PREFILL_SECONDS_PER_TOKEN * 128 * 3, partial.requests().get(0).routerSeconds(), 1e-15);
        assertEquals(1, full.batches());
        assertEquals(0.3, full.requests().get(0).queueingSeconds(), 1e-12);
        assertEquals(FixtureResolver.PREFILL_SECONDS_PER_TOKEN * 128 * 4, full.requests().get(0).routerSeconds(), 1e-15);
    }

    @Test
    void withoutAWaitABatchTakesWhatArrivedWhileTheNodeWasBusy() throws IOException {
        Deployment d = bigExperts(policy(8, 0, false), "A", "B");
        double g = FixtureResolver.generationSeconds(128, 20);
        double router1 = FixtureResolver.PREFILL_SECONDS_PER_TOKEN * 128;

        ServingResult r = simulate(d, trace(at(0, "A"), at(0.01, "A"), at(0.02, "B")), Deployments.SN40L_NODE);

        assertEquals(2, r.batches());
        assertEquals(List.of(0, 1, 1), r.requests().stream().map(RequestRecord::batch).toList());
        // the second batch starts when the first ends, router at batch 2
        RequestRecord second = r.requests().get(1);
        assertEquals(router1 + g - 0.01, second.queueingSeconds(), 1e-12);
        assertEquals(2 * router1, second.routerSeconds(), 1e-15);
    }

    @Test
    void prefetchCopiesTheNextExpertWhileTheCurrentOneRuns() throws IOException {
        Workload w = trace("{\"arrivalSeconds\": 0, \"expert\": \"C\", \"outputTokens\": 100}",
                "{\"arrivalSeconds\": 0, \"expert\": \"D\", \"outputTokens\": 100}");

        ServingResult plain = simulate(bigExperts(policy(2, 0, false), "A", "B", "C", "D"), w, Deployments.SN40L_NODE);
        ServingResult prefetch = simulate(bigExperts(policy(2, 0, true), "A", "B", "C", "D"), w, Deployments.SN40L_NODE);

        assertEquals(2 * BIG_SWITCH, plain.requests().get(1).switchSeconds(), 1e-12);
        // D's copy ran during C's execution (about 1 s): only C's copy is left on D's path
        assertEquals(BIG_SWITCH, prefetch.requests().get(1).switchSeconds(), 1e-12);
        assertEquals(plain.copies(), prefetch.copies());
        assertTrue(prefetch.latency().maxSeconds() < plain.latency().maxSeconds() - BIG_SWITCH + 1e-9);
    }

    @Test
    void aGpuNodeCopiesOverPcieOnceItsHbmIsFull() {
        Workload w = Deployments.poisson("chat", 128, 20, 0.5, 300, 11);

        ServingResult fits = simulate(Deployments.samba(40), w, Deployments.DGX_A100);
        ServingResult spills = simulate(Deployments.samba(80), w, Deployments.DGX_A100);

        assertEquals(0, fits.copies());
        assertEquals(0, fits.footprint().nodes().get(0).backingUsedBytes());
        assertEquals(46, spills.footprint().nodes().get(0).cacheHolds());
        assertTrue(spills.copies() > 50, "copies: " + spills.copies());
        assertEquals(spills.copies() * (long) LLAMA_BYTES, spills.bytesCopied());
        RequestRecord miss = spills.requests().stream().filter(q -> !q.hit() && Math.abs(q.queueingSeconds()) < 1e-9).findFirst()
                .orElseThrow();
        assertEquals(LLAMA_BYTES / 32e9, miss.switchSeconds(), 1e-12);
        assertTrue(spills.latency().p90Seconds() > fits.latency().p90Seconds());
    }

    @Test
    void aGpuNodeRunsOutOfHostMemoryAtAStatedExpertCount() {
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> simulate(Deployments.samba(150), Deployments.poisson("chat", 128, 20, 1, 10, 1), Deployments.DGX_A100));

        String message = e.diagnostics().get(0).message();
        assertTrue(message.startsWith("dgx-a100 runs out of memory at 149 experts"), message);
        assertTrue(message.contains("at most 148 fit"), message);
        assertEquals("coe.out-of-memory", e.diagnostics().get(0).code());
    }

    @Test
    void equalSeedsGiveEqualRunsAndOtherSeedsOtherRuns() {
        Deployment d = Deployments.samba(150);
        Workload w = Deployments.poisson("chat", 128, 20, 4.0, 2000, 42);

        ServingResult a = simulate(d, w, Deployments.SN40L_NODE);
        ServingResult b = simulate(d, w, Deployments.SN40L_NODE);
        ServingResult c = simulate(d, w.withSeed(43), Deployments.SN40L_NODE);

        assertEquals(a, b);
        assertNotEquals(a.requests(), c.requests());
        assertTrue(a.hitRate() > 0.1 && a.hitRate() < 0.5, "150 experts, a cache of 39: " + a.hitRate());
    }

    @Test
    void theFourPartsAddUpToTheLatency() {
        ServingResult r = simulate(Deployments.samba(150).withPolicy(policy(8, 0.05, true)),
                Deployments.poisson("chat", 256, 20, 20, 3000, 5), Deployments.SN40L_NODE);

        for (RequestRecord q : r.requests()) {
            assertTrue(q.queueingSeconds() >= -1e-9 && q.switchSeconds() >= 0, q.toString());
            assertTrue(q.firstTokenSeconds() <= q.latencySeconds() + 1e-12, q.toString());
        }
        double completion = r.requests().stream().mapToDouble(RequestRecord::completionSeconds).max().orElseThrow();
        assertEquals(completion - r.requests().get(0).arrivalSeconds(), r.makespanSeconds(), 1e-9);
        assertEquals(3000 / r.makespanSeconds(), r.requestsPerSecond(), 1e-9);
    }

    @Test
    void cancellingStopsEarlyAndSaysSo() {
        AtomicInteger polls = new AtomicInteger();
        ServingResult r = ServingSimulator.simulate(Deployments.samba(10), Deployments.poisson("chat", 128, 20, 1, 10_000, 1),
                resolver, Deployments.SN40L_NODE, () -> polls.incrementAndGet() > 3, f -> {
                });

        assertFalse(r.complete());
        assertTrue(r.requests().size() < 10_000 && r.requests().size() > 0, "served " + r.requests().size());
    }

    @Test
    void pinnedExpertsAreNeverCopiedAndShrinkTheCache() throws IOException {
        ExpertDecl pinned = new ExpertDecl("P", BIG_CLASS, "", DType.BF16, 8, true, 1, Deployments.line(9));
        Deployment d = Deployments.of(List.of(pinned, expert("A", BIG_CLASS, 1), expert("B", BIG_CLASS, 1)),
                policy(1, 0, false));

        ServingResult r = simulate(d, trace(at(0, "P"), at(10, "A"), at(20, "B"), at(30, "P"), at(40, "A")),
                Deployments.SN40L_NODE);

        assertEquals(1, r.footprint().nodes().get(0).cacheHolds());
        assertEquals(List.of(true, true, false, true, false), r.requests().stream().map(RequestRecord::hit).toList());
        assertEquals(BIG, r.footprint().nodes().get(0).pinnedBytes());
    }

    @Test
    void theOutputCapBitesAndIsNoted() {
        Deployment d = Deployments.samba(2).withPolicy(new RuntimePolicy(io.rdustudio.coe.model.CachePolicy.LRU, 1, 0,
                50, false, Deployments.line(20)));

        ServingResult r = simulate(d, Deployments.poisson("long", 128, 200, 1, 10, 1), Deployments.SN40L_NODE);

        assertEquals(50, r.requests().get(0).outputTokens());
        assertEquals("coe.output-capped", r.notes().get(0).code());
        assertEquals(LLAMA.maxContextTokens(), r.footprint().experts().get(0).maxContextTokens());
    }

    @Test
    void eachNodeServesItsOwnExpertsWithItsOwnCache() {
        Workload w = Deployments.poisson("chat", 128, 20, 1.0, 400, 13);
        Deployment one = Deployments.samba(60);
        Deployment two = one.withHardware(new io.rdustudio.coe.model.Hardware("sn40l-node", 2, Deployments.line(1)))
                .withSpread(List.of(new io.rdustudio.coe.model.NodeAssignment(1, List.of("e_000"), Deployments.line(40))));

        ServingResult single = simulate(one, w, Deployments.SN40L_NODE);
        ServingResult split = simulate(two, w, Deployments.SN40L_NODE);

        assertTrue(single.hitRate() < 0.8, "60 experts, 39 cached: " + single.hitRate());
        assertEquals(1.0, split.hitRate(), "30 experts a node, every one resident");
        assertEquals(2, split.footprint().nodes().size());
        assertTrue(split.requests().stream().filter(q -> q.expert().equals("e_000")).allMatch(q -> q.node() == 1));
        assertTrue(split.requests().stream().filter(q -> q.expert().equals("e_001")).allMatch(q -> q.node() == 0));
        assertEquals(30, split.footprint().nodes().get(1).experts(), "e_000 plus its share of the other 59");
    }

    /** The paper's batch-1 case without touching the policy: a workload that sets its batch is served at it. */
    @Test
    void aWorkloadsOwnBatchReplacesThePolicys() {
        Workload chat = Deployments.poisson("chat", 128, 20, 40.0, 300, 3);
        Deployment policy8 = Deployments.samba(150).withPolicy(policy(8, 0.02, false));
        Deployment policy1 = Deployments.samba(150).withPolicy(policy(1, 0.02, false));

        ServingResult own = simulate(policy8, chat.withBatchSize(1), Deployments.SN40L_NODE);
        ServingResult byPolicy = simulate(policy1, chat, Deployments.SN40L_NODE);
        ServingResult atEight = simulate(policy8, chat, Deployments.SN40L_NODE);

        assertEquals(1, own.batchSize());
        assertEquals(byPolicy.latency(), own.latency(), "the same as a policy of batch 1");
        assertEquals(byPolicy.footprint().nodes().get(0).kvCacheBytes(), own.footprint().nodes().get(0).kvCacheBytes(),
                "KV caches for one sequence, not eight");
        assertEquals(8, atEight.batchSize());
        assertNotEquals(atEight.latency(), own.latency());
    }
}
