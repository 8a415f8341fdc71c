package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.InitializeResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.rdustudio.lsp.testing.LspSession;

/** {@code dfk lsp} with a real LSP client (lsp4j): over a child process's stdio, and over loopback TCP. */
class LanguageServerTest {

    private static final String BROKEN = """
            let D = 64
            input x: bf16[8, D
            let E = D
            """;

    @TempDir
    Path workspace;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void servesDiagnosticsOverStdioAndWritesOnlyFramesToStdout() throws Exception {
        Path stderr = workspace.resolve("server-stderr.txt");
        LspSession session = LspSession.startServer(stderr);

        assertBrokenFileGetsItsSyntaxError(session);

        session.close();
        assertEquals(0, session.process().exitValue(), "the server exits cleanly after 'exit'");
        assertOnlyFrames(session.serverOutput());
        String logged = Files.readString(stderr);
        assertFalse(logged.contains("\tat "), logged);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void servesOneClientOnALoopbackPort() throws Exception {
        StringWriter err = new StringWriter();
        PrintWriter errWriter = new PrintWriter(err, true);
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread serverThread = new Thread(() -> exitCode.set(DfkCli.run(
                new DfkCli(InputStream.nullInputStream(), OutputStream.nullOutputStream()),
                new String[] {"lsp", "--port", "0"}, new PrintWriter(new StringWriter()), errWriter)));
        serverThread.start();

        int port = awaitPort(err);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            LspSession session = LspSession.connect(socket.getInputStream(), socket.getOutputStream());
            assertBrokenFileGetsItsSyntaxError(session);
            session.server().shutdown().get(30, TimeUnit.SECONDS);
        }
        serverThread.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(serverThread.isAlive(), "the command returns when its client disconnects");
        assertEquals(0, exitCode.get(), err.toString());
    }

    @Test
    void portOutOfRangeIsAUsageError() {
        Dfk.Run run = Dfk.run("lsp", "--port", "70000").assertNoTrace();

        assertEquals(2, run.exitCode(), run.printed());
        assertTrue(run.err().contains("70000"), run.printed());
    }

    private void assertBrokenFileGetsItsSyntaxError(LspSession session) throws Exception {
        InitializeResult result = session.initialize(workspace);
        assertNotNull(result.getCapabilities().getTextDocumentSync(), "the server syncs documents");

        Path file = workspace.resolve("broken.dfk");
        Files.writeString(file, BROKEN);
        String uri = file.toUri().toString();
        session.open(uri, BROKEN);

        List<org.eclipse.lsp4j.Diagnostic> published = session.client().awaitDiagnostics(uri, list -> !list.isEmpty());
        assertEquals(1, published.size(), published.toString());
        org.eclipse.lsp4j.Diagnostic syntax = published.get(0);
        assertEquals(DiagnosticSeverity.Error, syntax.getSeverity());
        assertEquals(2, syntax.getRange().getStart().getLine(), "zero-based: the third line");
        assertEquals(0, syntax.getRange().getStart().getCharacter());
    }

    private static int awaitPort(StringWriter err) throws InterruptedException {
        Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
        for (int i = 0; i < 600; i++) {
            Matcher matcher = listening.matcher(err.toString());
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server never said where it listens: " + err);
    }

    /** Stdout must be a sequence of {@code Content-Length} frames and nothing else. */
    private static void assertOnlyFrames(byte[] bytes) {
        Pattern header = Pattern.compile("Content-Length: (\\d+)\r\n(?:[A-Za-z-]+: [^\r\n]*\r\n)*\r\n");
        String text = new String(bytes, StandardCharsets.ISO_8859_1); // one char per byte: lengths stay byte counts
        int position = 0;
        int frames = 0;
        while (position < text.length()) {
            Matcher matcher = header.matcher(text).region(position, text.length());
            assertTrue(matcher.lookingAt(), "not an LSP frame at byte " + position + ": "
                    + text.substring(position, Math.min(text.length(), position + 80)));
            position = matcher.end() + Integer.parseInt(matcher.group(1));
            frames++;
        }
        assertEquals(text.length(), position, "the last frame is complete");
        assertTrue(frames >= 2, "initialize result and diagnostics at least");
    }
}
