package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.rdustudio.report.ToolInfo;

class CheckCommandTest {

    @TempDir
    Path dir;

    @Test
    void cleanFileHasNoDiagnosticsAndExitsZero() throws IOException {
        Path file = Dfk.write(dir, "proj.dfk", Dfk.VALID);

        Dfk.Run run = Dfk.run("check", file.toString()).assertNoTrace();

        assertEquals(0, run.exitCode(), run.printed());
        assertEquals("", run.out(), run.printed());
        assertEquals("0 errors, 0 warnings in 1 file", run.err().strip());
    }

    @Test
    void syntaxErrorIsReportedAtItsLineAndColumn() throws IOException {
        Path file = Dfk.write(dir, "broken.dfk", """
                let D = 64
                input x: bf16[8, D
                let E = D
                """);

        Dfk.Run run = Dfk.run("check", file.toString()).assertNoTrace();

        assertEquals(1, run.exitCode(), run.printed());
        assertTrue(run.out().startsWith(file + ":3:1: error: "), run.printed());
        assertTrue(run.out().contains("']'"), "the message names the missing bracket\n" + run.printed());
        assertEquals("1 error, 0 warnings in 1 file", run.err().strip());
    }

    @Test
    void unknownNameIsAnErrorOnItsLine() throws IOException {
        Path file = Dfk.write(dir, "unknown.dfk", """
                let D = 64
                let E = D * zz
                """);

        Dfk.Run run = Dfk.run("check", file.toString()).assertNoTrace();

        assertEquals(1, run.exitCode(), run.printed());
        assertTrue(run.out().startsWith(file + ":2:13: error: "), run.printed());
        assertTrue(run.out().contains("zz"), run.printed());
    }

    @Test
    void shapeMismatchIsAnErrorOnTheOperatorsLine() throws IOException {
        Path file = Dfk.write(dir, "mismatch.dfk", Dfk.VALID.replace("b: bf16[D, D]", "b: bf16[32, D]")
                .replace("weight w: bf16[D, D]", "weight w: bf16[32, D]"));

        Dfk.Run run = Dfk.run("check", file.toString()).assertNoTrace();

        assertEquals(1, run.exitCode(), run.printed());
        assertTrue(run.out().contains(file + ":6:"), "an error on the matmul line\n" + run.printed());
    }

    @Test
    void diagnosticsAreSortedByFileThenLineAndSummarisedOnStderr() throws IOException {
        Path b = Dfk.write(dir, "b.dfk", "let B = zz\nlet C = (\n");
        Path a = Dfk.write(dir, "a.dfk", "let A = yy\n");

        Dfk.Run run = Dfk.run("check", b.toString(), a.toString()).assertNoTrace();

        List<String> lines = run.out().lines().toList();
        assertEquals(3, lines.size(), run.printed());
        assertTrue(lines.get(0).startsWith(a + ":1:"), run.printed());
        assertTrue(lines.get(1).startsWith(b + ":1:"), run.printed());
        assertTrue(lines.get(2).startsWith(b + ":3:") || lines.get(2).startsWith(b + ":2:"), run.printed());
        assertEquals("3 errors, 0 warnings in 2 files", run.err().strip());
    }

    @Test
    void importedFilesAreLoadedAndCheckedToo() throws IOException {
        Dfk.write(dir, "lib/dims.dfk", "let D = 64\nlet Bad = nowhere\n");
        Path main = Dfk.write(dir, "main.dfk", "import \"lib/dims.dfk\"\nlet E = D * 2\n");

        Dfk.Run run = Dfk.run("check", "--format", "json", main.toString()).assertNoTrace();

        JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
        JsonArray diagnostics = report.getAsJsonArray("diagnostics");
        assertEquals(1, diagnostics.size(), "D resolves through the import; the import's own error shows\n" + run.printed());
        JsonObject only = diagnostics.get(0).getAsJsonObject();
        assertTrue(only.get("file").getAsString().endsWith("lib/dims.dfk"), run.printed());
        assertEquals(2, only.get("line").getAsInt());
        assertEquals(2, report.getAsJsonArray("files").size());
    }

    @Test
    void jsonOutputParsesAndCarriesEveryField() throws IOException {
        Path file = Dfk.write(dir, "two.dfk", "let D = 64\nlet E = D * zz\n");

        Dfk.Run run = Dfk.run("check", "--format", "json", file.toString()).assertNoTrace();

        assertEquals(1, run.exitCode(), run.printed());
        JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("dfk", report.getAsJsonObject("tool").get("name").getAsString());
        assertEquals(ToolInfo.current().version(), report.getAsJsonObject("tool").get("version").getAsString());
        assertEquals("sn40l", report.getAsJsonObject("target").get("name").getAsString());
        assertEquals(64, report.getAsJsonObject("target").get("contentHash").getAsString().length());
        assertEquals(1, report.getAsJsonObject("summary").get("errors").getAsInt());
        JsonObject diagnostic = report.getAsJsonArray("diagnostics").get(0).getAsJsonObject();
        assertEquals(file.toString(), diagnostic.get("file").getAsString());
        assertEquals(2, diagnostic.get("line").getAsInt());
        assertEquals(13, diagnostic.get("column").getAsInt());
        assertEquals(2, diagnostic.get("endLine").getAsInt());
        assertEquals(15, diagnostic.get("endColumn").getAsInt());
        assertEquals("error", diagnostic.get("severity").getAsString());
        assertEquals("dfk.unknown-name", diagnostic.get("code").getAsString());
        assertTrue(diagnostic.get("message").getAsString().contains("zz"));
    }

