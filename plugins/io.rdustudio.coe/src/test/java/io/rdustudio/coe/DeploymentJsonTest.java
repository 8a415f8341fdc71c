package io.rdustudio.coe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.rdustudio.coe.model.CachePolicy;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.ExpertMix;
import io.rdustudio.coe.model.Hardware;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.NodeAssignment;
import io.rdustudio.coe.model.RouterDecl;
import io.rdustudio.coe.model.RuntimePolicy;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.Tier;

class DeploymentJsonTest {

    @TempDir
    Path dir;

    private static final SourceLocation AT = Deployments.line(1);

    /** Every kind of field: two nodes, a DDR router, a reference, pinned copies, all four mixes. */
    private static Deployment everything() {
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put("finance", 3.0);
        weights.put("math_001", 1.5);
        return new Deployment("samba-coe", new Hardware("sn40l-node", 2, AT),
                new RouterDecl(ModelSpec.Parametric.llama2_7b(), Optional.of(Tier.DDR), 8, AT),
                List.of(new ExpertDecl("math", ModelSpec.Parametric.llama2_7b(), "math", DType.BF16, 8, false, 150, AT),
                        new ExpertDecl("fin", new ModelSpec.Parametric("Mistral-7B class", 32, 4096, 32, 8, 14336, 32000,
                                DType.BF16, 4096), "finance", DType.FP8E4M3, 4, true, 2, AT),
                        new ExpertDecl("ref", new ModelSpec.Reference("file:///models/llama.dfk", "prefill", "decode_step"),
                                "", DType.BF16, 8, false, 1, AT),
                        new ExpertDecl("bound", new ModelSpec.Reference("file:///models/decode.dfk", "schedule", "decode_step",
                                "file:///models/prefill.dfk", new ModelSpec.Reference.Bindings("S", "S", "B")),
                                "", DType.BF16, 8, false, 1, AT)),
                new RuntimePolicy(CachePolicy.LRU, 8, 0.025, 200, true, AT),
                List.of(new Workload("chatbot", 512, 20, 4.5, new ExpertMix.Zipf(1.1), 1000, 42, AT),
                        new Workload("translation", 256, 200, 1, new ExpertMix.Uniform(), 500, 1, AT).withBatchSize(1),
                        new Workload("weighted", 128, 20, 2, new ExpertMix.Weights(weights), 100, 7, AT),
                        new Workload("replay", 128, 20, 0, new ExpertMix.Trace(Path.of("/data/requests.jsonl")), 0, 3, AT)),
                List.of(new NodeAssignment(0, List.of("math"), AT), new NodeAssignment(1, List.of("fin", "ref"), AT)), AT);
    }

    @Test
    void aDeploymentSurvivesTheRoundTrip() {
        String json = DeploymentJson.write(everything());

        Deployment back = DeploymentJson.read("file:///d.json", json);

        assertEquals(json, DeploymentJson.write(back));
        assertEquals(everything().experts().get(1).model(), back.experts().get(1).model());
        assertEquals(everything().workloads().get(2).mix(), back.workloads().get(2).mix());
        assertEquals(everything().policy().maxBatchWaitSeconds(), back.policy().maxBatchWaitSeconds());
        assertEquals(Optional.of(Tier.DDR), back.router().weightsTier());
        assertEquals(everything().experts().get(3).model(), back.experts().get(3).model(), "programs and bindings");
        assertEquals(java.util.OptionalInt.of(1), back.workloads().get(1).batchSize());
        assertEquals(java.util.OptionalInt.empty(), back.workloads().get(0).batchSize(), "absent: the policy's");
    }

