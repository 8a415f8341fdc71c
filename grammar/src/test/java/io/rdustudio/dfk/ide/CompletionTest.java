package io.rdustudio.dfk.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.xtext.ide.server.contentassist.ContentAssistService;
import org.eclipse.xtext.util.CancelIndicator;
import org.junit.jupiter.api.Test;

/** Completion items, their order and their details, asked of the IDE service directly. */
class CompletionTest {

    private static final String HEADER = """
            let D = 64
            let F = 4 * D
            input x: bf16[16, D]
            weight w1: bf16[D, F]
            weight ws: bf16[4, D, F]
            weight g: fp32[D]
            local h: bf16[16, F]
            output y: bf16[16, F]
            """;

    static List<CompletionItem> complete(IdeTester tester) {
        CompletionParams params = new CompletionParams(new TextDocumentIdentifier(IdeTester.uri("main.dfk").toString()),
                tester.cursor());
        return IdeTester.service(ContentAssistService.class)
                .createCompletionList(tester.document(), tester.resource(), params, CancelIndicator.NullImpl).getItems();
    }

    static List<String> labels(List<CompletionItem> items) {
        return items.stream().map(CompletionItem::getLabel).toList();
    }

    private static CompletionItem item(List<CompletionItem> items, String label) {
        return items.stream().filter(i -> i.getLabel().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no item " + label + " in " + labels(items)));
    }

    private static List<String> labels(String snippet) {
        return labels(complete(IdeTester.of(snippet)));
    }

    @Test
    void insideAKernelValuesAndParametersComeFirstThenOperatorsThenConstants() {
        List<CompletionItem> items = complete(IdeTester.of(HEADER + """
                kernel k(a: bf16[16, D], w: bf16[D, F]) -> (o: bf16[16, F]) {
                    t = matmul(a, w)
                    o = <|>
                }
                """));
        List<String> labels = labels(items);
        assertEquals(List.of("t", "a", "w"), labels.subList(0, 3), labels.toString());
        assertTrue(labels.indexOf("matmul") < labels.indexOf("D"), "operators before constants: " + labels);
        assertFalse(labels.contains("x"), "program tensors are not values of a body: " + labels);
        assertFalse(labels.contains("o"), "an output is not read before it is written: " + labels);
        assertFalse(labels.contains("hbm"), "tiers are no tensors: " + labels);
        assertFalse(labels.contains("("), "punctuation is not proposed: " + labels);
        CompletionItem matmul = item(items, "matmul");
        assertEquals("matmul(a[..., M, K], b[..., K, N], transpose_b=0)", matmul.getDetail());
        assertEquals(CompletionItemKind.Function, matmul.getKind());
        assertTrue(matmul.getDocumentation().getRight().getValue().contains("`transpose_b=0`: 1: read b as [..., N, K]"),
                matmul.getDocumentation().getRight().getValue());
        assertEquals("input parameter a: bf16[16, D]", item(items, "a").getDetail());
        assertEquals(CompletionItemKind.Constant, item(items, "D").getKind());
        assertEquals("let F = 4 * D", item(items, "F").getDetail());
    }

    @Test
    void aPrefixNarrowsTheOperators() {
        List<String> labels = labels(HEADER + """
                kernel k(a: bf16[16, D]) -> (o: bf16[16, D]) {
                    o = so<|>
                }
                """);
        assertEquals(List.of("softmax", "softplus"), labels);
    }

    @Test
    void insideAnOperatorCallItsAttributesComeFirstOnceTheOperandsAreGiven() {
        List<CompletionItem> items = complete(IdeTester.of(HEADER + """
                kernel k(a: bf16[16, D]) -> (o: bf16[16, D]) {
                    o = softmax(a, <|>)
                }
                """));
        assertEquals("axis", labels(items).get(0), labels(items).toString());
        assertEquals("axis=-1", item(items, "axis").getDetail());
        assertEquals("axis=", item(items, "axis").getTextEdit().getLeft().getNewText());

        List<String> slice = labels(HEADER + """
                kernel k(a: bf16[16, D]) -> (o: bf16[16, D]) {
                    o = slice(a, axis=0, <|>)
                }
                """);
        assertEquals(List.of("end", "start"), slice.subList(0, 2), "axis is given already: " + slice);
        assertFalse(slice.contains("axis"), slice.toString());
    }

    @Test
    void atTheStartOfAStatementTheOutputsNotWrittenYetComeFirst() {
        List<CompletionItem> items = complete(IdeTester.of(HEADER + """
                kernel k(a: bf16[16, D], state c: bf16[16, D]) -> (o: bf16[16, D], p: bf16[16, D]) {
                    o = a
                    <|>
                }
                """));
        assertEquals(List.of("c", "p"), labels(items), labels(items).toString());
        assertEquals("output parameter p: bf16[16, D]", item(items, "p").getDetail());
    }

    @Test
    void atAKernelCallTheTensorsThatFitTheParameterComeFirst() {
        List<CompletionItem> items = complete(IdeTester.of(HEADER + """
                kernel k(a: bf16[16, D], w: bf16[D, F], gain: fp32[D]) -> (o: bf16[16, F]) {
                    o = matmul(a, w)
                }
                schedule {
                    y = k(x, <|>
                }
                """));
        List<String> labels = labels(items);
        assertEquals(List.of("w1", "ws"), labels.subList(0, 2), "the exact type, then a stacked one: " + labels);
        assertEquals("weight bf16[D, F]", item(items, "w1").getDetail());
        assertFalse(labels.contains("D"), "a kernel argument is a tensor: " + labels);

        List<String> gain = labels(HEADER + """
                kernel k(a: bf16[16, D], w: bf16[D, F], gain: fp32[D]) -> (o: bf16[16, F]) {
                    o = matmul(a, w)
                }
                schedule {
                    y = k(x, w1, <|>
                }
                """);
        assertEquals("g", gain.get(0), gain.toString());
    }

    @Test
    void insideAnIndexLoopVariablesComeFirst() {
        List<String> labels = labels(HEADER + """
                kernel k(a: bf16[16, D], w: bf16[D, F]) -> (o: bf16[16, F]) {
                    o = matmul(a, w)
                }
                schedule {
                    for layer in 0..4 {
                        h = k(x, ws[<|>])
                    }
                }
                """);
        assertEquals("layer", labels.get(0), labels.toString());
        assertFalse(labels.contains("x"), labels.toString());
    }

    @Test
    void theScheduleProposesKernelsTargetsAndCopy() {
        List<String> labels = labels(HEADER + """
                kernel k(a: bf16[16, D], w: bf16[D, F]) -> (o: bf16[16, F]) {
                    o = matmul(a, w)
                }
                fn f(a: bf16[16, D]) -> (o: bf16[16, D]) {
                    o = a
                }
                schedule {
                    y = <|>
                }
                """);
        assertTrue(labels.contains("k") && labels.contains("copy"), labels.toString());
        assertFalse(labels.contains("f"), "a fn is no schedule step: " + labels);
        assertFalse(labels.contains("matmul"), "operators run inside kernels: " + labels);

        List<String> targets = labels(HEADER + """
                schedule {
                    <|>
                }
                """);
        assertTrue(targets.containsAll(List.of("h", "y", "for")), targets.toString());
        assertFalse(targets.contains("x") || targets.contains("w1"), "inputs and weights are read-only: " + targets);
    }

    @Test
    void tiersAfterAtAndElementTypesInTypes() {
        List<CompletionItem> tiers = complete(IdeTester.of("weight w: bf16[4] @<|>\n"));
        assertEquals(List.of("ddr", "hbm", "host", "sram"), labels(tiers));
        assertTrue(item(tiers, "hbm").getDetail().contains("64 GiB"), item(tiers, "hbm").getDetail());

        List<String> dtypes = labels("weight w: <|>\n");
        assertEquals(List.of("bf16", "fp32", "fp8e4m3", "fp8e5m2", "int32", "int8"), dtypes);
        assertEquals(List.of("bf16"), labels("kernel k(a: b<|>"));
    }

    @Test
    void theToAttributeOfCastAndCopyProposesTypesAndTiers() {
        List<String> cast = labels(HEADER + """
                kernel k(a: bf16[16, D]) -> (o: fp32[16, D]) {
                    o = cast(a, to=<|>)
                }
                """);
        assertEquals("bf16", cast.get(0), cast.toString());
        assertFalse(cast.contains("hbm"), cast.toString());
        List<String> copy = labels(HEADER + """
                schedule {
                    h = copy(x, to=<|>)
                }
                """);
        assertEquals(List.of("ddr", "hbm", "host", "sram"), copy.subList(0, 4), copy.toString());
    }

    @Test
    void hintsAndSettingsAfterWith() {
        List<CompletionItem> hints = complete(IdeTester.of(HEADER + """
                kernel k(a: bf16[16, D]) -> (o: bf16[16, D]) with <|> {
                    o = a
                }
                """));
        assertEquals(List.of("pcus", "tile", "tp"), labels(hints));
        assertTrue(item(hints, "tp").getDetail().startsWith("tensor-parallel degree"));
        List<String> settings = labels("schedule with <|> {\n}\n");
        assertEquals(List.of("sockets", "orchestration"), settings);
        assertEquals(List.of("hardware", "software"), labels("schedule with orchestration = <|> {\n}\n"));
    }

    @Test
    void keywordsAtTheTopLevelWithWhatTheyMean() {
        List<CompletionItem> items = complete(IdeTester.of(HEADER + "<|>\n"));
        List<String> labels = labels(items);
        assertTrue(labels.containsAll(List.of("kernel", "fn", "schedule", "let", "weight", "local")), labels.toString());
        assertEquals(CompletionItemKind.Keyword, item(items, "kernel").getKind());
        assertTrue(item(items, "weight").getDetail().contains("read-only"));
    }

    @Test
    void everyWordOfTheGrammarIsExplained() {
        var grammar = IdeTester.service(org.eclipse.xtext.IGrammarAccess.class).getGrammar();
        for (String word : org.eclipse.xtext.GrammarUtil.getAllKeywords(grammar)) {
            if (Character.isLetter(word.charAt(0))) {
                assertTrue(DfkVocabulary.keyword(word).isPresent(), "no meaning for keyword " + word);
            }
        }
    }

    @Test
    void fnsAndConstantsOfAnImportedFileAreProposedWithTheirComment() {
        IdeTester tester = IdeTester.empty().file("lib/norms.dfk", """
                let EPS_SCALE = 2

                // Pre-norm: RMSNorm with the gain g.
                fn prenorm<T, D>(x: bf16[T, D], g: bf16[D]) -> (y: bf16[T, D]) {
                    y = rmsnorm(x, g)
                }
                """).file("main.dfk", """
                import "lib/norms.dfk"
                let D = 64
                kernel k(a: bf16[16, D], g: bf16[D]) -> (o: bf16[16, D]) {
                    o = pre<|>
                }
                """);
        List<CompletionItem> items = complete(tester);
        CompletionItem prenorm = item(items, "prenorm");
        assertEquals("fn prenorm<T, D>(x: bf16[T, D], g: bf16[D]) -> (y: bf16[T, D])", prenorm.getDetail());
        String doc = prenorm.getDocumentation().getRight().getValue();
        assertTrue(doc.contains("Pre-norm: RMSNorm with the gain g.") && doc.contains("norms.dfk"), doc);
    }
}
