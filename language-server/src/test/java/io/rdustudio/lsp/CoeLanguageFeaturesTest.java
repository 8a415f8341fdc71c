package io.rdustudio.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.ExecuteCommandCapabilities;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.RenameParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceClientCapabilities;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.Gson;
import com.google.gson.JsonObject;

/**
 * {@code dfk lsp} hosts CoE descriptors next to DFK programs, over a child process's stdio:
 * diagnostics, hovers with footprints and timings, the footprint and Simulate / Plan capacity
 * code lenses and their commands, and references from a descriptor into a .dfk program that
 * navigate and rename across the two languages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CoeLanguageFeaturesTest {

    private static final String PROGRAM = """
            let D = 64
            input prompt: bf16[64, D]
            input token: bf16[1, D]
            weight w: bf16[D, D]
            output h: bf16[64, D]
            output y: bf16[1, D]
            kernel <<embed>>(a: bf16[64, D], b: bf16[D, D]) -> (c: bf16[64, D]) { c = matmul(a, b) }
            kernel step(a: bf16[1, D], b: bf16[D, D]) -> (c: bf16[1, D]) { c = matmul(a, b) }
            schedule serve with sockets = 1 {
              h = <<embed>>(prompt, w)
              y = step(token, w)
            }
            """;

    private static final String DESCRIPTOR = """
            deployment small
            model llama: "Llama2-7B class" {
                layers 32  hidden 4096  heads 32  ffn 11008  vocab 32000  context 4096 tokens
            }
            model tiny: program "tiny.dfk" { prefill kernel <<emb<|>ed>>  decode kernel step }
            router: tiny
            2 experts co<|>de: llama, domain "code", tp 8
            expert helper: tiny
            workload chat { prompt 128 tokens  output 4 tokens  arrivals 2 per second  requests 20  mix uniform }
            """;

    @TempDir
    static Path workspace;

    private Process process;
    private LanguageServer server;
    private final RecordingClient client = new RecordingClient();
    private Marked program;
    private Marked descriptor;
    private String programUri;
    private String descriptorUri;

    @BeforeAll
    void startServerWithADescriptorAndItsProgram() throws Exception {
        program = Marked.of(PROGRAM);
        descriptor = Marked.of(DESCRIPTOR);
        Path dfk = Files.writeString(workspace.resolve("tiny.dfk"), program.text());
        Path coe = Files.writeString(workspace.resolve("small.coe"), descriptor.text());
        programUri = dfk.toUri().toString();
        descriptorUri = coe.toUri().toString();
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.rdustudio.cli.DfkCli", "lsp")
                .redirectError(Path.of("target", "lsp-coe-server-stderr.txt").toFile())
                .start();
        Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, process.getInputStream(),
                process.getOutputStream());
        launcher.startListening();
        server = launcher.getRemoteProxy();

        // a client that can execute commands: Xtext then lists the languages' commands
        ClientCapabilities capabilities = new ClientCapabilities();
        capabilities.setWorkspace(new WorkspaceClientCapabilities());
        capabilities.getWorkspace().setExecuteCommand(new ExecuteCommandCapabilities());
        InitializeParams init = new InitializeParams();
        init.setProcessId((int) ProcessHandle.current().pid());
        init.setRootUri(workspace.toUri().toString());
        init.setWorkspaceFolders(List.of(new WorkspaceFolder(workspace.toUri().toString(), "workspace")));
        init.setCapabilities(capabilities);
        InitializeResult result = server.initialize(init).get(60, TimeUnit.SECONDS);
        server.initialized(new InitializedParams());
        List<String> commands = result.getCapabilities().getExecuteCommandProvider().getCommands();
        assertTrue(commands.containsAll(List.of("coe.footprint", "coe.simulate", "coe.plan")), commands.toString());
        open(descriptorUri, descriptor.text());
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.shutdown().get(30, TimeUnit.SECONDS);
            server.exit();
        }
        if (process != null && !process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Test
    void aCleanDescriptorGetsNoErrorsAndAnEditGetsItsErrorAtTheProperty() throws Exception {
        String broken = descriptor.text().replace("domain \"code\", tp 8", "domain \"code\", tp 3");
        String uri = workspace.resolve("broken.coe").toUri().toString();
        open(uri, broken);
        var found = client.awaitDiagnostics(uri, d -> d.getMessage().contains("tensor-parallel degree 3"));
        var tp = found.stream().filter(d -> d.getMessage().contains("tensor-parallel degree 3")).findFirst().orElseThrow();
        assertEquals(DiagnosticSeverity.Error, tp.getSeverity());
        assertEquals(6, tp.getRange().getStart().getLine());
        assertEquals(broken.split("\n")[6].indexOf("tp 3") + 3, tp.getRange().getStart().getCharacter(), "at the 3");

        var clean = client.lastPublished(descriptorUri);
        assertTrue(clean.stream().noneMatch(d -> d.getSeverity() == DiagnosticSeverity.Error), clean.toString());
    }

    @Test
    void hoverOnAnExpertShowsItsFootprintSwitchTimeAndTimings() throws Exception {
        Hover hover = server.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(descriptorUri),
                descriptor.cursor(1))).get(120, TimeUnit.SECONDS);
        String markdown = hover.getContents().getRight().getValue();
        assertTrue(markdown.startsWith("**expert code** x 2 - Llama2-7B class, tp 8, bf16"), markdown);
        assertTrue(markdown.contains("- DDR: 12.6 GiB of weights per copy, 25.1 GiB for all 2"), markdown);
        assertTrue(markdown.contains("- expert switch, DDR to HBM: 13.5 ms (1.0 TB/s (nodeDdrToHbmBytesPerSecond"), markdown);
        assertTrue(markdown.matches("(?s).*- prefill of 128 tokens: [0-9.]+ ms.*"), markdown);
        assertTrue(markdown.matches("(?s).*- decode: [0-9.]+ ms per token after 128 tokens.*"), markdown);
        assertTrue(markdown.matches("(?s).*- one chat request \\(128 \\+ 4 tokens\\), no switch: [0-9.]+ ms.*"), markdown);
    }

    @Test
    void codeLensesShowTheMemoryAndOfferSimulateAndPlan() throws Exception {
        List<? extends CodeLens> lenses = server.getTextDocumentService()
                .codeLens(new CodeLensParams(new TextDocumentIdentifier(descriptorUri))).get(60, TimeUnit.SECONDS);
        List<String> titles = lenses.stream().map(l -> l.getCommand().getTitle()).toList();
        assertTrue(titles.stream().anyMatch(t -> t.matches("DDR [0-9.]+ GiB of 12\\.0 TiB · HBM .* of 512\\.0 GiB · .*")),
                titles.toString());
        assertTrue(titles.containsAll(List.of("Simulate", "Plan capacity")), titles.toString());
        CodeLens simulate = lenses.stream().filter(l -> l.getCommand().getTitle().equals("Simulate")).findFirst().orElseThrow();
        assertEquals("coe.simulate", simulate.getCommand().getCommand());
        assertEquals(8, simulate.getRange().getStart().getLine(), "above the workload");
    }

    @Test
    void theLensCommandsRunThroughExecuteCommand() throws Exception {
        Object footprint = server.getWorkspaceService()
                .executeCommand(new ExecuteCommandParams("coe.footprint", List.of(descriptorUri))).get(60, TimeUnit.SECONDS);
        assertTrue(new Gson().toJson(footprint).contains("\"nodes\""), new Gson().toJson(footprint));

        Object simulated = server.getWorkspaceService()
                .executeCommand(new ExecuteCommandParams("coe.simulate", List.of(descriptorUri, "chat")))
                .get(180, TimeUnit.SECONDS);
        JsonObject json = new Gson().toJsonTree(simulated).getAsJsonObject();
        assertEquals("chat", json.getAsJsonObject("simulation").get("workload").getAsString(), json.toString());

        ExecutionException noWorkload = assertThrows(ExecutionException.class, () -> server.getWorkspaceService()
                .executeCommand(new ExecuteCommandParams("coe.simulate", List.of(descriptorUri, "nope")))
                .get(60, TimeUnit.SECONDS));
        assertInstanceOf(ResponseErrorException.class, noWorkload.getCause());
        assertTrue(noWorkload.getCause().getMessage().contains("no workload named nope"), noWorkload.getCause().getMessage());
    }

    @Test
    void aKernelNamedInTheDescriptorNavigatesToTheProgram() throws Exception {
        Either<List<? extends Location>, List<? extends LocationLink>> found = server.getTextDocumentService()
                .definition(new DefinitionParams(new TextDocumentIdentifier(descriptorUri), descriptor.cursor(0)))
                .get(60, TimeUnit.SECONDS);
        List<? extends Location> locations = found.getLeft();
        assertEquals(1, locations.size(), locations.toString());
        assertEquals(programUri, locations.get(0).getUri());
        assertEquals(program.range(0), locations.get(0).getRange(), "the kernel's name in tiny.dfk");
    }

    @Test
    void renamingTheKernelInTheDescriptorRenamesItInTheProgramToo() throws Exception {
        WorkspaceEdit edit = server.getTextDocumentService()
                .rename(new RenameParams(new TextDocumentIdentifier(descriptorUri), descriptor.cursor(0), "embed_prompt"))
                .get(60, TimeUnit.SECONDS);
        Map<String, List<Range>> ranges = new java.util.TreeMap<>();
        if (edit.getChanges() != null) {
            edit.getChanges().forEach((uri, edits) -> ranges.put(uri, edits.stream().map(TextEdit::getRange).toList()));
        } else {
            edit.getDocumentChanges().forEach(change -> ranges.put(change.getLeft().getTextDocument().getUri(),
                    change.getLeft().getEdits().stream().map(TextEdit::getRange).toList()));
        }
        assertEquals(List.of(descriptor.range(0)), ranges.get(descriptorUri), edit.toString());
        assertEquals(new ArrayList<>(program.ranges()), sorted(ranges.get(programUri)), edit.toString());
    }

    private void open(String uri, String text) {
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri,
                uri.endsWith(".coe") ? "coe" : "dfk", 1, text)));
    }

    private static List<Range> sorted(List<Range> ranges) {
        List<Range> copy = new ArrayList<>(ranges == null ? List.of() : ranges);
        copy.sort(java.util.Comparator.comparingInt((Range r) -> r.getStart().getLine())
                .thenComparingInt(r -> r.getStart().getCharacter()));
        return copy;
    }

    /** A snippet with {@code <|>} marking cursors and {@code <<...>>} ranges, numbered in order. */
    private record Marked(String text, List<Position> cursors, List<Range> ranges) {

        static Marked of(String marked) {
            StringBuilder plain = new StringBuilder();
            List<Position> cursors = new ArrayList<>();
            List<Range> ranges = new ArrayList<>();
            Position open = null;
            int line = 0;
            int column = 0;
            for (int i = 0; i < marked.length();) {
                if (marked.startsWith("<|>", i)) {
                    cursors.add(new Position(line, column));
                    i += 3;
                } else if (marked.startsWith("<<", i)) {
                    open = new Position(line, column);
                    i += 2;
                } else if (marked.startsWith(">>", i) && open != null) {
                    ranges.add(new Range(open, new Position(line, column)));
                    open = null;
                    i += 2;
                } else {
                    char c = marked.charAt(i++);
                    plain.append(c);
                    line += c == '\n' ? 1 : 0;
                    column = c == '\n' ? 0 : column + 1;
                }
            }
            return new Marked(plain.toString(), cursors, ranges);
        }

        Position cursor(int index) {
            return cursors.get(index);
        }

        Range range(int index) {
            return ranges.get(index);
        }
    }

    /** Records what the server publishes, so a test can wait for the diagnostics it expects. */
    private static final class RecordingClient implements LanguageClient {
        private final BlockingQueue<PublishDiagnosticsParams> queue = new LinkedBlockingQueue<>();
        private final Map<String, List<Diagnostic>> last = new ConcurrentHashMap<>();

        /** Waits (up to 120 s) for a publication of {@code uri} with a diagnostic that {@code wanted} accepts. */
        List<Diagnostic> awaitDiagnostics(String uri, Predicate<Diagnostic> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                PublishDiagnosticsParams next = queue.poll(100, TimeUnit.MILLISECONDS);
                if (next != null && next.getUri().equals(uri) && next.getDiagnostics().stream().anyMatch(wanted)) {
                    return next.getDiagnostics();
                }
            }
            throw new AssertionError("no such diagnostic for " + uri + "; last published: " + last.get(uri));
        }

        List<Diagnostic> lastPublished(String uri) {
            List<Diagnostic> published = last.get(uri);
            assertNotNull(published, "the diagnostics of " + uri + " were published");
            return published;
        }

        @Override
        public void publishDiagnostics(PublishDiagnosticsParams params) {
            last.put(params.getUri(), params.getDiagnostics());
            queue.add(params);
        }

        @Override
        public void telemetryEvent(Object object) {
        }

        @Override
        public void showMessage(MessageParams messageParams) {
        }

        @Override
        public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams requestParams) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void logMessage(MessageParams message) {
        }
    }
}
