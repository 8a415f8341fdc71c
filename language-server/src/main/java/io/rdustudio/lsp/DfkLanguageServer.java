package io.rdustudio.lsp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageConsumer;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.xtext.ide.server.LanguageServerImpl;
import org.eclipse.xtext.ide.server.ServerModule;

import org.eclipse.xtext.util.Modules2;

import com.google.inject.Guice;

/**
 * Serves the Language Server Protocol for DFK with Xtext's generic language server, as
 * {@code org.eclipse.xtext.ide.server.ServerLauncher} does: {@link ServerModule} finds the
 * languages through {@code META-INF/services/org.eclipse.xtext.ISetup} (DFK's {@code DfkIdeSetup});
 * {@link DfkLanguageServerImpl} adds inlay hints and the {@link DfkProtocol} requests. Malformed
 * frames never reach lsp4j ({@link ValidFrames}).
 *
 * <p><b>Architecture Invariant:</b> the output stream given to {@link #serve} carries LSP frames
 * and nothing else; logs go to stderr (see {@code log4j.properties}) and the caller points
 * {@code System.out} elsewhere before serving over stdio.
 */
public final class DfkLanguageServer {

    private DfkLanguageServer() {
    }

    /** Serves one client on the given streams until it disconnects (or sends {@code exit}). */
    public static void serve(InputStream in, OutputStream out) throws InterruptedException {
        LanguageServerImpl server = Guice.createInjector(Modules2.mixin(new ServerModule(),
                binder -> {
                    binder.bind(LanguageServerImpl.class).to(DfkLanguageServerImpl.class);
                    binder.bind(org.eclipse.xtext.ide.server.ProjectManager.class).to(DfkProjectManager.class);
                }))
                .getInstance(LanguageServerImpl.class);
        AtomicReference<MessageConsumer> outgoing = new AtomicReference<>();
        Launcher.Builder<LanguageClient> builder = new Launcher.Builder<>() {
            /** Keeps the outgoing stream itself (it serialises writes), before lsp4j wraps it in a validator. */
            @Override
            protected MessageConsumer wrapMessageConsumer(MessageConsumer consumer) {
                if (consumer instanceof StreamMessageConsumer) {
                    outgoing.set(consumer);
                }
                return super.wrapMessageConsumer(consumer);
            }
        };
        Launcher<LanguageClient> launcher = builder.setLocalService(server)
                .setRemoteInterface(LanguageClient.class)
                .setInput(new ValidFrames(in, response -> outgoing.get().consume(response)))
                .setOutput(out)
                .validateMessages(true)
                .create();
        server.connect(launcher.getRemoteProxy());
        try {
            launcher.startListening().get();
        } catch (ExecutionException e) {
            // the connection ended abnormally (the client vanished): the session is over either way
        }
    }

    /**
     * Listens on the loopback interface only (never on the network), serves the first client that
     * connects until it disconnects, then returns.
     *
     * @param port      the TCP port, 0 for any free one
     * @param listening told the actual port once the socket is bound, before waiting for the client
     */
    public static void serveOnLoopback(int port, IntConsumer listening) throws IOException, InterruptedException {
        try (ServerSocket serverSocket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            listening.accept(serverSocket.getLocalPort());
            try (Socket client = serverSocket.accept()) {
                serve(client.getInputStream(), client.getOutputStream());
            }
        }
    }
}