    @Test
    void targetProfileIsLoadedAndNamedInTheReport() throws IOException {
        Path file = Dfk.write(dir, "proj.dfk", Dfk.VALID);

        Dfk.Run run = Dfk.run("check", "--target", "sn40l-node", "--format", "json", file.toString()).assertNoTrace();

        JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("sn40l-node", report.getAsJsonObject("target").get("name").getAsString());
    }

    @Test
    void unknownTargetProfileIsAUsageError() throws IOException {
        Path file = Dfk.write(dir, "proj.dfk", Dfk.VALID);

        Dfk.Run run = Dfk.run("check", "--target", "tpu-v9", file.toString()).assertNoTrace();

        assertEquals(2, run.exitCode(), run.printed());
        assertTrue(run.err().contains("tpu-v9"), run.printed());
        assertTrue(run.err().contains("sn40l"), "the message lists the bundled profiles\n" + run.printed());
    }

    @Test
    void brokenTargetProfileFileIsAUsageErrorNamingTheFile() throws IOException {
        Path file = Dfk.write(dir, "proj.dfk", Dfk.VALID);
        Path profile = Dfk.write(dir, "mine.json", "{ \"name\": ");

        Dfk.Run run = Dfk.run("check", "--target", profile.toString(), file.toString()).assertNoTrace();

        assertEquals(2, run.exitCode(), run.printed());
        assertTrue(run.err().contains("mine.json"), run.printed());
    }

    @Test
    void missingFileIsAUsageErrorNamingThePath() {
        Path missing = dir.resolve("nowhere/model.dfk");

        Dfk.Run run = Dfk.run("check", missing.toString()).assertNoTrace();

        assertEquals(2, run.exitCode(), run.printed());
        assertEquals("dfk: no such file: " + missing, run.err().strip());
    }

    @Test
    void fileNotEndingInDfkIsAUsageError() throws IOException {
        Path file = Dfk.write(dir, "model.txt", Dfk.VALID);

        Dfk.Run run = Dfk.run("check", file.toString()).assertNoTrace();

        assertEquals(2, run.exitCode(), run.printed());
        assertTrue(run.err().contains(file.toString()) && run.err().contains("end in .dfk"), run.printed());
    }

    @Test
    void folderIsAUsageError() {
        Dfk.Run run = Dfk.run("check", dir.toString()).assertNoTrace();

        assertEquals(2, run.exitCode(), run.printed());
        assertTrue(run.err().contains("is a folder"), run.printed());
    }

    @Test
    void unknownFormatIsAUsageError() throws IOException {
        Path file = Dfk.write(dir, "proj.dfk", Dfk.VALID);

        Dfk.Run run = Dfk.run("check", "--format", "xml", file.toString()).assertNoTrace();

        assertEquals(2, run.exitCode(), run.printed());
        assertTrue(run.err().contains("xml"), run.printed());
    }

    @Test
    void noCommandIsAUsageErrorListingTheCommands() {
        Dfk.Run run = Dfk.run().assertNoTrace();

        assertEquals(2, run.exitCode(), run.printed());
        assertTrue(run.err().contains("check") && run.err().contains("lsp"), run.printed());
    }

    @Test
    void versionNamesTheToolAndItsVersion() {
        Dfk.Run run = Dfk.run("--version");

        assertEquals(0, run.exitCode(), run.printed());
        assertEquals("dfk " + ToolInfo.current().version(), run.out().strip());
        assertTrue(ToolInfo.current().version().matches("\\d+\\.\\d+\\.\\d+.*"), "filtered from the pom");
    }

    @Test
    void performanceHintsOnlyWithHints() {
        Dfk.Run plain = Dfk.run("check", "../examples/llama2_7b_prefill.dfk").assertNoTrace();
        Dfk.Run hinted = Dfk.run("check", "--hints", "../examples/llama2_7b_prefill.dfk").assertNoTrace();
        assertEquals(0, plain.exitCode(), plain.printed());
        assertEquals(0, hinted.exitCode(), hinted.printed());
        assertFalse(plain.out().contains("could be one kernel"), plain.printed());
        assertTrue(hinted.out().contains("could be one kernel"), hinted.printed());
    }
}
