package io.rdustudio.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionContext;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentHighlight;
import org.eclipse.lsp4j.DocumentHighlightKind;
import org.eclipse.lsp4j.DocumentHighlightParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolCapabilities;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.FoldingRange;
import org.eclipse.lsp4j.FoldingRangeCapabilities;
import org.eclipse.lsp4j.FoldingRangeRequestParams;
import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PrepareRenameParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ReferenceContext;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.RenameCapabilities;
import org.eclipse.lsp4j.RenameParams;
import org.eclipse.lsp4j.SemanticTokens;
import org.eclipse.lsp4j.SemanticTokensLegend;
import org.eclipse.lsp4j.SemanticTokensParams;
import org.eclipse.lsp4j.SignatureHelp;
import org.eclipse.lsp4j.SignatureHelpParams;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.lsp4j.TextDocumentClientCapabilities;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.WorkspaceSymbol;
import org.eclipse.lsp4j.WorkspaceSymbolParams;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

import io.rdustudio.lsp.testing.LspSession;
import io.rdustudio.lsp.testing.MarkedText;

/**
 * The editing features of {@code dfk lsp} with a real lsp4j client over a child process's stdio,
 * on a small workspace of three files written to a temporary folder: a library defining a kernel,
 * and two programs importing it. Positions are marked in the snippets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DfkEditingFeaturesTest {

    private static final MarkedText LIBRARY = MarkedText.of("""
            let D = 64
            let F = 256

            // The feed-forward half of a block.
            kernel <<ml<|>p>>(x: bf16[16, D], w1: bf16[D, F], w2: bf16[F, D]) -> (y: bf16[16, D]) {
                h = silu(matmul(x, w1))
                y = x + matmul(h, w2)
            }
            """);

    private static final MarkedText MAIN = MarkedText.of("""
            import "lib/blocks.dfk"

            input x_in: bf16[16, D]
            weight g: bf16[D]
            weight w1: bf16[D, F]
            weight w2: bf16[F, D]
            local <<xn>>: bf16[16, D]
            output y: bf16[16, D]

            <|>kernel norm(x: bf16[16, D], g: bf16[D]) -> (y: bf16[16, D]) {
                y = rms<|>norm(x, <|>g)
            }

            schedule {
                <<xn>> = no<|>rm(x_in, g)
                y = <<m<|>lp>>(<<xn>>, w1, w2)
            }
            """);

    private static final MarkedText OTHER = MarkedText.of("""
            import "lib/blocks.dfk"

            input a: bf16[16, D]
            weight u: bf16[D, F]
            weight v: bf16[F, D]
            output b: bf16[16, D]

            schedule {
                b = <<mlp>>(a, u, v)
            }
            """);

    private Path workspace;

    private LspSession session;
    private TextDocumentService documents;
    private InitializeResult initialized;
    private String libraryUri;
    private String mainUri;
    private String otherUri;

    @BeforeAll
    void startServerOnTheWorkspace(@TempDir Path folder) throws Exception {
        workspace = folder;
        Files.createDirectories(workspace.resolve("lib"));
        Files.writeString(workspace.resolve("lib/blocks.dfk"), LIBRARY.text());
        Files.writeString(workspace.resolve("main.dfk"), MAIN.text());
        Files.writeString(workspace.resolve("other.dfk"), OTHER.text());
        libraryUri = workspace.resolve("lib/blocks.dfk").toUri().toString();
        mainUri = workspace.resolve("main.dfk").toUri().toString();
        otherUri = workspace.resolve("other.dfk").toUri().toString();

        session = LspSession.startServer(Path.of("target", "lsp-editing-server-stderr.txt"));
        documents = session.server().getTextDocumentService();
        TextDocumentClientCapabilities text = new TextDocumentClientCapabilities();
        DocumentSymbolCapabilities symbols = new DocumentSymbolCapabilities();
        symbols.setHierarchicalDocumentSymbolSupport(true);
        text.setDocumentSymbol(symbols);
        RenameCapabilities rename = new RenameCapabilities();
        rename.setPrepareSupport(true);
        text.setRename(rename);
        text.setFoldingRange(new FoldingRangeCapabilities());
        ClientCapabilities capabilities = new ClientCapabilities();
        capabilities.setTextDocument(text);
        initialized = session.initialize(workspace, capabilities);
        session.open(libraryUri, LIBRARY.text());
        session.open(mainUri, MAIN.text());
    }

    @AfterAll
    void stopServer() throws Exception {
        if (session != null) {
            session.close();
        }
    }

    private static <T> T get(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        return future.get(60, TimeUnit.SECONDS);
    }

    private static TextDocumentIdentifier id(String uri) {
        return new TextDocumentIdentifier(uri);
    }

    @Test
    void theServerAdvertisesEveryEditingFeature() {
        var c = initialized.getCapabilities();
        assertNotNull(c.getCompletionProvider());
        assertTrue(c.getCompletionProvider().getTriggerCharacters().contains("@"));
        assertNotNull(c.getSignatureHelpProvider());
        assertTrue(c.getRenameProvider().getRight().getPrepareProvider());
        assertTrue(c.getDocumentHighlightProvider().getLeft());
        assertTrue(c.getFoldingRangeProvider().getLeft());
        assertTrue(c.getDocumentFormattingProvider().getLeft());
        assertTrue(c.getDocumentRangeFormattingProvider().getLeft());
        assertTrue(c.getCodeActionProvider().getLeft());
        SemanticTokensLegend legend = c.getSemanticTokensProvider().getLegend();
        assertTrue(legend.getTokenTypes().containsAll(List.of("class", "function", "variable", "parameter", "type",
                "enumMember", "typeParameter")), legend.getTokenTypes().toString());
        assertTrue(legend.getTokenModifiers().containsAll(List.of("declaration", "readonly", "weight", "state", "loop")));
    }

    @Test
    void completionOffersOperatorsWithTheirSignatures() throws Exception {
        List<CompletionItem> items = get(documents.completion(new CompletionParams(id(mainUri), MAIN.cursor(1))))
                .getRight().getItems();
        CompletionItem rmsnorm = items.stream().filter(i -> i.getLabel().equals("rmsnorm")).findFirst()
                .orElseThrow(() -> new AssertionError(items.stream().map(CompletionItem::getLabel).toList().toString()));
        assertEquals("rmsnorm(x[..., D], g[D], eps=1e-5)", rmsnorm.getDetail());
        assertTrue(rmsnorm.getDocumentation().getRight().getValue().contains("computed in FP32"));
    }

    @Test
    void signatureHelpFollowsTheArgument() throws Exception {
        SignatureHelp help = get(documents.signatureHelp(new SignatureHelpParams(id(mainUri), MAIN.cursor(2))));
        var signature = help.getSignatures().get(0);
        assertEquals("rmsnorm(x[..., D], g[D], eps=1e-5)", signature.getLabel());
        var active = signature.getParameters().get(help.getActiveParameter()).getLabel().getRight();
        assertEquals("g[D]", signature.getLabel().substring(active.getFirst(), active.getSecond()));

        SignatureHelp library = get(documents.signatureHelp(new SignatureHelpParams(id(mainUri), MAIN.range(3).getStart())));
        assertEquals("mlp(x: bf16[16, D], w1: bf16[D, F], w2: bf16[F, D]) -> (y: bf16[16, D])",
                library.getSignatures().get(0).getLabel(), "a kernel of the imported library");
        assertTrue(library.getSignatures().get(0).getDocumentation().getRight().getValue()
                .contains("The feed-forward half of a block."));
    }

    @Test
    void definitionAndReferencesReachAcrossFiles() throws Exception {
        List<? extends Location> definition = get(documents.definition(new DefinitionParams(id(mainUri), MAIN.cursor(4))))
                .getLeft();
        assertEquals(1, definition.size());
        assertEquals(libraryUri, definition.get(0).getUri());
        assertEquals(LIBRARY.range(0), definition.get(0).getRange());

        ReferenceParams params = new ReferenceParams(id(libraryUri), LIBRARY.cursor(0), new ReferenceContext(false));
        List<String> uses = get(documents.references(params)).stream().map(l -> l.getUri() + " " + l.getRange()).toList();
        assertEquals(2, uses.size(), uses.toString());
        assertTrue(uses.contains(mainUri + " " + MAIN.range(2)) && uses.contains(otherUri + " " + OTHER.range(0)),
                uses.toString());
    }

    @Test
    void renamingALibraryKernelRenamesItInEveryFile() throws Exception {
        assertEquals(MAIN.range(2), get(documents.prepareRename(new PrepareRenameParams(id(mainUri), MAIN.cursor(4))))
                .getSecond().getRange());
        WorkspaceEdit edit = get(documents.rename(new RenameParams(id(mainUri), MAIN.cursor(4), "feed_forward")));
        Map<String, List<TextEdit>> changes = edit.getChanges();
        assertEquals(List.of(LIBRARY.range(0)), ranges(changes.get(libraryUri)));
        assertEquals(List.of(MAIN.range(2)), ranges(changes.get(mainUri)));
        assertEquals(List.of(OTHER.range(0)), ranges(changes.get(otherUri)));
        assertTrue(changes.values().stream().flatMap(List::stream).allMatch(e -> e.getNewText().equals("feed_forward")));
    }

    @Test
    void prepareRenameRefusesOperatorsAndKeywordsWithAReason() {
        ExecutionException operator = assertThrows(ExecutionException.class,
                () -> get(documents.prepareRename(new PrepareRenameParams(id(mainUri), MAIN.cursor(1)))));
        assertInstanceOf(ResponseErrorException.class, operator.getCause());
        assertTrue(operator.getCause().getMessage().contains("'rmsnorm' is a built-in operator"),
                operator.getCause().getMessage());
        ExecutionException keyword = assertThrows(ExecutionException.class,
                () -> get(documents.prepareRename(new PrepareRenameParams(id(mainUri), MAIN.cursor(0)))));
        assertTrue(keyword.getCause().getMessage().contains("'kernel' is a keyword"), keyword.getCause().getMessage());
        ExecutionException taken = assertThrows(ExecutionException.class,
                () -> get(documents.rename(new RenameParams(id(mainUri), MAIN.cursor(3), "mlp"))));
        assertTrue(taken.getCause().getMessage().contains("'mlp' is already declared"), taken.getCause().getMessage());
    }

    @Test
    void theOutlineAndTheWorkspaceSymbols() throws Exception {
        List<DocumentSymbol> symbols = get(documents.documentSymbol(new DocumentSymbolParams(id(mainUri)))).stream()
                .map(Either::getRight).toList();
        List<String> names = symbols.stream().map(s -> s.getKind() + " " + s.getName()).toList();
        assertEquals(List.of("Variable x_in", "Variable g", "Variable w1", "Variable w2", "Variable xn", "Variable y",
                "Class norm", "Namespace schedule"), names);
        assertEquals(List.of("mlp", "norm"), symbols.get(7).getChildren().stream().map(DocumentSymbol::getName).sorted()
                .toList());

        List<? extends WorkspaceSymbol> found = get(session.server().getWorkspaceService()
                .symbol(new WorkspaceSymbolParams("mlp"))).getRight();
        assertEquals(1, found.size(), found.toString());
        assertEquals(SymbolKind.Class, found.get(0).getKind());
        assertEquals(libraryUri, found.get(0).getLocation().getLeft().getUri());
    }

    @Test
    void highlightingATensorMarksItsWritesAndReads() throws Exception {
        List<? extends DocumentHighlight> highlights = get(documents.documentHighlight(
                new DocumentHighlightParams(id(mainUri), MAIN.range(1).getStart())));
        assertEquals(List.of(MAIN.range(0) + " " + DocumentHighlightKind.Write,
                MAIN.range(1) + " " + DocumentHighlightKind.Write, MAIN.range(3) + " " + DocumentHighlightKind.Read),
                highlights.stream().map(h -> h.getRange() + " " + h.getKind()).toList());
    }

    @Test
    void foldingSemanticTokensAndFormatting() throws Exception {
        List<FoldingRange> folds = get(documents.foldingRange(new FoldingRangeRequestParams(id(mainUri))));
        assertEquals(List.of("9-10", "13-15"), folds.stream().map(f -> f.getStartLine() + "-" + f.getEndLine()).toList());

        SemanticTokens tokens = get(documents.semanticTokensFull(new SemanticTokensParams(id(mainUri))));
        assertTrue(tokens.getData().size() > 100 && tokens.getData().size() % 5 == 0, tokens.getData().toString());

        String messy = "let D=4\nkernel k(a: bf16[D])->(o: bf16[D]){\no=a*2\n}\n";
        String scratch = workspace.resolve("scratch.dfk").toUri().toString();
        session.open(scratch, messy);
        List<? extends TextEdit> edits = get(documents.formatting(new DocumentFormattingParams(id(scratch),
                new FormattingOptions(4, true))));
        assertEquals("let D = 4\nkernel k(a: bf16[D]) -> (o: bf16[D]) {\n    o = a * 2\n}\n", apply(messy, edits));
    }

    /** Last: it edits main.dfk, whose marked positions the other tests use. */
    @Test
    @Order(Integer.MAX_VALUE)
    void applyingTheFusionHintShowsTheNewEstimateWithoutARestart() throws Exception {
        List<Diagnostic> published = session.client().awaitDiagnostic(mainUri,
                d -> d.getMessage().startsWith("kernels norm and mlp could be one kernel"));
        Diagnostic hint = published.stream().filter(d -> d.getMessage().startsWith("kernels norm and mlp")).findFirst()
                .orElseThrow();
        List<CodeAction> actions = get(documents.codeAction(new CodeActionParams(id(mainUri), hint.getRange(),
                new CodeActionContext(List.of(hint))))).stream().map(Either::getRight).toList();
        CodeAction fuse = actions.stream().filter(a -> a.getTitle().startsWith("Fuse norm, mlp into one kernel norm_mlp"))
                .findFirst().orElseThrow(() -> new AssertionError(actions.stream().map(CodeAction::getTitle).toList()));
        assertEquals(List.of(hint.getMessage()), fuse.getDiagnostics().stream().map(Diagnostic::getMessage).toList());
        assertFalse(fuse.getEdit().getChanges().containsKey(libraryUri), "the library keeps its kernel");

        String fused = apply(MAIN.text(), fuse.getEdit().getChanges().get(mainUri));
        assertTrue(fused.contains("    y = norm_mlp(x_in, g, w1, w2)\n"), fused);
        session.change(mainUri, 2, fused);

        JsonObject after = get(session.server().estimate(new DfkProtocol.DocumentParams(mainUri)));
        assertEquals(0, after.getAsJsonObject("fusion").getAsJsonArray("hints").size(), "the hint is gone: " + after);
        int line = List.of(fused.split("\n", -1)).indexOf(fused.lines().filter(l -> l.startsWith("kernel norm_mlp"))
                .findFirst().orElseThrow());
        List<? extends CodeLens> lenses = get(documents.codeLens(new CodeLensParams(id(mainUri))));
        CodeLens estimate = lenses.stream().filter(l -> l.getRange().getStart().getLine() == line
                && l.getCommand().getTitle().startsWith("est. ")).findFirst()
                .orElseThrow(() -> new AssertionError("no estimate on line " + line + ": " + lenses));
        assertTrue(estimate.getCommand().getTitle().matches("est\\. [0-9.]+ [mun]?s \\(.*\\) - [A-Za-z0-9]+-bound"),
                estimate.getCommand().getTitle());
        String hover = session.hover(mainUri, new Position(line, "kernel norm_m".length()));
        assertTrue(hover.contains("**kernel norm_mlp**") && hover.contains("estimate: "), hover);
    }

    private static List<Range> ranges(List<TextEdit> edits) {
        assertNotNull(edits);
        return edits.stream().map(TextEdit::getRange).toList();
    }

    /** {@code text} with LSP edits applied, last first (they do not overlap). */
    private static String apply(String text, List<? extends TextEdit> edits) {
        List<TextEdit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparing((TextEdit e) -> offset(text, e.getRange().getStart())).reversed());
        StringBuilder out = new StringBuilder(text);
        for (TextEdit e : sorted) {
            out.replace(offset(text, e.getRange().getStart()), offset(text, e.getRange().getEnd()), e.getNewText());
        }
        return out.toString();
    }

    private static int offset(String text, Position position) {
        int at = 0;
        for (int line = 0; line < position.getLine(); line++) {
            at = text.indexOf('\n', at) + 1;
        }
        return at + position.getCharacter();
    }
}
