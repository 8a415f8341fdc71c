package io.rdustudio.coelang.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.xtext.EcoreUtil2;
import org.junit.jupiter.api.Test;

import io.rdustudio.coelang.coe.ModelDecl;
import io.rdustudio.coelang.coe.Router;
import io.rdustudio.coelang.lowering.CoeAnalysis;
import io.rdustudio.coelang.tests.CoeTester;

/** The router's and a model's hovers (an expert's is tested over the language server, CoeLanguageFeaturesTest). */
class CoeHoverServiceTest {

    private final CoeTester tester = CoeTester.of("""
            model llama: "Llama2-7B class" {
                layers 32  hidden 4096  heads 32  ffn 11008  vocab 32000  context 4096 tokens
            }
            router: llama, tp 8
            4 experts general: llama, tp 8
            policy { batch 8 }
            workload chat { prompt 128 tokens  output 20 tokens  arrivals 2 per second }
            """);
    private final CoeAnalysis analysis = tester.analysis();

    @Test
    void theRouterShowsItsTierKvCachesAndOneBatchedRun() {
        Router router = EcoreUtil2.getAllContentsOfType(tester.descriptor(), Router.class).get(0);
        String markdown = CoeHoverService.describe(router, analysis).orElseThrow();
        assertTrue(markdown.startsWith("**router** - Llama2-7B class, tp 8"), markdown);
        assertTrue(markdown.contains("- weights: 12.6 GiB in hbm (resident for good)"), markdown);
        assertTrue(markdown.contains("- KV caches of a batch of 8: 16.0 GiB"), markdown);
        assertTrue(markdown.matches("(?s).*- one run for a batch of 8 prompts of 128 tokens: [0-9.]+ ms.*"), markdown);
    }

    @Test
    void aModelShowsItsParametersAndKvCache() {
        ModelDecl model = EcoreUtil2.getAllContentsOfType(tester.descriptor(), ModelDecl.class).get(0);
        String markdown = CoeHoverService.describe(model, analysis).orElseThrow();
        assertTrue(markdown.startsWith("**model llama** - Llama2-7B class"), markdown);
        assertTrue(markdown.contains("- 6,738,415,616 parameters, 12.6 GiB in bf16"), markdown);
        assertTrue(markdown.contains("- KV cache: 512.0 KiB a token, 2.0 GiB for one sequence at 4,096 tokens"), markdown);
    }

    @Test
    void aModelWrittenInDfkShowsItsPhasesAndWhatItsConstantsHold() {
        CoeTester t = CoeTester.of(io.rdustudio.coelang.ProgramBindingsTest.DESCRIPTOR.replace("    batch B\n", ""))
                .file("serving.dfk", io.rdustudio.coelang.ProgramBindingsTest.SERVING);
        ModelDecl model = EcoreUtil2.getAllContentsOfType(t.descriptor(), ModelDecl.class).get(0);

        assertEquals("""
                **model serving** - serving.dfk (prefill fill, decode step)

                - prefill: fill of serving.dfk
                - decode step: step of serving.dfk
                - the prompt length: sets its constant T
                - the KV length: sets its constant K
                - the batch: the program's own, as written
                """, CoeHoverService.describe(model, t.analysis()).orElseThrow());
    }
}
