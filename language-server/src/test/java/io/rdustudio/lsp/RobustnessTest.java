package io.rdustudio.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

import io.rdustudio.lsp.testing.Frames;
import io.rdustudio.lsp.testing.LspSession;
import io.rdustudio.lsp.testing.MarkedText;

/**
 * Bad input over a real stdio session, and after each kind of it the proof that the server still
 * serves (a hover answers): random and truncated documents (seeded), edits outside the document,
 * requests for files nobody opened, unknown methods, and malformed JSON-RPC frames written to the
 * server's stdin byte by byte. Stdout carries nothing but frames throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RobustnessTest {

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final long SEED = 20261124L;

    private static final MarkedText PROGRAM = MarkedText.of("""
            let D = 64
            input x: bf16[8, D]
            weight w: bf16[D, D]
            output y: bf16[8, D]
            kernel <|>proj(a: bf16[8, D], b: bf16[D, D]) -> (c: bf16[8, D]) {
              c = matmul(a, b)
            }
            schedule { y = proj(x, w) }
            """);

    @TempDir
    static Path workspace;

    private LspSession session;
    private String programUri;
    /** Frames on the wire already matched by an await, so each await finds a new answer. */
    private int seenFrames;

    @BeforeAll
    void startServer() throws Exception {
        session = LspSession.startServer(Path.of("target", "robustness-server-stderr.txt"));
        session.initialize(workspace);
        programUri = workspace.resolve("program.dfk").toUri().toString();
        session.open(programUri, PROGRAM.text());
        assertServes();
    }

    @AfterAll
    void stopServer() throws Exception {
        if (session != null) {
            session.close();
            assertEquals(0, session.process().exitValue(), "the server exits cleanly after all of it");
            Frames.of(session.serverOutput());
        }
    }

    @Test
    void randomAndTruncatedDocumentsGetAnswers() throws Exception {
        Random random = new Random(SEED);
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path example : files.filter(f -> f.toString().endsWith(".dfk")).sorted().toList()) {
                String text = Files.readString(example);
                for (int i = 0; i < 3; i++) {
                    texts.add(text.substring(0, random.nextInt(text.length())));
                }
                texts.add(mutated(text, random));
            }
        }
        for (int i = 0; i < 5; i++) {
            texts.add(randomText(random, 1 + random.nextInt(2000)));
        }
        int n = 0;
        for (String text : texts) {
            String uri = workspace.resolve("random-" + n++ + ".dfk").toUri().toString();
            session.open(uri, text);
            askEverything(uri, text, random);
            session.change(uri, 2, mutated(text, random));
            askEverything(uri, text, random);
        }
        assertServes();
    }

    @Test
    void editsOutsideTheDocumentApplyAtItsEnd() throws Exception {
        String uri = workspace.resolve("edited.dfk").toUri().toString();
        session.open(uri, PROGRAM.text());
        session.client().awaitPublication(uri, p -> Integer.valueOf(1).equals(p.getVersion()));
        int logged = session.client().messages().size();

        edit(uri, 2, new Range(new Position(1000, 0), new Position(1000, 5)), "let Q = nope\n");
        Diagnostic unknown = session.client().awaitDiagnostic(uri, d -> d.getMessage().contains("nope")).stream()
                .filter(d -> d.getMessage().contains("nope")).findFirst().orElseThrow();
        assertEquals(PROGRAM.text().split("\n", -1).length - 1, unknown.getRange().getStart().getLine(),
                "applied at the end of the document");

        edit(uri, 3, new Range(new Position(0, 500), new Position(0, 900)), " + 0");
        session.client().awaitPublication(uri, p -> Integer.valueOf(3).equals(p.getVersion()));
        edit(uri, 4, new Range(new Position(-3, -1), new Position(-2, 0)), "");
        session.client().awaitPublication(uri, p -> Integer.valueOf(4).equals(p.getVersion()));

        assertTrue(session.client().messages().subList(logged, session.client().messages().size()).stream()
                .anyMatch(m -> m.getType() == MessageType.Warning && m.getMessage().contains("outside the document")),
                "the client hears why: " + session.client().messages());
        String hover = session.hover(uri, PROGRAM.cursor(0));
        assertTrue(hover.contains("**kernel proj**"), "the text before the edits is where it was: " + hover);
        assertServes();
    }

    @Test
    void requestsForFilesNobodyOpenedGetAnswers() throws Exception {
        Files.writeString(workspace.resolve("on-disk.dfk"), PROGRAM.text());
        List<String> uris = List.of(workspace.resolve("on-disk.dfk").toUri().toString(),
                workspace.resolve("missing.dfk").toUri().toString(), "file:///nowhere/at/all.dfk",
                "untitled:Untitled-1", "not a uri at all");
        Random random = new Random(SEED);
        for (String uri : uris) {
            askEverything(uri, PROGRAM.text(), random);
            session.server().getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                    new VersionedTextDocumentIdentifier(uri, 7), List.of(new TextDocumentContentChangeEvent("x"))));
            session.server().getTextDocumentService().didClose(new DidCloseTextDocumentParams(new TextDocumentIdentifier(uri)));
        }
        assertServes();
    }

    @Test
    void unknownMethodsAreAnsweredOrIgnored() throws Exception {
        writeRaw(Frames.frame("{\"jsonrpc\":\"2.0\",\"id\":7001,\"method\":\"dfk/noSuchRequest\",\"params\":{}}"));
        writeRaw(Frames.frame("{\"jsonrpc\":\"2.0\",\"id\":7002,\"method\":\"no/such/method\"}"));
        writeRaw(Frames.frame("{\"jsonrpc\":\"2.0\",\"method\":\"no/such/notification\",\"params\":[1]}"));
        writeRaw(Frames.frame("{\"jsonrpc\":\"2.0\",\"method\":\"$/noSuchNotification\"}"));

        assertEquals(ResponseErrorCode.MethodNotFound.getValue(), awaitError(7001));
        assertEquals(ResponseErrorCode.MethodNotFound.getValue(), awaitError(7002));
        assertServes();
    }

    @Test
    void malformedFramesAreAnsweredOrSkippedAndTheNextFrameIsRead() throws Exception {
        // a Content-Length that is no number: the frame is skipped, its body (a shutdown!) never runs
        writeRaw(bytes("Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":8001,\"method\":\"shutdown\"}"));
        assertServes();
        writeRaw(bytes("Content-Length: -5\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":8002,\"method\":\"shutdown\"}"));
        writeRaw(bytes("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{\"id\":8003,\"method\":\"shutdown\"}"));
        writeRaw(bytes("Content-Length: 99999999999\r\n\r\n{}"));
        assertServes();
        // not JSON: ParseError with a null id
        writeRaw(Frames.frame("{\"jsonrpc\": \"2.0\", \"id\": 8004, \"method\": "));
        JsonObject parseError = awaitNullIdError(ResponseErrorCode.ParseError);
        assertTrue(parseError.has("id") && parseError.get("id").isJsonNull(), parseError.toString());
        // JSON, but no request: InvalidRequest, with the id when there is one
        writeRaw(Frames.frame("[1, 2, 3]"));
        awaitNullIdError(ResponseErrorCode.InvalidRequest);
        writeRaw(Frames.frame("{\"jsonrpc\":\"2.0\",\"id\":8005,\"params\":{}}"));
        assertEquals(ResponseErrorCode.InvalidRequest.getValue(), awaitError(8005));
        writeRaw(Frames.frame("\"just a string\""));
        assertServes();
        // a Content-Length longer than the body swallows the next frame; the one after is read
        writeRaw(bytes("Content-Length: 60\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":8006,\"method\":\"shutdown\"}"));
        writeRaw(Frames.frame("{\"jsonrpc\":\"2.0\",\"method\":\"$/swallowed\"}"));
        assertServes();
        // stray bytes between frames
        writeRaw(bytes("garbage\r\n\r\nmore garbage"));
        assertServes();

        List<JsonObject> frames = Frames.of(session.serverOutput());
        for (int id : new int[] {8001, 8002, 8003, 8006}) {
            assertTrue(frames.stream().noneMatch(f -> f.has("id") && f.get("id").isJsonPrimitive()
                    && f.get("id").getAsInt() == id && f.has("result")), "the shutdown in a bad frame did not run: " + id);
        }
        assertTrue(session.process().isAlive());
    }

    private void askEverything(String uri, String text, Random random) throws Exception {
        TextDocumentService documents = session.server().getTextDocumentService();
        TextDocumentIdentifier id = new TextDocumentIdentifier(uri);
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Position at = randomPosition(text, random);
            answers.add(documents.hover(new HoverParams(id, at)));
            answers.add(documents.completion(new CompletionParams(id, at)));
            answers.add(documents.definition(new DefinitionParams(id, at)));
        }
        answers.add(documents.codeLens(new CodeLensParams(id)));
        answers.add(documents.documentSymbol(new DocumentSymbolParams(id)));
        answers.add(documents.inlayHint(new InlayHintParams(id, new Range(new Position(0, 0), new Position(10_000, 0)))));
        answers.add(session.server().estimate(new DfkProtocol.DocumentParams(uri)));
        for (CompletableFuture<?> answer : answers) {
            try {
                answer.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // an error response is an answer; a timeout is not
            }
        }
    }

    /** A hover on the program's kernel answers as before. */
    private void assertServes() throws Exception {
        String markdown = session.hover(programUri, PROGRAM.cursor(0));
        assertTrue(markdown.contains("**kernel proj**"), markdown);
        assertTrue(session.process().isAlive(), "the server process is alive");
    }

    private void edit(String uri, int version, Range range, String text) {
        session.server().getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                new VersionedTextDocumentIdentifier(uri, version), List.of(new TextDocumentContentChangeEvent(range, text))));
    }

    /** Bytes written to the server's stdin beside lsp4j's frames (the client writes nothing else meanwhile). */
    private void writeRaw(byte[] bytes) throws Exception {
        OutputStream stdin = session.process().getOutputStream();
        stdin.write(bytes);
        stdin.flush();
    }

    private int awaitError(int id) throws InterruptedException {
        JsonObject answer = awaitFrame(f -> f.has("id") && f.get("id").isJsonPrimitive()
                && f.get("id").getAsJsonPrimitive().isNumber() && f.get("id").getAsInt() == id && f.has("error"));
        return answer.getAsJsonObject("error").get("code").getAsInt();
    }

    private JsonObject awaitNullIdError(ResponseErrorCode code) throws InterruptedException {
        return awaitFrame(f -> (!f.has("id") || f.get("id").isJsonNull()) && f.has("error")
                && f.getAsJsonObject("error").get("code").getAsInt() == code.getValue());
    }

    private JsonObject awaitFrame(java.util.function.Predicate<JsonObject> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<JsonObject> frames = Frames.of(session.serverOutput());
            for (int i = seenFrames; i < frames.size(); i++) {
                if (wanted.test(frames.get(i))) {
                    seenFrames = i + 1;
                    return frames.get(i);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such answer on the wire");
    }

    private static Position randomPosition(String text, Random random) {
        String[] lines = text.split("\n", -1);
        int line = random.nextInt(lines.length + 2);
        int character = line < lines.length ? random.nextInt(lines[line].length() + 3) : random.nextInt(5);
        return new Position(line, character);
    }

    /** A few characters replaced, deleted or inserted at random places. */
    private static String mutated(String text, Random random) {
        StringBuilder s = new StringBuilder(text);
        for (int i = 0; i < 5 && s.length() > 0; i++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(3)) {
                case 0 -> s.setCharAt(at, "(){}[]<>,:=@ \n\"x9".charAt(random.nextInt(17)));
                case 1 -> s.deleteCharAt(at);
                default -> s.insert(at, randomText(random, 1 + random.nextInt(8)));
            }
        }
        return s.toString();
    }

    private static String randomText(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            s.append(kind < 6 ? (char) (' ' + random.nextInt(95)) : kind < 8 ? '\n' : (char) random.nextInt(0x3000));
        }
        return s.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