    @Test
    void exportedJsonMeetsThePublishedSchema() throws IOException {
        JsonSchema schema;
        try (InputStream in = DeploymentJson.class.getResourceAsStream(DeploymentJson.SCHEMA_RESOURCE)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        ObjectMapper json = new ObjectMapper();

        Set<ValidationMessage> good = schema.validate(json.readTree(DeploymentJson.write(everything())));
        Set<ValidationMessage> bad = schema.validate(json.readTree(DeploymentJson.write(everything()).replace("\"batchSize\": 8",
                "\"batchSize\": 0").replace("\"kind\": \"zipf\"", "\"kind\": \"poisson\"")));

        assertEquals(Set.of(), good);
        assertTrue(bad.size() >= 2, bad.toString());
    }

    @Test
    void defaultsFillWhatAToolLeavesOut() {
        Deployment d = DeploymentJson.read("file:///d.json", """
                {"name": "small",
                 "router": {"model": {"kind": "parametric", "layers": 32, "hidden": 4096, "heads": 32, "ffn": 11008,
                                      "vocab": 32000, "maxContextTokens": 4096}},
                 "experts": [{"name": "e", "model": {"kind": "parametric", "layers": 32, "hidden": 4096, "heads": 32,
                              "ffn": 11008, "vocab": 32000, "maxContextTokens": 4096}, "count": 3}],
                 "workloads": [{"name": "chat", "promptTokens": 128, "outputTokens": 20, "arrivalsPerSecond": 1}]}
                """);

        assertEquals("sn40l-node", d.hardware().targetProfile());
        assertEquals(1, d.policy().batchSize());
        assertEquals(32, ((ModelSpec.Parametric) d.router().model()).kvHeads());
        assertEquals(3, d.expertCount());
        assertEquals(new ExpertMix.Uniform(), d.workloads().get(0).mix());
        assertEquals(4, d.experts().get(0).location().line());
        assertEquals(List.of(), DeploymentCheck.check(d.withExperts(List.of(d.experts().get(0)
                .withCount(3))), new FixtureResolver(), Deployments.SN40L_NODE));
    }

    @Test
    void everyProblemIsReportedAtItsObject() {
        DeploymentException e = assertThrows(DeploymentException.class, () -> DeploymentJson.read("file:///d.json", """
                {"name": "bad",
                 "experts": [
                   {"name": "e", "count": 2.5, "colour": "red",
                    "model": {"kind": "parametric", "layers": "many", "hidden": 4096, "heads": 32, "ffn": 11008,
                              "vocab": 32000, "maxContextTokens": 4096}}],
                 "policy": {"batchSize": 8, "prefetch": "yes"}}
                """));

        assertEquals(List.of(
                "1:1 missing \"router\": the model that picks each prompt's expert",
                "4:14 \"layers\" must be a number, not the string \"many\"",
                "3:4 \"count\" must be a whole number, not 2.5",
                "3:4 unknown field \"colour\" in \"experts\"[0]; the fields are count, domain, dtype, model, name, pinned, tensorParallel",
                "6:12 \"prefetch\" must be true or false, not the string \"yes\""),
                e.diagnostics().stream().map(DeploymentJsonTest::show).toList());
    }

    @Test
    void malformedJsonNamesTheLineAndColumn() {
        DeploymentException e = assertThrows(DeploymentException.class, () -> DeploymentJson.read("file:///d.json",
                "{\"name\": \"x\",\n \"experts\": [}\n"));

        Diagnostic d = e.diagnostics().get(0);
        assertEquals(2, d.location().line());
        assertTrue(d.message().startsWith("not valid JSON: "), d.message());
    }

    @Test
    void checksOfAnImportedDeploymentPointIntoTheJson() throws IOException {
        Deployment many = Deployments.samba(1000);
        Path file = dir.resolve("many.json");
        DeploymentJson.write(many, file);

        Deployment back = DeploymentJson.read(file);
        List<Diagnostic> problems = DeploymentCheck.check(back, new FixtureResolver(), Deployments.SN40L_NODE);

        assertEquals("coe.ddr-overflow", problems.get(0).code());
        assertEquals(file.toUri().toString(), problems.get(0).location().uri());
        assertEquals(Files.readAllLines(file).indexOf("    {") + 1, problems.get(0).location().line());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    /** As the CLI's writers: the missing folders made, a file as readable as any other new file, no temporary left. */
    @Test
    void writingMakesTheFolderAndAnOrdinaryFile() throws IOException {
        Path file = dir.resolve("exports/2026/samba.json");

        DeploymentJson.write(everything(), file);

        assertEquals(DeploymentJson.write(everything()), Files.readString(file));
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Path ordinary = Files.createFile(dir.resolve("ordinary.txt"));
            assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(file));
        }
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void aTracePathIsRelativeToTheDeploymentFile() throws IOException {
        Path file = dir.resolve("d.json");
        Files.writeString(file, DeploymentJson.write(everything()).replace("/data/requests.jsonl", "requests.jsonl"));

        ExpertMix mix = DeploymentJson.read(file).workloads().get(3).mix();

        assertEquals(new ExpertMix.Trace(dir.toAbsolutePath().resolve("requests.jsonl")), mix);
    }

    private static String show(Diagnostic d) {
        return d.location().line() + ":" + d.location().column() + " " + d.message();
    }
}
