package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** {@code dfk estimate}, {@code dfk place} and {@code dfk memory} on the bundled examples. */
class AnalysisCommandsTest {

    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final String DECODE = EXAMPLES.resolve("llama2_7b_decode.dfk").toString();
    private static final String PREFILL = EXAMPLES.resolve("llama2_7b_prefill.dfk").toString();
    private static final String MONARCH = EXAMPLES.resolve("monarch_fft.dfk").toString();

    @TempDir
    Path dir;

    @Test
    void socketsOptionOverridesTheSchedule() {
        Dfk.Run tooFew = Dfk.run("estimate", "--sockets", "2", DECODE).assertNoTrace();
        assertEquals(DfkCli.EXIT_USAGE, tooFew.exitCode(), tooFew.printed());
        assertTrue(tooFew.err().contains("fewer than the 8 sockets"), tooFew.printed());

        Dfk.Run more = Dfk.run("memory", "--sockets", "16", "--format", "json", DECODE).assertNoTrace();
        assertEquals(DfkCli.EXIT_OK, more.exitCode(), more.printed());
    }

    @Test
    void estimateOfLlamaDecodeShowsHbmBoundLayersWithABand() {
        Dfk.Run run = Dfk.run("estimate", DECODE).assertNoTrace();

        assertEquals(0, run.exitCode(), run.printed());
        assertTrue(run.out().startsWith("dfk "), run.printed());
        assertTrue(run.out().lines().findFirst().orElseThrow().contains("on sn40l-node"),
                "eight sockets select the node profile\n" + run.printed());
        String layer = run.out().lines().filter(l -> l.startsWith("decoder_layer")).findFirst().orElseThrow();
        assertTrue(layer.matches(".*llama2_7b_decode\\.dfk:\\d+:\\d+\\s+32\\s.*"), layer);
        assertTrue(layer.matches(".*\\d+(\\.\\d+)? us \\([\\d.]+-[\\d.]+\\).*HBM$"), layer);
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("total")), run.printed());
    }

    @Test
    void estimateJsonNamesToolAndProfileAndParses() {
        Dfk.Run run = Dfk.run("estimate", "--format", "json", DECODE).assertNoTrace();

        assertEquals(0, run.exitCode(), run.printed());
        JsonObject root = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("dfk", root.getAsJsonObject("tool").get("name").getAsString());
        assertEquals("sn40l-node", root.getAsJsonObject("target").get("name").getAsString());
        assertEquals(64, root.getAsJsonObject("target").get("contentHash").getAsString().length());
        for (JsonElement call : root.getAsJsonArray("calls")) {
            assertEquals("HBM", call.getAsJsonObject().get("bound").getAsString(), call.toString());
        }
    }

    @Test
    void estimateKernelOptionKeepsOnlyThatKernel() {
        Dfk.Run run = Dfk.run("estimate", "--kernel", "head", DECODE).assertNoTrace();

        assertEquals(0, run.exitCode(), run.printed());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("head ")), run.printed());
        assertFalse(run.out().lines().anyMatch(l -> l.startsWith("decoder_layer")), run.printed());
    }

    @Test
    void fusionOptionPrintsTheThreeLevels() {
        Dfk.Run run = Dfk.run("estimate", "--fusion", MONARCH).assertNoTrace();

        assertEquals(0, run.exitCode(), run.printed());
        assertTrue(run.out().contains("fusion levels"), run.printed());
        for (String level : new String[] { "unfused", "as written", "largest fusion" }) {
            assertTrue(run.out().lines().anyMatch(l -> l.strip().startsWith(level) && l.contains(" us (")),
                    level + "\n" + run.printed());
        }
        assertTrue(run.out().lines().anyMatch(l -> l.strip().startsWith("unfused") && l.contains("8.06")),
                "unfused intensity as in docs/analysis.md\n" + run.printed());
    }

    @Test
    void fusionHintsCarryTheirPlace() throws IOException {
        Path file = Dfk.write(dir, "two.dfk", """
                let D = 64
                input x: bf16[8, D]
                weight w: bf16[D, D]
                output y: bf16[8, D]
                local t: bf16[8, D]
                kernel a(p: bf16[8, D], q: bf16[D, D]) -> (r: bf16[8, D]) {
                  r = matmul(p, q)
                }
                kernel b(p: bf16[8, D]) -> (r: bf16[8, D]) {
                  r = relu(p)
                }
                schedule {
                  t = a(x, w)
                  y = b(t)
                }
                """);

        Dfk.Run run = Dfk.run("estimate", "--fusion", file.toString()).assertNoTrace();

        assertEquals(0, run.exitCode(), run.printed());
        assertTrue(run.out().contains(file + ":13:3: hint: "), run.printed());
    }

    @Test
    void placeWritesAValidSvgAndJson() throws Exception {
        Path svg = dir.resolve("monarch.svg");

        Dfk.Run run = Dfk.run("place", MONARCH, "--kernel", "monarch_fft", "--svg", svg.toString(), "--format", "json")
                .assertNoTrace();

        assertEquals(0, run.exitCode(), run.printed());
        JsonObject root = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("monarch_fft", root.getAsJsonObject("placement").get("kernel").getAsString());
        assertEquals("sn40l", root.getAsJsonObject("target").get("name").getAsString());
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", document.getDocumentElement().getTagName());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void placeTextReportsUtilisationRoutesAndDieCrossing() {
        Dfk.Run run = Dfk.run("place", MONARCH, "--kernel", "monarch_fft").assertNoTrace();

        assertEquals(0, run.exitCode(), run.printed());
        for (String part : new String[] { "PCUs", "allocation:", "longest routes:", "most loaded links:",
                "die crossing:" }) {
            assertTrue(run.out().contains(part), part + "\n" + run.printed());
        }
    }

    @Test
    void unknownKernelIsAUsageErrorListingTheKernels() {
        Dfk.Run run = Dfk.run("place", DECODE, "--kernel", "attention").assertNoTrace();

        assertEquals(2, run.exitCode(), run.printed());
        assertTrue(run.err().contains("no kernel attention"), run.printed());
        assertTrue(run.err().contains("embed, decoder_layer, head"), run.printed());
        assertEquals(2, Dfk.run("estimate", DECODE, "--kernel", "attention").exitCode());
    }

    @Test
    void placeNeedsAKernel() {
        Dfk.Run run = Dfk.run("place", MONARCH).assertNoTrace();

        assertEquals(2, run.exitCode(), run.printed());
        assertTrue(run.err().contains("--kernel"), run.printed());
    }

    @Test
    void memoryOfLlamaPrefillFitsWithoutSpills() {
        Dfk.Run run = Dfk.run("memory", PREFILL).assertNoTrace();

        assertEquals(0, run.exitCode(), run.printed());
        assertTrue(run.out().contains("spills: none"), run.printed());
        assertFalse(run.out().contains("spills to DDR"), run.printed());
        assertTrue(run.out().contains("read-only"), run.printed());

        JsonObject json = JsonParser.parseString(Dfk.run("memory", "--format", "json", PREFILL).out()).getAsJsonObject();
        for (JsonElement socket : json.getAsJsonObject("plan").getAsJsonArray("socketPlans")) {
            assertEquals(new JsonArray(), socket.getAsJsonObject().getAsJsonArray("spills"));
        }
    }

    @Test
    void aFileWithErrorsPrintsItsDiagnosticsAndExitsOne() throws IOException {
        Path file = Dfk.write(dir, "bad.dfk", """
                let D = 64
                let E = D * zz
                """);

        for (String command : new String[] { "estimate", "memory" }) {
            Dfk.Run run = Dfk.run(command, file.toString()).assertNoTrace();
            assertEquals(1, run.exitCode(), run.printed());
            assertTrue(run.out().startsWith(file + ":2:"), run.printed());
            assertTrue(run.err().contains("has errors"), run.printed());
        }
    }

    @Test
    void explicitTargetIsUsedAndAnUnknownOneIsAUsageError() {
        Dfk.Run run = Dfk.run("estimate", "--target", "sn40l-node", MONARCH).assertNoTrace();
        assertEquals(0, run.exitCode(), run.printed());
        assertTrue(run.out().lines().findFirst().orElseThrow().contains("on sn40l-node"), run.printed());

        Dfk.Run unknown = Dfk.run("memory", "--target", "tpu-v9", MONARCH).assertNoTrace();
        assertEquals(2, unknown.exitCode(), unknown.printed());
    }

    @Test
    void goldenEstimateOfLlamaDecode() throws IOException {
        Golden.assertMatches("estimate-llama2_7b_decode.json",
                Dfk.run("estimate", "--format", "json", DECODE).out());
    }

    @Test
    void goldenMemoryOfLlamaPrefill() throws IOException {
        Golden.assertMatches("memory-llama2_7b_prefill.json", Dfk.run("memory", "--format", "json", PREFILL).out());
    }

    /**
     * Reviewed snapshots under {@code src/test/resources/golden}; {@code -Dgolden.update=true}
     * rewrites them (review the diff). The tool version is blanked so a release does not break them.
     */
    static final class Golden {
        private static final Path DIR = Path.of("src", "test", "resources", "golden");

        static void assertMatches(String name, String json) throws IOException {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            root.getAsJsonObject("tool").addProperty("version", "(any)");
            String actual = new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                    .toJson(root) + "\n";
            Path file = DIR.resolve(name);
            if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
                Files.createDirectories(DIR);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                assertTrue(Boolean.getBoolean("golden.update"), "wrote missing golden file " + file + "; review it");
            }
            assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
                    "output differs from " + file + "; if the change is intended, run with -Dgolden.update=true"
                            + " and review the diff");
        }
    }
}
