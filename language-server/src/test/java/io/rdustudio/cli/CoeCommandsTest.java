package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.rdustudio.coe.DeploymentJson;

/** {@code dfk coe ...} in process, on the bundled Samba-CoE descriptor and on small broken ones. */
class CoeCommandsTest {

    static final String SAMBA = "../examples/samba_coe.coe";

    /** A small descriptor that checks clean: two Llama2-7B-class experts, a parametric router. */
    static final String SMALL = """
            deployment small
            model llama: "Llama2-7B class" {
                layers 32  hidden 4096  heads 32  ffn 11008  vocab 32000  context 4096 tokens
            }
            router: llama, tp 8
            2 experts e: llama, tp 8
            workload chat { prompt 128 tokens  output 4 tokens  arrivals 2 per second  requests 20  mix uniform }
            """;

    @TempDir
    Path dir;

    @Test
    void checkOfTheExampleIsClean() {
        Dfk.Run run = Dfk.run("coe", "check", SAMBA);
        assertEquals(0, run.exitCode(), run.printed());
        assertEquals("", run.out());
        assertTrue(run.err().contains("0 errors, 0 warnings in 1 file"), run.printed());
    }

    @Test
    void checkPrintsFileLineColumnAndExitsOne() throws IOException {
        Path bad = Dfk.write(dir, "bad.coe", SMALL.replace("2 experts e: llama, tp 8", "2 experts e: llama, tp 3"));
        Dfk.Run run = Dfk.run("coe", "check", bad.toString()).assertCleanExit();
        assertEquals(1, run.exitCode(), run.printed());
        assertTrue(run.out().startsWith(bad + ":6:24: error: expert 'e' cannot run at tensor-parallel degree 3: its 11008 "
                + "FFN columns do not split evenly over 3 devices"), run.printed());

        Dfk.Run sarif = Dfk.run("coe", "check", "--format", "sarif", bad.toString()).assertCleanExit();
        assertTrue(sarif.out().contains("\"ruleId\": \"coe.tensor-parallel\""), sarif.printed());
    }

    @Test
    void simulateReportsTheLatencySplitAndIsDeterministicPerSeed() throws IOException {
        Path small = Dfk.write(dir, "small.coe", SMALL);
        Path html = dir.resolve("out/report.html");
        Dfk.Run text = Dfk.run("coe", "simulate", small.toString(), "--report", html.toString());
        assertEquals(0, text.exitCode(), text.printed());
        assertTrue(text.out().contains("Serving simulation of 'small', workload 'chat' on sn40l-node (seed 1)"), text.out());
        assertTrue(text.out().matches("(?s).*end to end .*router .*switch .*execution .*"), text.out());
        assertTrue(Files.readString(html).contains("<svg"), "a self-contained report with charts");

        String once = Dfk.run("coe", "simulate", small.toString(), "--workload", "chat", "--format", "json", "--seed", "7").out();
        String again = Dfk.run("coe", "simulate", small.toString(), "--workload", "chat", "--format", "json", "--seed", "7").out();
        String other = Dfk.run("coe", "simulate", small.toString(), "--workload", "chat", "--format", "json", "--seed", "8").out();
        JsonObject json = JsonParser.parseString(once).getAsJsonObject();
        assertEquals("coe simulate", json.get("command").getAsString());
        assertEquals(7, json.getAsJsonObject("simulation").get("seed").getAsInt());
        assertEquals(once, again, "equal seeds, equal runs");
        assertNotEquals(once, other);

        JsonObject all = JsonParser.parseString(Dfk.run("coe", "simulate", small.toString(), "--format", "json", "--seed", "7")
                .out()).getAsJsonObject();
        assertEquals(json.get("simulation"), all.getAsJsonArray("simulations").get(0),
                "without --workload every workload, in an array: here the one");
    }

    /** The paper's four cases, declared as four workloads, served in one command and printed side by side. */
    @Test
    void simulateServesEveryWorkloadSideBySide() throws IOException {
        Path html = dir.resolve("four.html");
        Dfk.Run text = Dfk.run("coe", "simulate", SAMBA, "--requests", "100", "--report", html.toString());
        assertEquals(0, text.exitCode(), text.printed());
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.get(1).startsWith("Serving simulations of 'samba_coe' on sn40l-node: 4 workloads side by side"),
                text.out());
        assertTrue(lines.get(2).matches(" +chatbot_batch1 +chatbot_batch8 +translation_batch1 +translation_batch8"), lines.get(2));
        assertTrue(lines.get(3).matches("  batch size +1 +8 +1 +8"), lines.get(3));
        assertEquals(4 * 3, Files.readString(html).split("<svg ", -1).length - 1, "each workload's three charts");

