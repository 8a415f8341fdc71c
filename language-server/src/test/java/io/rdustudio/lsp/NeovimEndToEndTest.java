package io.rdustudio.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.rdustudio.cli.DfkCli;
import io.rdustudio.lsp.testing.Cli;

/**
 * {@code dfk lsp} in a real editor: Debian's Neovim 0.7.2, headless, runs
 * {@code src/test/nvim/dfk-e2e.lua} against the server on the Llama2-7B prefill example: the
 * diagnostics arrive with the analysis's fusion hint, a hover shows a kernel's estimate, the code
 * lenses are listed, and the schedule's "Run on emulator" lens runs through Neovim's own codelens
 * module and {@code workspace/executeCommand}; its total is the one {@code dfk run --timing-only}
 * prints. Without {@code nvim} on the PATH the test fails ({@code bash .ci/run} installs it).
 */
class NeovimEndToEndTest {

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final Path PREFILL = EXAMPLES.resolve("llama2_7b_prefill.dfk");
    private static final Path SCRIPT = Path.of("src", "test", "nvim", "dfk-e2e.lua").toAbsolutePath();

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void neovimGetsDiagnosticsHoverAndLensesAndRunsTheRunLens() throws Exception {
        Path nvim = onPath("nvim").orElseThrow(() -> new AssertionError(
                "nvim is not on the PATH: install Debian's neovim package (bash .ci/run does) to run this test"));
        Path out = Path.of("target", "nvim-e2e.json").toAbsolutePath();
        Path log = Path.of("target", "nvim-e2e.log").toAbsolutePath();
        Files.deleteIfExists(out);
        List<String> server = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), DfkCli.class.getName(), "lsp");
        ProcessBuilder editor = new ProcessBuilder(nvim.toString(), "--headless", "-u", "NONE", "-i", "NONE", "-n",
                "-c", "luafile " + SCRIPT).redirectErrorStream(true).redirectOutput(log.toFile());
        editor.environment().put("DFK_LSP_CMD", new Gson().toJson(server));
        editor.environment().put("DFK_ROOT", EXAMPLES.toString());
        editor.environment().put("DFK_FILE", PREFILL.toString());
        editor.environment().put("DFK_OUT", out.toString());
        Process process = editor.start();
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("nvim did not finish; its output: " + Files.readString(log));
        }
        assertTrue(Files.exists(out), () -> "nvim wrote no result; its output: " + read(log));
        JsonObject report = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        assertEquals(0, process.exitValue(), () -> "the script failed: " + report);

        String diagnostics = report.get("diagnostics").toString();
        assertTrue(diagnostics.contains("kernels attention and feed_forward could be one kernel"), diagnostics);
        assertTrue(report.get("hover").getAsString().contains("**kernel embed**"), report.get("hover").toString());
        assertTrue(report.get("hover").getAsString().contains("estimate: "), report.get("hover").toString());
        List<String> lenses = report.getAsJsonArray("lenses").asList().stream()
                .map(l -> l.getAsJsonObject().get("title").getAsString()).toList();
        assertTrue(lenses.contains("Run on emulator") && lenses.contains("Placement preview"), lenses.toString());
        assertTrue(lenses.stream().anyMatch(t -> t.matches("est\\. .* - .*-bound")), lenses.toString());

        JsonObject cli = Cli.json("run", "--timing-only", "--format", "json", PREFILL.toString());
        assertEquals(cli.getAsJsonObject("timing").get("totalSeconds").getAsDouble(),
                Double.parseDouble(report.get("run_total_seconds").getAsString()),
                "the lens's run emulates the same total as dfk run --timing-only");
        JsonElement skipped = report.get("numeric_skipped");
        assertNotNull(skipped, "Llama2-7B prefill is too large to run on data: the lens times it: " + report);
        Path page = Path.of(report.getAsJsonObject("run_report").get("path").getAsString());
        assertTrue(Files.readString(page).contains("llama2_7b_prefill.dfk"), page.toString());
        deleteRecursively(page.getParent());
    }

    private static Optional<Path> onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void deleteRecursively(Path folder) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
