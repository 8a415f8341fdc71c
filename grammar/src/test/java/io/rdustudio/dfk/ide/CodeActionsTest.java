package io.rdustudio.dfk.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2;
import org.junit.jupiter.api.Test;

import io.rdustudio.dfk.tests.DfkTester;

/**
 * Every code action applied to an inline program: the edited text is compared with the expected
 * one, and the edited program must check with no error and no warning.
 */
class CodeActionsTest {

    /** The actions offered at the {@code <|>} cursor of {@code main.dfk}. */
    static List<CodeAction> actions(IdeTester tester) {
        ICodeActionService2.Options options = new ICodeActionService2.Options();
        options.setDocument(tester.document());
        options.setResource(tester.resource());
        options.setURI(IdeTester.uri("main.dfk").toString());
        options.setCodeActionParams(new CodeActionParams(new TextDocumentIdentifier(options.getURI()),
                new Range(tester.cursor(), tester.cursor()), new CodeActionContext(List.of())));
        return IdeTester.service(ICodeActionService2.class).getCodeActions(options).stream().map(Either::getRight).toList();
    }

    static CodeAction action(IdeTester tester, String titleStart) {
        List<CodeAction> offered = actions(tester);
        return offered.stream().filter(a -> a.getTitle().startsWith(titleStart)).findFirst().orElseThrow(
                () -> new AssertionError("no action '" + titleStart + "...' among " + offered.stream()
                        .map(CodeAction::getTitle).toList()));
    }

    /** The files' texts after the action's edit, by path. */
    static Map<String, String> applied(IdeTester tester, CodeAction action, String... paths) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String path : paths) {
            Document document = new Document(1, tester.resource(path).getParseResult().getRootNode().getText());
            List<TextEdit> edits = action.getEdit().getChanges().getOrDefault(IdeTester.uri(path).toString(), List.of());
            texts.put(path, IdeTester.apply(document, edits));
        }
        return texts;
    }

    /** The errors and warnings of the files, {@code main.dfk} checked. */
    static List<String> problems(Map<String, String> files) {
        DfkTester tester = new DfkTester();
        files.forEach(tester::file);
        return tester.issues().stream().filter(i -> i.contains(" error: ") || i.contains(" warning: ")).toList();
    }

    private static final String MLP = """
            let D = 64
            let F = 256
            input x_in: bf16[16, D]
            weight w1: bf16[2, D, F]
            weight w2: bf16[2, F, D]
            weight g: bf16[2, D]
            local h: bf16[16, F]   // between the halves
            output y: bf16[16, D]

            // The first half.
            kernel up(x: bf16[16, D], g: bf16[D], w: bf16[D, F]) -> (h: bf16[16, F]) {
                xn = rmsnorm(x, g)
                h = silu(matmul(xn, w))
            }

            kernel down(h: bf16[16, F], x: bf16[16, D], w: bf16[F, D]) -> (y: bf16[16, D]) {
                y = x + matmul(h, w)
            }

            schedule {
                h = up(x_in, g[0], w1[0])
                y = down(h, x_in, w2[0])
            }
            """;

    @Test
    void applyingAFusionHintMergesTheKernelsAndDropsTheTensorBetweenThem() {
        IdeTester tester = IdeTester.of(MLP.replace("    h = up(", "    h = <|>up("));
        assertEquals(List.of(), problems(Map.of("main.dfk", tester.text())));
        CodeAction fuse = action(tester, "Fuse up, down into one kernel up_down");
        String fused = applied(tester, fuse, "main.dfk").get("main.dfk");
        assertEquals("""
                let D = 64
                let F = 256
                input x_in: bf16[16, D]
                weight w1: bf16[2, D, F]
                weight w2: bf16[2, F, D]
                weight g: bf16[2, D]
                output y: bf16[16, D]

                // up, then down, as one kernel
                // up: The first half.
                kernel up_down(x_in: bf16[16, D], g: bf16[D], w1: bf16[D, F], w2: bf16[F, D]) -> (y: bf16[16, D]) {
                    xn = rmsnorm(x_in, g)
                    h = silu(matmul(xn, w1))
                    y = x_in + matmul(h, w2)
                }

                schedule {
                    y = up_down(x_in, g[0], w1[0], w2[0])
                }
                """, fused);
        assertEquals(List.of(), problems(Map.of("main.dfk", fused)));
        assertTrue(DfkTester.of(fused).issues().stream().noneMatch(i -> i.contains("could be one kernel")),
                "the hint is gone");
    }

    @Test
    void theLlamaPrefillHintFusesAttentionAndFeedForwardWithTheirStateAndTensorParallelism() throws IOException {
        Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
        String library = Files.readString(examples.resolve("lib/llama.dfk"));
        String prefill = Files.readString(examples.resolve("llama2_7b_prefill.dfk"));
        IdeTester tester = IdeTester.empty().file("lib/llama.dfk", library)
                .file("main.dfk", prefill.replace("x_attn = attention(", "x_attn = <|>attention("));
        CodeAction fuse = action(tester, "Fuse attention, feed_forward into one kernel attention_feed_forward");
        String fused = applied(tester, fuse, "main.dfk").get("main.dfk");
        assertTrue(fused.contains("""
                        x = attention_feed_forward(x, attn_norm[l], wq[l], wk[l], wv[l], wo[l], k_cache[l], v_cache[l],
                                                   mlp_norm[l], w_gate[l], w_up[l], w_down[l])
                """), fused);
        assertTrue(fused.contains("""
                // attention, then feed_forward, as one kernel
                // attention: Pre-norm causal self-attention with RoPE; writes this layer's whole KV cache.
                kernel attention_feed_forward(x: bf16[S, D], attn_norm: bf16[D], wq: bf16[D, D], wk: bf16[D, D],
                                              wv: bf16[D, D], wo: bf16[D, D], state k_cache: bf16[S, H, DH],
                """), fused);
        assertEquals(fused, FormatterTest.format(fused), "the edit is in the house style");
        assertTrue(fused.contains("state k_cache: bf16[S, H, DH]") && fused.contains("k_cache = update(k_cache, kr"), fused);
        assertTrue(fused.contains("-> (x_out: bf16[S, D]) with tp = 8 {"), fused);
        assertTrue(!fused.contains("local x_attn"), "the half-layer tensor stays on chip: " + fused);
        assertEquals(List.of(), problems(Map.of("lib/llama.dfk", library, "main.dfk", fused)));
    }
}
