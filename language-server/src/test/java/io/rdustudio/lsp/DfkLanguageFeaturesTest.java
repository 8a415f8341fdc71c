package io.rdustudio.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.rdustudio.lsp.testing.LspSession;
import io.rdustudio.lsp.testing.MarkedText;

/**
 * The analysis features of {@code dfk lsp} (hover, code lenses, inlay hints, analysis diagnostics
 * and the {@code dfk/...} requests) with a real lsp4j client over a child process's stdio, on the
 * bundled examples.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DfkLanguageFeaturesTest {

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final Path DECODE = EXAMPLES.resolve("llama2_7b_decode.dfk");
    private static final Path PREFILL = EXAMPLES.resolve("llama2_7b_prefill.dfk");

    private LspSession session;
    private LspSession.DfkServer server;
    private String decodeText;
    private String decodeUri;

    @BeforeAll
    void startServerAndOpenDecode() throws Exception {
        session = LspSession.startServer(Path.of("target", "lsp-features-server-stderr.txt"));
        server = session.server();
        InitializeResult result = session.initialize(EXAMPLES);
        assertEquals(Boolean.TRUE, result.getCapabilities().getInlayHintProvider().getLeft(), "inlay hints advertised");
        assertNotNull(result.getCapabilities().getCodeLensProvider(), "code lenses advertised");

        decodeText = Files.readString(DECODE);
        decodeUri = DECODE.toUri().toString();
        session.open(decodeUri, decodeText);
    }

    @AfterAll
    void stopServer() throws Exception {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void hoverOnATensorShowsItsShapeAndBytes() throws Exception {
        String markdown = hover(MarkedText.positionOf(decodeText, "weight wq: ", "wq"));

        assertTrue(markdown.contains("bf16[32, 4096, 4096]"), markdown);
        assertTrue(markdown.contains("bytes: 1.1 GB"), markdown);
        assertTrue(markdown.contains("1,073,741,824 B"), markdown);
        assertTrue(markdown.contains("tier: "), markdown);
    }

    @Test
    void hoverOnATensorReferenceInTheScheduleShowsTheDeclaredTensor() throws Exception {
        String markdown = hover(MarkedText.positionOf(decodeText, "k_cache[l], v_cache[l])", "k_cache"));

        assertTrue(markdown.contains("**state k_cache**: `bf16[32, 4096, 32, 128]`"), markdown);
        assertTrue(markdown.contains("bytes: "), markdown);
    }

    @Test
    void hoverOnAValueInsideAKernelShowsItsInferredType() throws Exception {
        String markdown = hover(MarkedText.positionOf(decodeText, "    scores = matmul(", "scores"));

        assertTrue(markdown.contains("**scores**: `bf16[4, 1, 4096]`"), markdown);
    }

    @Test
    void hoverOnAKernelNameShowsItsEstimateWithABand() throws Exception {
        String markdown = hover(MarkedText.positionOf(decodeText, "kernel decoder_layer", "decoder_layer"));

        assertTrue(markdown.contains("**kernel decoder_layer**"), markdown);
        assertTrue(markdown.matches("(?s).*estimate: [0-9.]+ [mun]?s \\([0-9.]+-[0-9.]+\\) per launch; 32 launches.*"),
                markdown);
        assertTrue(markdown.contains("bottleneck: HBM"), markdown);
        assertTrue(markdown.contains("PCUs: "), markdown);
    }

    @Test
    void hoverOnAnOperatorShowsItsCost() throws Exception {
        String markdown = hover(MarkedText.positionOf(decodeText, "p = softmax(", "softmax"));

        assertTrue(markdown.contains("**softmax**"), markdown);
        assertTrue(markdown.contains("FLOPs: "), markdown);
        assertTrue(markdown.contains("intensity: "), markdown);
        assertTrue(markdown.contains("bound: "), markdown);
    }

    @Test
    void codeLensesShowTheEstimateAndTheCommands() throws Exception {
        List<? extends CodeLens> lenses = server.getTextDocumentService().codeLens(new CodeLensParams(new TextDocumentIdentifier(decodeUri)))
                .get(60, TimeUnit.SECONDS);
        List<String> titles = lenses.stream().map(l -> l.getCommand().getTitle()).toList();

        assertTrue(titles.stream().anyMatch(t -> t.matches("est\\. .* \\(.*-.*\\) - HBM-bound")), titles.toString());
        assertTrue(titles.contains("Placement preview"), titles.toString());
        assertTrue(titles.contains("Run on emulator"), titles.toString());
        CodeLens placement = lenses.stream().filter(l -> l.getCommand().getTitle().equals("Placement preview"))
                .findFirst().orElseThrow();
        assertEquals("dfk.placement", placement.getCommand().getCommand());
        assertEquals(decodeUri, ((JsonElement) placement.getCommand().getArguments().get(0)).getAsString());
    }

    @Test
    void inlayHintsShowShapesAndCallEstimates() throws Exception {
        Range all = new Range(new Position(0, 0), new Position(decodeText.split("\n", -1).length, 0));
        List<InlayHint> hints = server.getTextDocumentService().inlayHint(new InlayHintParams(new TextDocumentIdentifier(decodeUri), all))
                .get(60, TimeUnit.SECONDS);
        List<String> labels = hints.stream().map(h -> h.getLabel().getLeft()).toList();

        String statement = "p = softmax(mask(scores, causal=1, offset=P))";
        Position afterSoftmax = MarkedText.positionOf(decodeText, statement, statement);
        afterSoftmax.setCharacter(afterSoftmax.getCharacter() + statement.length());
        InlayHint softmax = hints.stream().filter(h -> h.getPosition().equals(afterSoftmax)).findFirst()
                .orElseThrow(() -> new AssertionError("no hint after p = softmax(...): " + hints));
        assertEquals(": bf16[4, 1, 4096]", softmax.getLabel().getLeft(), "4 heads per socket (tp = 8)");
        assertTrue(labels.stream().anyMatch(l -> l.matches("est\\. 32 x .* = .*")), labels.toString());
    }

    @Test
    void estimateRequestAnswersWithTheKernels() throws Exception {
        JsonObject estimate = server.estimate(new DfkProtocol.DocumentParams(decodeUri)).get(60, TimeUnit.SECONDS);

        String json = new Gson().toJson(estimate);
        for (String kernel : List.of("embed", "decoder_layer", "head")) {
            assertTrue(json.contains("\"" + kernel + "\""), json);
        }
        assertTrue(json.contains("sn40l-node"), "the profile a node-wide schedule needs: " + json);
    }

    @Test
    void placementAndMemoryPlanRequestsAnswer() throws Exception {
        JsonObject placement = server.placement(new DfkProtocol.KernelParams(decodeUri, "head"))
                .get(120, TimeUnit.SECONDS);
        assertTrue(placement.get("svg").getAsString().startsWith("<svg"), placement.get("svg").getAsString());
        assertTrue(placement.get("placement").isJsonObject());

        JsonObject memory = server.memoryPlan(new DfkProtocol.DocumentParams(decodeUri)).get(60, TimeUnit.SECONDS);
        assertTrue(new Gson().toJson(memory).contains("k_cache"), memory.toString());
    }

    @Test
    void requestsForUnopenedFilesOrUnknownKernelsFailAndTheServerKeepsServing() throws Exception {
        String unopened = EXAMPLES.resolve("router.dfk").toUri().toString();
        ExecutionException notOpen = assertThrows(ExecutionException.class,
                () -> server.estimate(new DfkProtocol.DocumentParams(unopened)).get(60, TimeUnit.SECONDS));
        assertInstanceOf(ResponseErrorException.class, notOpen.getCause());
        assertTrue(notOpen.getCause().getMessage().contains("is not open"), notOpen.getCause().getMessage());

        ExecutionException noKernel = assertThrows(ExecutionException.class,
                () -> server.placement(new DfkProtocol.KernelParams(decodeUri, "nope")).get(60, TimeUnit.SECONDS));
        assertTrue(noKernel.getCause().getMessage().contains("no kernel nope"), noKernel.getCause().getMessage());

        assertTrue(hover(MarkedText.positionOf(decodeText, "weight wq: ", "wq")).contains("bf16"), "still serving");
    }

    @Test
    void prefillGetsTheAttentionAndMlpFusionHint() throws Exception {
        String uri = PREFILL.toUri().toString();
        session.open(uri, Files.readString(PREFILL));

        List<Diagnostic> hints = session.client().awaitDiagnostic(uri, d -> d.getMessage().startsWith("kernels "));
        String all = hints.stream().map(Diagnostic::getMessage).collect(Collectors.joining("\n"));
        Diagnostic hint = hints.stream().filter(d -> d.getMessage().startsWith("kernels ")).findFirst().orElseThrow();
        assertEquals(DiagnosticSeverity.Information, hint.getSeverity(), all);
        assertTrue(hint.getMessage().matches(
                "kernels \\w+ and \\w+ could be one kernel: intensity [0-9.]+ -> [0-9.]+ FLOP/B, est\\. [0-9.]+x faster, "
                        + "saves .* of HBM traffic"), hint.getMessage());
        assertTrue(hints.stream().noneMatch(d -> d.getSeverity() == DiagnosticSeverity.Error), all);
    }

    private String hover(Position position) throws Exception {
        return session.hover(decodeUri, position);
    }
}
