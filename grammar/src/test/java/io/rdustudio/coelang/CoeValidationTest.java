package io.rdustudio.coelang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rdustudio.coelang.tests.CoeTester;

/**
 * Diagnostics of descriptors as {@code line:col severity: message}: the language's own (numbers,
 * structure, names, programs) and the simulator's checks reported through the validator (DDR, HBM,
 * duplicates, tensor parallelism), each at the text to change.
 */
class CoeValidationTest {

    static final String SMALL = """
            deployment small
            hardware: sn40l-node
            model llama: "Llama2-7B class" {
                layers 32  hidden 4096  heads 32  ffn 11008  vocab 32000  dtype bf16  context 4096 tokens
            }
            router: llama, tp 8
            expert coder: llama, domain "code", tp 8
            4 experts general: llama, domain "general", tp 8
            policy { cache lru  batch 8  wait 20 ms  max output 200 tokens  prefetch on }
            workload chat { prompt 128 tokens  output 20 tokens  arrivals 2 per second  mix zipf 1.0 }
            """;

    private static List<String> issues(String coe) {
        return CoeTester.of(coe).issues();
    }

    private static void assertIssues(String coe, String... expected) {
        assertEquals(List.of(expected), issues(coe));
    }

    /** One issue, at {@code position}, whose message starts with {@code start} (the simulator's wording goes on). */
    private static void assertOneIssue(String coe, String position, String start) {
        List<String> found = issues(coe);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).startsWith(position + " " + start), found.get(0));
    }

    @Test
    void cleanDescriptorHasNoIssues() {
        assertIssues(SMALL);
    }

    // ---- the simulator's checks, through the validator

    @Test
    void expertsThatDoNotFitDdrSayByHowMuchAndHowManyFit() {
        assertIssues(SMALL.replace("4 experts general", "1000 experts general"),
                "8:1 error: the experts do not fit the DDR of the sn40l-node node: 1,001 experts need 12.3 TiB, it has "
                        + "12.0 TiB (over by 275.8 GiB); 979 fit (12.6 GiB each). Remove experts, use a smaller dtype, or add "
                        + "a node and spread the experts");
    }

    @Test
    void routerKvCachesAndPinnedExpertsThatDoNotFitHbm() {
        assertOneIssue(SMALL.replace("4 experts general: llama, domain \"general\", tp 8",
                "40 experts general: llama, domain \"general\", tp 8, pinned"), "8:1",
                "error: the HBM of the sn40l-node node (512.0 GiB) cannot hold the router (12.6 GiB), the KV caches of a "
                        + "batch of 8");
    }

    @Test
    void duplicateExpertIsMarkedAtItsName() {
        assertOneIssue(SMALL + "expert coder: llama, tp 8\n", "11:8",
                "error: duplicate expert 'coder': it is already declared at");
    }

    @Test
    void aDegreeTheModelCannotBeSplitAtIsMarkedAtTp() {
        List<String> found = issues(SMALL.replace("domain \"code\", tp 8", "domain \"code\", tp 3"));
        assertEquals(3, found.size(), found.toString());
        assertEquals("7:40 error: expert 'coder' cannot run at tensor-parallel degree 3: its 32 attention heads do not "
                + "split evenly over 3 devices; use a degree that divides 32 (on sn40l-node: 1, 2, 4, 8)", found.get(0));
    }

    @Test
    void zeroSizedModelIsMarkedAtEachUse() {
        List<String> found = issues(SMALL.replace("layers 32", "layers 0"));
        assertEquals(List.of("6:9", "7:15", "8:20"), found.stream().map(i -> i.substring(0, i.indexOf(' '))).toList());
        assertTrue(found.get(0).endsWith("the router has layers 0: a model needs at least 1 (a zero-sized model has no "
                + "weights to serve)"), found.get(0));
    }

    @Test
    void aMillionExpertsAreRefusedAtTheCount() {
        assertOneIssue(SMALL.replace("4 experts", "1_000_000 experts"), "8:1",
                "error: 1,000,001 experts are declared; the simulator takes at most 100,000");
    }

    @Test
    void unknownTargetProfile() {
        assertOneIssue(SMALL.replace("sn40l-node", "sn41l"), "2:1",
                "error: target profile sn41l: no bundled profile has this name");
    }

    // ---- the language itself

    @Test
    void aDeploymentNeedsARouter() {
        assertIssues(SMALL.replace("router: llama, tp 8\n", ""),
                "1:12 error: a deployment needs a router: add a line such as 'router: llama2_7b, tp 8' (the model that "
                        + "picks each prompt's expert)");
    }

    @Test
    void aSecondRouterIsAnError() {
        assertIssues(SMALL + "router: llama, tp 8\n", "11:1 error: a deployment has one router; merge this one into the first");
    }

    @Test
    void missingFiguresOfAParametricModelAreListed() {
        assertIssues(SMALL.replace("heads 32  ffn 11008", ""),
                "3:14 error: model llama needs heads, ffn (Llama2-7B: layers 32, hidden 4096, heads 32, ffn 11008, vocab "
                        + "32000, context 4096 tokens)");
    }

    @Test
    void aNumberBeyondItsFieldIsMarkedAtTheNumber() {
        assertIssues(SMALL.replace("layers 32", "layers 99999999999"),
                "4:12 error: layers 99999999999 is beyond what a descriptor takes (at most 2,147,483,647)");
    }

    @Test
    void integerModelDtypeIsRefused() {
        assertIssues(SMALL.replace("dtype bf16", "dtype int8"),
                "4:69 error: model llama has dtype int8; weights are a floating type: bf16, fp32, fp8e4m3 or fp8e5m2");
    }

    @Test
    void aWorkloadNeedsItsLengthsAndRate() {
        assertIssues(SMALL.replace("arrivals 2 per second  ", ""),
                "10:1 error: workload chat needs arrivals, for example 'arrivals 2 per second' (or 'mix trace "
                        + "\"FILE.jsonl\"' to replay requests)");
    }

    @Test
    void aPropertyGivenTwice() {
        assertIssues(SMALL.replace("domain \"code\", tp 8", "domain \"code\", tp 8, tp 4"),
                "7:1 error: tp is given twice; keep one");
    }

    @Test
    void duplicateModelName() {
        assertIssues(SMALL + "model llama: { layers 1 hidden 64 heads 1 ffn 64 vocab 64 context 64 }\n",
                "11:1 error: the name llama is taken by an earlier model (line 3); rename this model",
                "11:7 warning: model llama is never used; give it to the router or an expert, or remove it");
    }

    @Test
    void unknownModelListsTheModels() {
        assertIssues(SMALL.replace("expert coder: llama", "expert coder: lama"),
                "7:15 error: no model named 'lama'; declare it with model lama: \"...\" { ... } or write the model here; "
                        + "the models: llama");
    }

    @Test
    void weightsNameExpertsCopiesOrDomains() {
        assertIssues(SMALL.replace("mix zipf 1.0", "mix weights { coder 1, general_003 2, \"general\" 1, math 2 }"),
                "10:128 error: 'math' is no expert, copy or domain of this deployment; the experts: coder, general; the "
                        + "domains: code, general");
    }

    @Test
    void missingTraceFileIsMarkedAtItsName() {
        List<String> found = issues(SMALL.replace("mix zipf 1.0", "mix trace \"nope.jsonl\""));
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).matches("10:87 error: no trace file .*nope\\.jsonl; paths are relative to this descriptor's "
                + "folder"), found.get(0));
    }

    /** The editor reads a trace as the simulator would: each bad line at the trace's name, led by the trace's file and line. */
    @Test
    void badTraceLinesAreMarkedAtTheTracesName(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("requests.jsonl"), """
                {"arrivalSeconds": 0.0, "domain": "code"}
                {"arrivalSeconds": 1, "expert": "nobody"}

                {"arrivalSeconds": 2, "expert": "general", "outputTokens": -3}
                """);
        Path coe = Files.writeString(dir.resolve("traced.coe"), SMALL.replace("mix zipf 1.0", "mix trace \"requests.jsonl\""));

        assertEquals(List.of("10:87 error: requests.jsonl:2: no expert is named 'nobody'; use a declared expert's name or one "
                + "copy's name (such as coder)", "10:87 error: requests.jsonl:4: \"outputTokens\" must be a whole number from 0 "
                + "to 10,000,000, not -3"), new CoeTester().disk(coe).issues(CoeTester.fileUri(coe)));
        Files.writeString(dir.resolve("requests.jsonl"), "{\"arrivalSeconds\": 0.0, \"domain\": \"code\"}\n");
        assertEquals(List.of(), new CoeTester().disk(coe).issues(CoeTester.fileUri(coe)), "a sound trace is clean");
    }

    @Test
    void spreadNamesExpertsAndRangesOfTheirCopies() {
        assertIssues(SMALL.replace("hardware: sn40l-node", "hardware: sn40l-node, nodes 2")
                + "spread { node 0: coder, general[0..2]  node 1: general[2..4] }\n");
        assertIssues(SMALL + "spread { node 0: coder, generl, general[2..9] }\n",
                "11:25 error: no expert named 'generl'; the experts: coder, general",
                "11:33 error: general has 4 copies, numbered 0 to 3; [2..9] must satisfy 0 <= start < end <= 4 (the end is "
                        + "not included, as in DFK's ranges)");
    }

    @Test
    void syntaxErrorsSpeakOfNumbersAndNames() {
        assertIssues(SMALL.replace("domain \"code\", tp 8", "domain \"code\", tp eight"),
                "7:40 error: extraneous input 'eight' expecting a number");
    }
}
