package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * {@code dfk check --format sarif} against the SARIF 2.1.0 JSON schema (a test resource; its origin
 * is in {@code src/test/resources/sarif/SOURCE.md}).
 */
class SarifOutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema sarifSchema;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = SarifOutputTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            sarifSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }

    @Test
    void logWithErrorsIsValidSarif() throws IOException {
        Path file = Dfk.write(dir, "broken.dfk", "let D = 64\nlet E = D * zz\ninput x: bf16[8, D\n");

        Dfk.Run run = Dfk.run("check", "--format", "sarif", file.toString()).assertNoTrace();

        assertEquals(1, run.exitCode(), run.printed());
        JsonNode log = assertValidSarif(run.out());
        JsonNode sarifRun = log.path("runs").path(0);
        assertEquals("dfk", sarifRun.path("tool").path("driver").path("name").asText());
        assertFalse(sarifRun.path("tool").path("driver").path("version").asText().isEmpty());
        assertFalse(sarifRun.path("tool").path("driver").path("informationUri").asText().isEmpty());

        JsonNode results = sarifRun.path("results");
        assertEquals(2, results.size(), run.out());
        JsonNode unknown = results.path(0);
        assertEquals("dfk.unknown-name", unknown.path("ruleId").asText());
        assertEquals("error", unknown.path("level").asText());
        assertTrue(unknown.path("message").path("text").asText().contains("zz"));
        JsonNode region = unknown.path("locations").path(0).path("physicalLocation").path("region");
        assertEquals(2, region.path("startLine").asInt());
        assertEquals(13, region.path("startColumn").asInt());
        assertEquals(2, region.path("endLine").asInt());
        assertEquals(15, region.path("endColumn").asInt());
        assertEquals("dfk.syntax", results.path(1).path("ruleId").asText());

        JsonNode rules = sarifRun.path("tool").path("driver").path("rules");
        assertEquals(2, rules.size(), "one rule per distinct code");
        for (JsonNode result : results) {
            assertEquals(result.path("ruleId").asText(), rules.path(result.path("ruleIndex").asInt()).path("id").asText());
        }
    }

    @Test
    void cleanRunIsValidSarifWithNoResults() throws IOException {
        Path file = Dfk.write(dir, "proj.dfk", Dfk.VALID);

        Dfk.Run run = Dfk.run("check", "--format", "sarif", file.toString()).assertNoTrace();

        assertEquals(0, run.exitCode(), run.printed());
        JsonNode log = assertValidSarif(run.out());
        assertEquals(0, log.path("runs").path(0).path("results").size());
        assertEquals("sn40l", log.path("runs").path(0).path("properties").path("targetProfile").path("name").asText());
    }

    @Test
    void relativeFileNamesBecomeRelativeUris() throws IOException {
        // surefire runs in the module folder: a file under target/ has a relative name
        Path folder = Path.of("target", "sarif-test", "with space");
        Files.createDirectories(folder); // returns the absolute path when it creates the folder
        String relative = Dfk.write(folder, "model.dfk", "let E = zz\n").toString();
        assertEquals("target/sarif-test/with space/model.dfk", relative);

        Dfk.Run run = Dfk.run("check", "--format", "sarif", relative).assertNoTrace();

        JsonNode log = assertValidSarif(run.out());
        JsonNode artifact = log.path("runs").path(0).path("results").path(0)
                .path("locations").path(0).path("physicalLocation").path("artifactLocation");
        assertEquals("target/sarif-test/with%20space/model.dfk", artifact.path("uri").asText());
        assertEquals("%SRCROOT%", artifact.path("uriBaseId").asText());
    }

    @Test
    void schemaRejectsAnInvalidLog() throws IOException {
        Set<ValidationMessage> problems = sarifSchema.validate(JSON.readTree(
                "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"dfk\"}},"
                        + " \"results\": [{\"level\": \"fatal\", \"message\": {\"text\": \"x\"}}]}]}"));
        assertFalse(problems.isEmpty(), "the validator really checks: 'fatal' is no SARIF level");
    }

    private static JsonNode assertValidSarif(String text) throws IOException {
        JsonNode log = JSON.readTree(text);
        Set<ValidationMessage> problems = sarifSchema.validate(log);
        assertTrue(problems.isEmpty(), () -> problems + "\n" + text);
        assertEquals("2.1.0", log.path("version").asText());
        assertFalse(log.path("$schema").asText().isEmpty());
        return log;
    }
}
