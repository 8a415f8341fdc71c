package io.rdustudio.coelang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.rdustudio.coe.NodeFootprint;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coelang.lowering.CoeAnalysis;
import io.rdustudio.coelang.tests.CoeTester;

/** Every bundled descriptor checks clean, and Samba-CoE has the paper's shape. */
class CoeExamplesTest {

    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path SAMBA = EXAMPLES.resolve("samba_coe.coe");

    static Stream<Path> descriptors() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".coe")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("descriptors")
    void checksClean(Path descriptor) {
        assertEquals(List.of(), new CoeTester().disk(descriptor).issues(CoeTester.fileUri(descriptor)),
                descriptor + " should check clean");
    }

    @ParameterizedTest
    @MethodSource("descriptors")
    void startsWithAHeaderComment(Path descriptor) throws IOException {
        assertTrue(Files.readString(descriptor).stripLeading().startsWith("//"), descriptor + " should say what it models");
    }

    @Test
    void sambaCoeIs150Llama2ExpertsAndARouterOnOneNode() {
        CoeAnalysis analysis = new CoeTester().disk(SAMBA).analysis(CoeTester.fileUri(SAMBA));
        Deployment d = analysis.deployment();
        assertEquals(150, d.expertCount());
        assertEquals(1, d.hardware().nodes());
        assertEquals("sn40l-node", d.hardware().targetProfile());
        for (ExpertDecl e : d.experts()) {
            assertEquals(ModelSpec.Parametric.llama2_7b(), e.model());
            assertEquals(8, e.tensorParallel());
        }
        double parameters = d.experts().stream().mapToDouble(e -> e.count() * ((ModelSpec.Parametric) e.model()).parameters())
                .sum();
        assertTrue(parameters > 1e12, "over 1 T parameters (DOMAIN.md section 5): " + parameters);
        assertTrue(d.router().model() instanceof ModelSpec.Reference r && r.dfkUri().endsWith("examples/router.dfk"));
        assertEquals(new ModelSpec.Reference.Bindings("S", "", "B"), ((ModelSpec.Reference) d.router().model()).bindings(),
                "the router is timed at the prompt length and batch served");
        List<String> cases = d.workloads().stream().map(w -> w.name() + ": " + w.outputTokens() + " tokens at batch "
                + w.batchSizeUnder(d.policy())).toList();
        assertEquals(List.of("chatbot_batch1: 20 tokens at batch 1", "chatbot_batch8: 20 tokens at batch 8",
                "translation_batch1: 200 tokens at batch 1", "translation_batch8: 200 tokens at batch 8"), cases,
                "the paper's four use cases (DOMAIN.md section 5)");
        assertEquals(8, d.policy().batchSize());

        NodeFootprint node = analysis.footprint().nodes().get(0);
        System.out.printf("samba_coe: DDR %d of %d bytes, HBM cache holds %d of %d experts%n", node.backingUsedBytes(),
                node.backingCapacityBytes(), node.cacheHolds(), node.cachedModels());
        assertTrue(node.cacheHolds() > 1 && node.cacheHolds() < 150, "HBM holds some experts, not all: " + node.cacheHolds());
    }
}
