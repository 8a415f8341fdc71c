package io.rdustudio.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.rdustudio.lsp.testing.Cli;
import io.rdustudio.lsp.testing.LspSession;

/**
 * Diagnostics in two steps over a real stdio session: first the build's (syntax, names, shapes),
 * then the same with the analysis's findings, for the same document version; an edit cancels the
 * analysis of the version before; files that import a changed file are checked again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BackgroundAnalysisTest {

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    private static final String LIBRARY = """
            let D = 64
            kernel proj(a: bf16[8, D], b: bf16[D, D]) -> (c: bf16[8, D]) {
              c = matmul(a, b)
            }
            """;

    private static final String PROGRAM = """
            import "lib.dfk"
            input x: bf16[8, D]
            weight w: bf16[D, D]
            output y: bf16[8, D]
            schedule { y = proj(x, w) }
            """;

    @TempDir
    static Path workspace;

    private LspSession session;

    @BeforeAll
    void startServer() throws Exception {
        Files.createDirectories(workspace.resolve("lib"));
        Files.copy(EXAMPLES.resolve("llama2_7b_prefill.dfk"), workspace.resolve("llama2_7b_prefill.dfk"));
        Files.copy(EXAMPLES.resolve("lib/llama.dfk"), workspace.resolve("lib/llama.dfk"));
        Files.writeString(workspace.resolve("lib.dfk"), LIBRARY);
        Files.writeString(workspace.resolve("prog.dfk"), PROGRAM);
        session = LspSession.startServer(Path.of("target", "background-analysis-server-stderr.txt"));
        session.initialize(workspace);
    }

    @AfterAll
    void stopServer() throws Exception {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void theBuildsDiagnosticsComeFirstAndTheHintsOfTheSameVersionFollow() throws Exception {
        Path file = workspace.resolve("llama2_7b_prefill.dfk");
        String uri = file.toUri().toString();
        session.open(uri, Files.readString(file));

        PublishDiagnosticsParams first = session.client().awaitPublication(uri, p -> Integer.valueOf(1).equals(p.getVersion()));
        assertTrue(first.getDiagnostics().stream().noneMatch(BackgroundAnalysisTest::isHint),
                "the build's diagnostics do not wait for the analysis: " + first.getDiagnostics());
        PublishDiagnosticsParams hinted = session.client().awaitPublication(uri,
                p -> p.getDiagnostics().stream().anyMatch(BackgroundAnalysisTest::isHint));
        assertEquals(1, hinted.getVersion(), "the hints of the version the first diagnostics were for");
        assertEquals(first.getDiagnostics(), hinted.getDiagnostics().stream().filter(d -> !isHint(d)).toList(),
                "the first diagnostics stand, the hints are added");

        JsonObject check = Cli.json("check", "--hints", "--format", "json", file.toString());
        List<String> cli = new ArrayList<>();
        for (JsonElement d : check.getAsJsonArray("diagnostics")) {
            JsonObject o = d.getAsJsonObject();
            if (o.get("file").getAsString().endsWith("llama2_7b_prefill.dfk")) {
                cli.add(o.get("line").getAsInt() + ":" + o.get("column").getAsInt() + " " + o.get("code").getAsString()
                        + " " + o.get("message").getAsString());
            }
        }
        List<String> lsp = hinted.getDiagnostics().stream().map(d -> (d.getRange().getStart().getLine() + 1) + ":"
                + (d.getRange().getStart().getCharacter() + 1) + " " + d.getCode().getLeft() + " " + d.getMessage()).sorted().toList();
        // the order of a publication's diagnostics means nothing in LSP; the CLI sorts by position
        assertEquals(cli.stream().sorted().toList(), lsp, "the editor shows what dfk check --hints prints");
        assertTrue(lsp.stream().anyMatch(d -> d.contains(" dfk.bandwidth-bound kernel attention is P2P-bound: ")), lsp.toString());
        Diagnostic hint = hinted.getDiagnostics().stream().filter(d -> "dfk.fusion-hint".equals(d.getCode().getLeft()))
                .findFirst().orElseThrow();
        assertEquals(DiagnosticSeverity.Information, hint.getSeverity());
    }

    @Test
    void anEditCancelsTheAnalysisOfTheVersionBeforeAndNoStaleHintArrives() throws Exception {
        Path file = workspace.resolve("llama2_7b_prefill.dfk");
        String uri = workspace.resolve("edited.dfk").toUri().toString(); // open only, not on disk
        String text = Files.readString(file);
        session.open(uri, text);
        int last = 12;
        for (int version = 2; version <= last; version++) {
            session.change(uri, version, text + "\n// edit " + version + "\n");
        }
        session.client().awaitPublication(uri,
                p -> p.getVersion() == last && p.getDiagnostics().stream().anyMatch(BackgroundAnalysisTest::isHint));

        List<PublishDiagnosticsParams> ofThisDocument = session.client().publications().stream()
                .filter(p -> p.getUri().equals(uri)).toList();
        int seen = 0;
        for (PublishDiagnosticsParams p : ofThisDocument) {
            assertTrue(p.getVersion() >= seen, "versions never go back: " + versions(ofThisDocument));
            seen = p.getVersion();
        }
        long hintPublications = ofThisDocument.stream()
                .filter(p -> p.getDiagnostics().stream().anyMatch(BackgroundAnalysisTest::isHint)).count();
        assertTrue(hintPublications < last, "most versions were superseded before their analysis: "
                + versions(ofThisDocument));
    }

    @Test
    void aProgramIsCheckedAgainWhenAKernelSignatureInItsLibraryChanges() throws Exception {
        String library = workspace.resolve("lib.dfk").toUri().toString();
        String program = workspace.resolve("prog.dfk").toUri().toString();
        session.open(library, LIBRARY);
        session.open(program, PROGRAM);
        session.client().awaitPublication(program, p -> Integer.valueOf(1).equals(p.getVersion()) && p.getDiagnostics().isEmpty());
        session.client().awaitPublication(library, p -> Integer.valueOf(1).equals(p.getVersion()));

        session.change(library, 2, LIBRARY.replace("a: bf16[8, D]", "a: bf16[16, D]").replace("c: bf16[8, D]",
                "c: bf16[16, D]"));

        List<Diagnostic> now = session.client().awaitDiagnostics(program, list -> !list.isEmpty());
        assertTrue(now.stream().anyMatch(d -> d.getSeverity() == DiagnosticSeverity.Error
                && d.getMessage().contains("[16, 64]")), now.toString());
        assertFalse(now.stream().anyMatch(BackgroundAnalysisTest::isHint), now.toString());
    }

    @Test
    void aProgramSeesTheNamesItsLibraryLosesAndGains() throws Exception {
        Files.writeString(workspace.resolve("names-lib.dfk"), LIBRARY);
        Files.writeString(workspace.resolve("names.dfk"), PROGRAM.replace("lib.dfk", "names-lib.dfk"));
        String library = workspace.resolve("names-lib.dfk").toUri().toString();
        String program = workspace.resolve("names.dfk").toUri().toString();
        session.open(library, LIBRARY);
        session.open(program, PROGRAM.replace("lib.dfk", "names-lib.dfk"));
        session.client().awaitPublication(program, p -> Integer.valueOf(1).equals(p.getVersion()) && p.getDiagnostics().isEmpty());

        session.change(library, 2, LIBRARY.replace("kernel proj(", "kernel project("));
        List<Diagnostic> lost = session.client().awaitDiagnostics(program, list -> !list.isEmpty());
        assertTrue(lost.stream().anyMatch(d -> d.getSeverity() == DiagnosticSeverity.Error && d.getMessage().contains("proj")),
                lost.toString());

        session.change(library, 3, LIBRARY);
        session.client().awaitDiagnostics(program, List::isEmpty); // the name is back, and the program sees it
    }

    /** A finding of the analysis: a fusion hint or a bandwidth bottleneck. */
    private static boolean isHint(Diagnostic d) {
        return d.getCode() != null && List.of("dfk.fusion-hint", "dfk.bandwidth-bound").contains(d.getCode().getLeft());
    }

    private static List<String> versions(List<PublishDiagnosticsParams> publications) {
        return publications.stream().map(p -> p.getVersion() + (p.getDiagnostics().stream()
                .anyMatch(BackgroundAnalysisTest::isHint) ? "+hints" : "")).toList();
    }
}
