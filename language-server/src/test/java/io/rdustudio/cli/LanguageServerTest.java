package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DfkCli.class.getName(), "lsp")
                .redirectError(stderr.toFile())
                .start();
        RecordingInputStream serverStdout = new RecordingInputStream(server.getInputStream());
        RecordingClient client = new RecordingClient();
        Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, serverStdout, server.getOutputStream());
        launcher.startListening();
        LanguageServer lsp = launcher.getRemoteProxy();

        assertBrokenFileGetsItsSyntaxError(lsp, client);

        lsp.shutdown().get(30, TimeUnit.SECONDS);
        lsp.exit();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server exits after 'exit'");
        assertEquals(0, server.exitValue());

        assertOnlyFrames(serverStdout.recorded());
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
            RecordingClient client = new RecordingClient();
            Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, socket.getInputStream(),
                    socket.getOutputStream());
            launcher.startListening();
            LanguageServer lsp = launcher.getRemoteProxy();

            assertBrokenFileGetsItsSyntaxError(lsp, client);

            lsp.shutdown().get(30, TimeUnit.SECONDS);
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

    private void assertBrokenFileGetsItsSyntaxError(LanguageServer lsp, RecordingClient client) throws Exception {
        InitializeParams init = new InitializeParams();
        init.setProcessId((int) ProcessHandle.current().pid());
        init.setRootUri(workspace.toUri().toString());
        init.setWorkspaceFolders(List.of(new WorkspaceFolder(workspace.toUri().toString(), "workspace")));
        init.setCapabilities(new ClientCapabilities());
        InitializeResult result = lsp.initialize(init).get(60, TimeUnit.SECONDS);
        assertNotNull(result.getCapabilities().getTextDocumentSync(), "the server syncs documents");
        lsp.initialized(new InitializedParams());

        Path file = workspace.resolve("broken.dfk");
        Files.writeString(file, BROKEN);
        String uri = file.toUri().toString();
        lsp.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "dfk", 1, BROKEN)));

        PublishDiagnosticsParams published = client.awaitDiagnostics("broken.dfk");
        assertEquals(1, published.getDiagnostics().size(), published.toString());
        org.eclipse.lsp4j.Diagnostic syntax = published.getDiagnostics().get(0);
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

    private static final class RecordingClient implements LanguageClient {
        private final BlockingQueue<PublishDiagnosticsParams> diagnostics = new LinkedBlockingQueue<>();

        PublishDiagnosticsParams awaitDiagnostics(String fileName) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                PublishDiagnosticsParams next = diagnostics.poll(1, TimeUnit.SECONDS);
                if (next != null && next.getUri().endsWith(fileName) && !next.getDiagnostics().isEmpty()) {
                    return next;
                }
            }
            throw new AssertionError("no diagnostics published for " + fileName);
        }

        @Override
        public void publishDiagnostics(PublishDiagnosticsParams params) {
            diagnostics.add(params);
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

    /** Passes bytes through and keeps a copy of them. */
    private static final class RecordingInputStream extends FilterInputStream {
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        RecordingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                synchronized (copy) {
                    copy.write(b);
                }
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                synchronized (copy) {
                    copy.write(buffer, offset, n);
                }
            }
            return n;
        }

        byte[] recorded() {
            synchronized (copy) {
                return copy.toByteArray();
            }
        }
    }
}
