package io.rdustudio.lsp.testing;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageServer;

import io.rdustudio.cli.DfkCli;
import io.rdustudio.lsp.DfkProtocol;

/**
 * A real LSP client session with {@code dfk lsp}: the server runs as a child process (this test
 * JVM's classpath, {@code DfkCli lsp}) spoken to over its stdio, or on streams the test provides
 * (a loopback socket). Every language-server test starts its server through here, so the protocol
 * set-up is written once.
 */
public final class LspSession implements AutoCloseable {

    /** The server as a client sees it: the standard protocol plus DFK's requests. */
    public interface DfkServer extends LanguageServer, DfkProtocol {
    }

    private final Process process;
    private final RecordingInputStream serverOutput;
    private final DfkServer server;
    private final RecordingClient client = new RecordingClient();

    private LspSession(Process process, InputStream in, OutputStream out) {
        this.process = process;
        this.serverOutput = new RecordingInputStream(in);
        Launcher<DfkServer> launcher = new LSPLauncher.Builder<DfkServer>()
                .setLocalService(client)
                .setRemoteInterface(DfkServer.class)
                .setInput(serverOutput)
                .setOutput(out)
                .create();
        launcher.startListening();
        this.server = launcher.getRemoteProxy();
    }

    /**
     * Starts {@code dfk lsp} as a child process; its stderr goes to {@code stderr}.
     *
     * @param jvmOptions extra options for the server's JVM (heap size, system properties)
     */
    public static LspSession startServer(Path stderr, String... jvmOptions) throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DfkCli.class.getName(), "lsp"));
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new LspSession(process, process.getInputStream(), process.getOutputStream());
    }

    /** A session on streams the caller owns (a socket); {@link #close()} then only shuts the server down. */
    public static LspSession connect(InputStream in, OutputStream out) {
        return new LspSession(null, in, out);
    }

    /** {@code initialize} with {@code root} as the one workspace folder, then {@code initialized}. */
    public InitializeResult initialize(Path root) throws Exception {
        return initialize(root, new ClientCapabilities());
    }

    public InitializeResult initialize(Path root, ClientCapabilities capabilities) throws Exception {
        InitializeParams init = new InitializeParams();
        init.setProcessId((int) ProcessHandle.current().pid());
        init.setRootUri(root.toUri().toString());
        init.setWorkspaceFolders(List.of(new WorkspaceFolder(root.toUri().toString(), root.getFileName().toString())));
        init.setCapabilities(capabilities);
        InitializeResult result = server.initialize(init).get(60, TimeUnit.SECONDS);
        server.initialized(new InitializedParams());
        return result;
    }

    public DfkServer server() {
        return server;
    }

    public RecordingClient client() {
        return client;
    }

    /** The child process, or null for a session on the caller's streams. */
    public Process process() {
        return process;
    }

    /** Every byte the server wrote to its stdout so far. */
    public byte[] serverOutput() {
        return serverOutput.recorded();
    }

    public void open(String uri, String text) {
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri,
                uri.endsWith(".coe") ? "coe" : "dfk", 1, text)));
    }

    /** Replaces the whole text of an open document. */
    public void change(String uri, int version, String text) {
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                new VersionedTextDocumentIdentifier(uri, version), List.of(new TextDocumentContentChangeEvent(text))));
    }

    /** The hover's markdown at a position; fails when there is no hover. */
    public String hover(String uri, Position position) throws Exception {
        Hover hover = server.getTextDocumentService().hover(new HoverParams(new TextDocumentIdentifier(uri), position))
                .get(60, TimeUnit.SECONDS);
        if (hover == null) {
            throw new AssertionError("no hover at " + position + " in " + uri);
        }
        return hover.getContents().getRight().getValue();
    }

    /** Sends {@code shutdown} and {@code exit}, and waits for the child process to end. */
    @Override
    public void close() throws Exception {
        try {
            server.shutdown().get(30, TimeUnit.SECONDS);
            server.exit();
        } finally {
            if (process != null && !process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
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
