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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.ProgressParams;
import org.eclipse.lsp4j.WindowClientCapabilities;
import org.eclipse.lsp4j.WorkDoneProgressBegin;
import org.eclipse.lsp4j.WorkDoneProgressCancelParams;
import org.eclipse.lsp4j.WorkDoneProgressEnd;
import org.eclipse.lsp4j.WorkDoneProgressReport;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.rdustudio.lsp.testing.Cli;
import io.rdustudio.lsp.testing.Frames;
import io.rdustudio.lsp.testing.LspSession;
import io.rdustudio.lsp.testing.MarkedText;

/**
 * {@code dfk/run} and the {@code dfk.run} command over a real stdio session: progress, the CLI's
 * figures, the report and trace files, cancellation by {@code $/cancelRequest} and by the
 * progress's cancel, and errors for programs that cannot run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class EmulatorRunTest {

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    /** Ten thousand 512 x 512 x 512 matmuls: seconds to time, minutes to execute on data. */
    private static final String SLOW = """
            let N = 512
            input x: bf16[N, N]
            weight w: bf16[N, N]
            output y: bf16[N, N]
            kernel step(a: bf16[N, N], b: bf16[N, N]) -> (c: bf16[N, N]) {
              c = matmul(a, b)
            }
            schedule {
              for l in 0..10000 {
                y = step(x, w)
              }
            }
            """;

    private static final String NO_SCHEDULE = """
            let D = 64
            kernel proj(a: bf16[8, D], b: bf16[D, D]) -> (c: bf16[8, D]) {
              c = matmul(a, b)
            }
            """;

    @TempDir
    static Path workspace;

    private LspSession session;
    private String monarchUri;
    private String monarchText;

    @BeforeAll
    void startServer() throws Exception {
        Files.copy(EXAMPLES.resolve("monarch_fft.dfk"), workspace.resolve("monarch_fft.dfk"));
        Files.createDirectories(workspace.resolve("lib"));
        Files.copy(EXAMPLES.resolve("lib/llama.dfk"), workspace.resolve("lib/llama.dfk"));
        Files.writeString(workspace.resolve("slow.dfk"), SLOW);
        session = LspSession.startServer(Path.of("target", "emulator-run-server-stderr.txt"));
        ClientCapabilities capabilities = new ClientCapabilities();
        WindowClientCapabilities window = new WindowClientCapabilities();
        window.setWorkDoneProgress(true);
        capabilities.setWindow(window);
        InitializeResult init = session.initialize(workspace, capabilities);
        assertTrue(init.getCapabilities().getExecuteCommandProvider().getCommands().contains("dfk.run"),
                "the lens commands are served: " + init.getCapabilities().getExecuteCommandProvider());
        monarchUri = workspace.resolve("monarch_fft.dfk").toUri().toString();
        monarchText = Files.readString(workspace.resolve("monarch_fft.dfk"));
        session.open(monarchUri, monarchText);
    }

    @AfterAll
    void stopServer() throws Exception {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void aRunReportsProgressAndAnswersWithTheTotalOfTheCommandLine() throws Exception {
        int before = session.client().progress().size();
        JsonObject answer = session.server().run(new DfkProtocol.RunParams(monarchUri)).get(180, TimeUnit.SECONDS);

        JsonObject cli = Cli.json("run", "--timing-only", "--format", "json", workspace.resolve("monarch_fft.dfk").toString());
        double total = answer.getAsJsonObject("summary").getAsJsonObject("timing").get("totalSeconds").getAsDouble();
        assertEquals(cli.getAsJsonObject("timing").get("totalSeconds").getAsDouble(), total, "the CLI's emulated total");
        assertEquals("monarch_fft.dfk", answer.getAsJsonObject("summary").get("file").getAsString());
        assertTrue(answer.getAsJsonObject("summary").has("outputs"), "a small program also runs on data: " + answer);

        Path report = Path.of(answer.getAsJsonObject("report").get("path").getAsString());
        assertEquals("html", answer.getAsJsonObject("report").get("format").getAsString());
        assertTrue(Files.readString(report).contains("monarch_fft.dfk"), "the HTML report of the run: " + report);
        Path outputs = Path.of(answer.get("outputDirectory").getAsString()).resolve("outputs");
        assertTrue(Files.exists(outputs.resolve("spectrum.npy")), "the output tensor written: " + outputs);
        Path trace = Path.of(answer.getAsJsonObject("trace").get("path").getAsString());
        assertTrue(JsonParser.parseString(Files.readString(trace)).getAsJsonObject().has("traceEvents"),
                "a Chrome trace: " + trace);

        List<ProgressParams> progress = session.client().progress().subList(before, session.client().progress().size());
        String token = session.client().progressCreated().get(session.client().progressCreated().size() - 1).getToken()
                .getLeft();
        List<Object> values = progress.stream().filter(p -> token.equals(p.getToken().getLeft()))
                .map(p -> (Object) p.getValue().getLeft()).toList();
        assertInstanceOf(WorkDoneProgressBegin.class, values.get(0), values.toString());
        assertTrue(((WorkDoneProgressBegin) values.get(0)).getCancellable(), "a run can be cancelled from the progress");
        assertTrue(values.stream().anyMatch(v -> v instanceof WorkDoneProgressReport r && r.getPercentage() > 0),
                values.toString());
        assertInstanceOf(WorkDoneProgressEnd.class, values.get(values.size() - 1), values.toString());
        deleteOutputs(answer);
    }

    @Test
    void theLensCommandRunsThroughExecuteCommandWithTheRequestsToken() throws Exception {
        int created = session.client().progressCreated().size();
        ExecuteCommandParams command = new ExecuteCommandParams("dfk.run", List.of(monarchUri, "monarch_fft"),
                Either.forLeft("lens-run"));
        Object result = session.server().getWorkspaceService().executeCommand(command).get(180, TimeUnit.SECONDS);

        JsonObject answer = new Gson().toJsonTree(result).getAsJsonObject();
        JsonObject cli = Cli.json("run", "--timing-only", "--format", "json", workspace.resolve("monarch_fft.dfk").toString());
        assertEquals(cli.getAsJsonObject("timing").get("totalSeconds").getAsDouble(),
                answer.getAsJsonObject("summary").getAsJsonObject("timing").get("totalSeconds").getAsDouble());
        assertEquals("monarch_fft", answer.get("kernel").getAsString());
        assertEquals("monarch_fft", answer.getAsJsonArray("kernelTiming").get(0).getAsJsonObject().get("kernel")
                .getAsString());
        assertEquals(created, session.client().progressCreated().size(), "the request's own token, none created");
        assertTrue(session.client().progress().stream().anyMatch(p -> "lens-run".equals(p.getToken().getLeft())
                && p.getValue().getLeft() instanceof WorkDoneProgressEnd));
        deleteOutputs(answer);
    }

    /** The run's folder under the temporary directory, which the server does not clean up. */
    private static void deleteOutputs(JsonObject answer) throws java.io.IOException {
        Path folder = Path.of(answer.get("outputDirectory").getAsString());
        try (var files = Files.walk(folder)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aTimingOnlyRunCanAnswerWithTheContentsOfItsFiles() throws Exception {
        DfkProtocol.RunParams params = new DfkProtocol.RunParams(monarchUri);
        params.setTimingOnly(true);
        params.setInline(true);
        params.setOrchestration("software");
        JsonObject answer = session.server().run(params).get(180, TimeUnit.SECONDS);

        JsonObject cli = Cli.json("run", "--timing-only", "--orchestration", "SOFTWARE", "--format", "json",
                workspace.resolve("monarch_fft.dfk").toString());
        assertEquals(cli.get("timing"), answer.getAsJsonObject("summary").get("timing"), "the whole timing summary");
        assertTrue(!answer.getAsJsonObject("summary").has("outputs"), "timing only");
        assertTrue(answer.getAsJsonObject("trace").get("content").getAsString().contains("traceEvents"));
        assertTrue(answer.getAsJsonObject("report").get("content").getAsString().contains("<html"),
                "the HTML report itself");
    }

    @Test
    void cancelRequestStopsARunWhichAnswersRequestCancelledAndTheServerKeepsServing() throws Exception {
        String slow = open("slow.dfk", SLOW);
        DfkProtocol.RunParams params = new DfkProtocol.RunParams(slow);
        params.setWorkDoneToken(Either.forLeft("slow-by-request"));
        CompletableFuture<JsonObject> run = session.server().run(params);
        awaitProgress("slow-by-request", "numerical run");

        run.cancel(true); // lsp4j sends $/cancelRequest

        assertEquals(ResponseErrorCode.RequestCancelled.getValue(), awaitErrorCodeOfLastRequest("dfk/run"),
                "the server answers the cancelled request with RequestCancelled");
        awaitProgressEnd("slow-by-request");
        assertStillServing();
    }

    @Test
    void cancellingTheProgressStopsTheRun() throws Exception {
        String slow = open("slow-progress.dfk", SLOW);
        DfkProtocol.RunParams params = new DfkProtocol.RunParams(slow);
        params.setWorkDoneToken(Either.forRight(4242));
        CompletableFuture<JsonObject> run = session.server().run(params);
        awaitProgress(4242, "numerical run");

        session.server().cancelProgress(new WorkDoneProgressCancelParams(Either.forRight(4242)));

        ExecutionException cancelled = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
        assertInstanceOf(ResponseErrorException.class, cancelled.getCause());
        assertEquals(ResponseErrorCode.RequestCancelled.getValue(),
                ((ResponseErrorException) cancelled.getCause()).getResponseError().getCode());
        assertStillServing();
    }

    @Test
    void programsThatCannotRunAreRefusedWithTheReason() throws Exception {
        String broken = open("broken.dfk", "let D = 64\ninput x: bf16[8, D\n");
        assertRefused(new DfkProtocol.RunParams(broken), "has errors");

        String library = open("library.dfk", NO_SCHEDULE);
        assertRefused(new DfkProtocol.RunParams(library), "has no schedule");

        assertRefused(new DfkProtocol.RunParams(workspace.resolve("never-opened.dfk").toUri().toString()), "is not open");

        DfkProtocol.RunParams badOrchestration = new DfkProtocol.RunParams(monarchUri);
        badOrchestration.setOrchestration("telepathic");
        assertRefused(badOrchestration, "software or hardware");

        DfkProtocol.RunParams badTarget = new DfkProtocol.RunParams(monarchUri);
        badTarget.setTarget("no-such-profile");
        assertRefused(badTarget, "\"target\"");

        DfkProtocol.RunParams tooBig = new DfkProtocol.RunParams(
                open("decode.dfk", Files.readString(EXAMPLES.resolve("llama2_7b_decode.dfk"))));
        tooBig.setTimingOnly(false);
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> session.server().run(tooBig).get(120, TimeUnit.SECONDS));
        assertEquals(ResponseErrorCode.RequestFailed.getValue(),
                ((ResponseErrorException) failed.getCause()).getResponseError().getCode());
        assertTrue(failed.getCause().getMessage().contains("--timing-only"), failed.getCause().getMessage());

        DfkProtocol.RunParams auto = new DfkProtocol.RunParams(tooBig.getUri());
        auto.setInline(true);
        JsonObject answer = session.server().run(auto).get(120, TimeUnit.SECONDS);
        assertTrue(answer.get("numericSkipped").getAsString().contains("needs about"), answer.toString());
        assertNotNull(answer.getAsJsonObject("summary").get("timing"));
    }

    private void assertRefused(DfkProtocol.RunParams params, String reason) {
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> session.server().run(params).get(60, TimeUnit.SECONDS));
        assertInstanceOf(ResponseErrorException.class, refused.getCause());
        assertEquals(ResponseErrorCode.InvalidParams.getValue(),
                ((ResponseErrorException) refused.getCause()).getResponseError().getCode());
        assertTrue(refused.getCause().getMessage().contains(reason), refused.getCause().getMessage());
    }

    private String open(String name, String text) throws Exception {
        String uri = workspace.resolve(name).toUri().toString();
        session.open(uri, text);
        session.client().awaitPublication(uri, p -> Integer.valueOf(1).equals(p.getVersion()));
        return uri;
    }

    /** After a cancelled run, a hover answers and a new run completes (the cancelled one no longer holds the runner). */
    private void assertStillServing() throws Exception {
        String markdown = session.hover(monarchUri, MarkedText.positionOf(monarchText, "kernel monarch_fft", "monarch_fft"));
        assertTrue(markdown.contains("**kernel monarch_fft**"), markdown);
        DfkProtocol.RunParams quick = new DfkProtocol.RunParams(monarchUri);
        quick.setTimingOnly(true);
        quick.setInline(true);
        assertNotNull(session.server().run(quick).get(60, TimeUnit.SECONDS).get("summary"));
    }

    private void awaitProgress(Object token, String message) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            for (ProgressParams p : session.client().progress()) {
                if (matches(p, token) && p.getValue().getLeft() instanceof WorkDoneProgressReport r
                        && r.getMessage() != null && r.getMessage().startsWith(message)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no progress '" + message + "' for " + token + ": " + session.client().progress());
    }

    private void awaitProgressEnd(Object token) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (session.client().progress().stream()
                    .anyMatch(p -> matches(p, token) && p.getValue().getLeft() instanceof WorkDoneProgressEnd e
                            && "cancelled".equals(e.getMessage()))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the cancelled run never ended its progress: " + session.client().progress());
    }

    private static boolean matches(ProgressParams p, Object token) {
        return token instanceof String s ? s.equals(p.getToken().getLeft()) : token.equals(p.getToken().getRight());
    }

    /**
     * The error code of the server's answer to the last {@code method} request the client sent, read
     * from the frames on the wire (lsp4j's own future is already cancelled on the client's side).
     */
    private int awaitErrorCodeOfLastRequest(String method) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<JsonObject> frames = Frames.of(session.serverOutput());
            List<JsonObject> answers = new ArrayList<>();
            for (JsonObject frame : frames) {
                if (frame.has("id") && frame.has("error")) {
                    answers.add(frame);
                }
            }
            for (int i = answers.size() - 1; i >= 0; i--) {
                JsonElement error = answers.get(i).get("error");
                if (error.getAsJsonObject().get("message").getAsString().contains(method)) {
                    return error.getAsJsonObject().get("code").getAsInt();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no error answer to " + method + " on the wire");
    }
}
