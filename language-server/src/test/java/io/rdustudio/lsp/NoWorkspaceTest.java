package io.rdustudio.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.rdustudio.lsp.testing.LspSession;

/**
 * A client that opens no folder (rootUri null, no workspace folders: an editor on one loose file)
 * still gets a server: the example it opens is checked, its import resolved from disk, and hover
 * answers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NoWorkspaceTest {

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @Test
    void aClientWithoutAFolderIsServedTheFilesItOpens() throws Exception {
        try (LspSession session = LspSession.startServer(Path.of("target", "no-workspace-server-stderr.txt"))) {
            InitializeParams init = new InitializeParams();
            init.setProcessId((int) ProcessHandle.current().pid());
            init.setCapabilities(new ClientCapabilities());
            InitializeResult result = session.server().initialize(init).get(60, TimeUnit.SECONDS);
            assertNotNull(result.getCapabilities().getHoverProvider());
            session.server().initialized(new InitializedParams());

            Path file = EXAMPLES.resolve("llama2_7b_decode.dfk");
            String uri = file.toUri().toString();
            String text = Files.readString(file);
            session.open(uri, text);
            var diagnostics = session.client().awaitDiagnostics(uri, d -> true);
            assertEquals(List.of(), diagnostics.stream().filter(d -> d.getSeverity() == DiagnosticSeverity.Error).toList(),
                    "the import of lib/llama.dfk resolves without a workspace");

            String[] lines = text.split("\n", -1);
            int line = 0;
            while (!lines[line].contains("decoder_layer(")) {
                line++;
            }
            String hover = session.hover(uri, new Position(line, lines[line].indexOf("decoder_layer(") + 2));
            assertTrue(hover.contains("**kernel decoder_layer**"), hover);
        }
    }
}