        JsonObject json = JsonParser.parseString(Dfk.run("coe", "simulate", SAMBA, "--requests", "100", "--format", "json")
                .out()).getAsJsonObject();
        List<String> served = new ArrayList<>();
        json.getAsJsonArray("simulations").forEach(s -> served.add(s.getAsJsonObject().get("workload").getAsString() + " "
                + s.getAsJsonObject().get("batchSize").getAsInt()));
        assertEquals(List.of("chatbot_batch1 1", "chatbot_batch8 8", "translation_batch1 1", "translation_batch8 8"), served);
    }

    /** An expert given by reference to the two Llama2-7B example programs serves end to end beside the parametric class. */
    @Test
    void anExpertWrittenInDfkServesEndToEnd() {
        Dfk.Run run = Dfk.run("coe", "simulate", "../examples/llama_by_reference.coe");
        assertEquals(0, run.exitCode(), run.printed());
        assertTrue(run.out().contains("expert template: 12.6 GiB, switch 13.5 ms"), run.out());
        assertTrue(run.out().contains("expert written: 12.6 GiB, switch 13.5 ms"), run.out());
        assertTrue(run.out().contains("HBM: router 63.5 MiB, KV caches 2.0 GiB, workspace 513.1 MiB"), run.out());
    }

    @Test
    void simulateOnAGpuBaselineThatCannotHoldTheExpertsSaysSo() {
        Dfk.Run run = Dfk.run("coe", "simulate", SAMBA, "--target", "dgx-h100").assertCleanExit();
        assertEquals(1, run.exitCode(), run.printed());
        assertTrue(run.err().contains("dgx-h100 runs out of memory at 149 experts"), run.printed());
        assertTrue(run.err().contains("nothing was simulated"), run.printed());
    }

    @Test
    void usageErrorsNameWhatIsWrong() throws IOException {
        Path small = Dfk.write(dir, "small.coe", SMALL);
        Dfk.Run workload = Dfk.run("coe", "simulate", small.toString(), "--workload", "nope").assertNoTrace();
        assertEquals(2, workload.exitCode());
        assertTrue(workload.err().contains("has no workload named nope; its workloads: chat"), workload.printed());
        Dfk.Run experts = Dfk.run("coe", "sweep", small.toString(), "--experts", "a..b").assertNoTrace();
        assertEquals(2, experts.exitCode());
        assertTrue(experts.err().contains("--experts takes a range of expert counts"), experts.printed());
        Dfk.Run percentile = Dfk.run("coe", "plan", small.toString(), "--percentile", "95").assertNoTrace();
        assertEquals(2, percentile.exitCode());
        Dfk.Run notCoe = Dfk.run("coe", "check", Dfk.write(dir, "x.txt", "").toString()).assertNoTrace();
        assertEquals(2, notCoe.exitCode());
        assertTrue(notCoe.err().contains("descriptors end in .coe"), notCoe.printed());
        Dfk.Run none = Dfk.run("coe").assertNoTrace();
        assertEquals(2, none.exitCode());
    }

    @Test
    void sweepPrintsATableAndWritesTheChart() throws IOException {
        Path small = Dfk.write(dir, "small.coe", SMALL);
        Path svg = dir.resolve("sweep.svg");
        Dfk.Run run = Dfk.run("coe", "sweep", small.toString(), "--experts", "1..3", "--requests", "20", "--svg",
                svg.toString());
        assertEquals(0, run.exitCode(), run.printed());
        assertTrue(run.out().contains("sn40l-node") && run.out().contains("dgx-a100") && run.out().contains("dgx-h100"),
                run.out());
        assertTrue(Files.readString(svg).startsWith("<svg"), "the chart");
    }

    @Test
    void planFindsTheExpertsOneNodeServes() throws IOException {
        Path small = Dfk.write(dir, "small.coe", SMALL);
        Dfk.Run run = Dfk.run("coe", "plan", small.toString(), "--latency-target", "2s", "--percentile", "99");
        assertEquals(0, run.exitCode(), run.printed());
        assertTrue(run.out().contains("Capacity plan of 'small', workload 'chat' on one sn40l-node node"), run.out());
        assertTrue(run.out().contains("p99 latency at most 2.00 s"), run.out());
    }

    @Test
    void exportFollowsTheSchemaAndImportGivesADescriptorThatChecksClean() throws IOException {
        Dfk.Run export = Dfk.run("coe", "export", SAMBA);
        assertEquals(0, export.exitCode(), export.printed());
        try (InputStream schema = DeploymentJson.class.getResourceAsStream(DeploymentJson.SCHEMA_RESOURCE)) {
            JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
            Set<ValidationMessage> problems = validator.validate(new ObjectMapper().readTree(export.out()));
            assertEquals(Set.of(), problems);
        }
        Path written = dir.resolve("new/folder/samba.json");
        assertEquals(0, Dfk.run("coe", "export", SAMBA, "--out", written.toString()).exitCode());
        assertEquals(export.out(), Files.readString(written), "--out writes what stdout gets, making its folder");
        Path json = Dfk.write(dir, "samba.json", export.out());
        Path descriptor = dir.resolve("imported.coe");
        Dfk.Run imported = Dfk.run("coe", "import", json.toString(), "--out", descriptor.toString());
        assertEquals(0, imported.exitCode(), imported.printed());
        String text = Files.readString(descriptor);
        assertTrue(text.contains("30 experts translation: llama2_7b_class, domain \"translation\", tp 8"), text);
        assertTrue(text.contains("model router_model: program \""), text);

        Dfk.Run reexport = Dfk.run("coe", "export", descriptor.toString());
        assertEquals(export.out(), reexport.out(), "export, import, export gives the same JSON");
    }

    @Test
    void importOfMalformedJsonNamesTheLine() throws IOException {
        Path json = Dfk.write(dir, "broken.json", "{\n  \"format\": \"rdustudio-coe-deployment\",\n  \"version\": 1,\n  \"name\": 3\n");
        Dfk.Run run = Dfk.run("coe", "import", json.toString()).assertCleanExit();
        assertEquals(1, run.exitCode(), run.printed());
        assertTrue(run.err().startsWith(json + ":"), run.printed());
    }
}
