package io.rdustudio.dfk.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** The errors and warnings of the files, {@code main.dfk} checked (not the analysis's advice). */
    static List<String> problems(Map<String, String> files) {
        DfkTester tester = new DfkTester();
        files.forEach(tester::file);
        return tester.problems();
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

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    /** The Llama2-7B prefill example as {@code main.dfk} with its library, the cursor before {@code marked}. */
    private static IdeTester prefill(String marked) throws IOException {
        String text = Files.readString(EXAMPLES.resolve("llama2_7b_prefill.dfk"));
        IdeTester tester = IdeTester.empty();
        libraries().forEach(tester::file);
        return tester.file("main.dfk", text.replace(marked, "<|>" + marked));
    }

    /** The files' errors and warnings after {@code action}, the examples' libraries beside main.dfk. */
    private static List<String> problemsWithLibraries(IdeTester tester, CodeAction action) throws IOException {
        Map<String, String> files = new LinkedHashMap<>(libraries());
        files.putAll(applied(tester, action, "main.dfk"));
        return problems(files);
    }

    @Test
    void theLlamaPrefillHintFusesAttentionAndFeedForwardWithTheirStateAndTensorParallelism() throws IOException {
        IdeTester tester = prefill("attention(x, attn_norm[l]");
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
        assertFalse(fused.contains("local x_attn"), "the half-layer tensor stays on chip: " + fused);
        assertEquals(List.of(), problemsWithLibraries(tester, fuse));
    }

    private static final String BLOCK = """
            let D = 64
            let F = 256
            input x_in: bf16[16, D]
            weight g: bf16[D]
            weight w1: bf16[D, F]
            weight w2: bf16[F, D]
            output y: bf16[16, D]

            kernel block(x: bf16[16, D], g: bf16[D], w1: bf16[D, F], w2: bf16[F, D]) -> (y: bf16[16, D]) {
                xn = rmsnorm(x, g)
                h = silu(matmul(xn, w1))
                y = x + matmul(h, w2)
            }

            schedule {
                y = block(x_in, g, w1, w2)
            }
            """;

    private static String apply(String marked, String titleStart) {
        IdeTester tester = IdeTester.of(marked);
        String edited = applied(tester, action(tester, titleStart), "main.dfk").get("main.dfk");
        assertEquals(List.of(), problems(Map.of("main.dfk", edited)), edited);
        return edited;
    }

    @Test
    void splittingAKernelPassesTheValuesCrossingTheCutThroughALocal() {
        String split = apply(BLOCK.replace("    h = silu(", "    h = <|>silu("),
                "Split kernel block before h = ... into block_1 and block_2 (passing xn)");
        assertEquals("""
                let D = 64
                let F = 256
                input x_in: bf16[16, D]
                weight g: bf16[D]
                weight w1: bf16[D, F]
                weight w2: bf16[F, D]
                output y: bf16[16, D]
                local xn: bf16[16, D]   // between block_1 and block_2

                // block, part 1 of 2
                kernel block_1(x: bf16[16, D], g: bf16[D]) -> (xn: bf16[16, D]) {
                    xn = rmsnorm(x, g)
                }

                // block, part 2 of 2
                kernel block_2(x: bf16[16, D], w1: bf16[D, F], w2: bf16[F, D], xn: bf16[16, D]) -> (y: bf16[16, D]) {
                    h = silu(matmul(xn, w1))
                    y = x + matmul(h, w2)
                }

                schedule {
                    xn = block_1(x_in, g)
                    y = block_2(x_in, w1, w2, xn)
                }
                """, split);
        List<String> none = actions(IdeTester.of(BLOCK.replace("    xn = rmsnorm(", "    xn = <|>rmsnorm("))).stream()
                .map(CodeAction::getTitle).filter(t -> t.startsWith("Split")).toList();
        assertEquals(List.of(), none, "nothing to split before the first statement");
    }

    @Test
    void splittingATensorParallelKernelWithStateUsesWholeTensors() throws IOException {
        IdeTester tester = prefill("scores = matmul(");
        CodeAction split = action(tester, "Split kernel attention before scores = ... into attention_1 and attention_2");
        String edited = applied(tester, split, "main.dfk").get("main.dfk");
        assertEquals(List.of(), problemsWithLibraries(tester, split), edited);
        assertTrue(edited.contains("local qr: bf16[S, H, DH]   // between attention_1 and attention_2"), edited);
        assertTrue(edited.contains("kernel attention_1(x: bf16[S, D], g: bf16[D], wq: bf16[D, D], wk: bf16[D, D],"),
                edited);
        assertTrue(edited.contains("state kc: bf16[S, H, DH]"), edited);
        assertTrue(edited.contains("x_attn = attention_2(x, wo, k_cache[l], v_cache[l], qr, kr, vh)")
                || edited.contains("= attention_2("), edited);
    }

    @Test
    void movingATensorOffersTheTiersThePlanCanHonourWithTheNewEstimate() {
        String big = """
                let D = 32768
                input x: bf16[1, D]
                weight w: bf16[D, D]
                weight g: bf16[D] @hbm
                output y: bf16[1, D]

                kernel k(x: bf16[1, D], w: bf16[D, D], g: bf16[D]) -> (y: bf16[1, D]) {
                    y = matmul(rmsnorm(x, g), w)
                }

                schedule {
                    y = k(x, w, g)
                }
                """;
        List<String> titles = actions(IdeTester.of(big.replace("weight w:", "weight <|>w:"))).stream()
                .map(CodeAction::getTitle).toList();
        assertTrue(titles.stream().anyMatch(t -> t.matches("Place w in DDR \\(@ddr\\): est\\. .+ -> .+")), titles.toString());
        assertTrue(titles.stream().noneMatch(t -> t.startsWith("Place w in SRAM")),
                "2 GiB of weights do not fit 520 MiB of SRAM: " + titles);
        String ddr = apply(big.replace("weight w:", "weight <|>w:"), "Place w in DDR");
        assertTrue(ddr.contains("weight w: bf16[D, D] @ddr\n"), ddr);
        String planned = apply(big.replace("weight g:", "weight <|>g:"), "Let the memory planner place g (remove @hbm)");
        assertTrue(planned.contains("weight g: bf16[D]\n"), planned);
    }

    @Test
    void switchingOrchestrationWritesOrAddsTheSetting() {
        String software = BLOCK.replace("schedule {", "<|>schedule {");
        assertTrue(apply(software, "Switch to hardware orchestration: 1 launch at ")
                .contains("schedule with orchestration = hardware {"));
        assertTrue(apply(software.replace("schedule {", "schedule main with sockets = 1 {"), "Switch to hardware")
                .contains("schedule main with sockets = 1, orchestration = hardware {"));
        assertTrue(apply(software.replace("schedule {", "schedule with orchestration = hardware {"),
                "Switch to software orchestration").contains("schedule with orchestration = software {"));
    }

    @Test
    void repeatedCallsWithSteppedIndicesBecomeALoop() {
        String layers = """
                let D = 64
                input x_in: bf16[16, D]
                weight w: bf16[4, D, D]
                local x: bf16[16, D]
                output y: bf16[16, D]

                kernel layer(x: bf16[16, D], w: bf16[D, D]) -> (y: bf16[16, D]) {
                    y = x + matmul(x, w)
                }

                schedule {
                    x = layer(x_in, w[0])
                    x = layer(x, w[1])
                    x = layer(x, w[2])
                    y = layer(x, w[3])
                }
                """;
        String looped = apply(layers.replace("x = layer(x, w[1])", "x = <|>layer(x, w[1])"),
                "Turn the 2 calls of layer into a loop: for l in 1..3");
        assertTrue(looped.contains("""
                    x = layer(x_in, w[0])
                    for l in 1..3 {
                        x = layer(x, w[l])
                    }
                    y = layer(x, w[3])
                """), looped);
    }

    static java.util.stream.Stream<Path> programs() throws IOException {
        return FormatterTest.examples().filter(p -> !p.getParent().getFileName().toString().equals("lib"));
    }

    /** Every split the examples' kernels offer leaves a clean program; most statements offer one. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("programs")
    void everySplitOfferedInTheExamplesAppliesCleanly(Path example) throws IOException {
        String text = Files.readString(example);
        IdeTester base = withCursor(text, 0);
        int statements = 0;
        int offered = 0;
        for (var kernel : org.eclipse.xtext.EcoreUtil2.getAllContentsOfType(base.resource().getContents().get(0),
                io.rdustudio.dfk.dfk.Kernel.class)) {
            for (var statement : kernel.getBody().subList(Math.min(1, kernel.getBody().size()), kernel.getBody().size())) {
                statements++;
                int at = org.eclipse.xtext.nodemodel.util.NodeModelUtils.findActualNodeFor(statement).getOffset();
                IdeTester tester = withCursor(text, at);
                var split = actions(tester).stream().filter(a -> a.getTitle().startsWith("Split")).findFirst();
                if (split.isPresent()) {
                    offered++;
                    assertEquals(List.of(), problemsWithLibraries(tester, split.get()), split.get().getTitle());
                }
            }
        }
        assertTrue(offered * 2 >= statements, offered + " of " + statements + " statements offer a split");
    }

    /** {@code text} as main.dfk with the cursor at {@code offset}, the examples' libraries beside it. */
    private static IdeTester withCursor(String text, int offset) throws IOException {
        IdeTester tester = IdeTester.empty();
        libraries().forEach(tester::file);
        return tester.file("main.dfk", text.substring(0, offset) + "<|>" + text.substring(offset));
    }

    /** The examples' libraries by their path relative to the examples. */
    private static Map<String, String> libraries() throws IOException {
        Map<String, String> libraries = new LinkedHashMap<>();
        try (var files = Files.list(EXAMPLES.resolve("lib"))) {
            for (Path lib : files.sorted().toList()) {
                libraries.put("lib/" + lib.getFileName(), Files.readString(lib));
            }
        }
        return libraries;
    }

    /** Every fusion hint of every example, applied: a clean program without that hint. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("programs")
    void everyFusionHintOfTheExamplesAppliesCleanly(Path example) throws IOException {
        String text = Files.readString(example);
        IdeTester base = withCursor(text, 0);
        var analysis = IdeTester.service(io.rdustudio.dfk.lowering.DfkEditorAnalyses.class).of(base.resource());
        for (var hint : analysis.fusion().orElseThrow().hints()) {
            IdeTester tester = withCursor(text, hint.callLocations().get(0).offset());
            CodeAction fuse = action(tester, "Fuse ");
            assertEquals(List.of(), problemsWithLibraries(tester, fuse), fuse.getTitle());
            DfkTester check = new DfkTester();
            libraries().forEach(check::file);
            check.file("main.dfk", applied(tester, fuse, "main.dfk").get("main.dfk"));
            assertTrue(check.issues().stream().noneMatch(i -> i.contains(hint.message())), "the hint is gone: " + fuse.getTitle());
        }
    }
}
