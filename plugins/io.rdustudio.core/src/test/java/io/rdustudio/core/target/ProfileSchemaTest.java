package io.rdustudio.core.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A structural check that the JSON Schema and the loader describe the same format. There is no
 * schema validator among the dependencies, so this compares the schema's keys, units and
 * required lists with {@link FigureKey} instead of validating the bundled files against it.
 */
class ProfileSchemaTest {

    private final JsonObject schema = readSchema();

    @Test
    void theSchemaIsDraft2020_12() {
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").getAsString());
    }

    @Test
    void everyFigureKeyIsInTheSchemaWithItsUnit() {
        JsonObject figureProperties = figureProperties();

        assertEquals(jsonKeys(List.of(FigureKey.values())), figureProperties.keySet());
        for (FigureKey key : FigureKey.values()) {
            JsonObject definition = definition(figureProperties.getAsJsonObject(key.jsonKey()));
            JsonObject properties = definition.getAsJsonObject("properties");
            assertEquals(key.unit().symbol(),
                    properties.getAsJsonObject("unit").get("const").getAsString(), key.jsonKey());
            if (key.unit().wholeNumbers()) {
                assertEquals("integer", properties.getAsJsonObject("nominal").get("type").getAsString(), key.jsonKey());
            }
        }
    }

    @Test
    void eachKindRequiresAndAllowsExactlyItsFigures() {
        for (TargetKind kind : TargetKind.values()) {
            JsonObject figuresRule = ruleFor(kind).getAsJsonObject("then")
                    .getAsJsonObject("properties").getAsJsonObject("figures");
            Set<String> expected = jsonKeys(FigureKey.requiredBy(kind));

            assertEquals(expected, strings(figuresRule.getAsJsonArray("required")), kind.jsonName());
            assertEquals(expected, strings(figuresRule.getAsJsonObject("propertyNames").getAsJsonArray("enum")),
                    kind.jsonName());
        }
    }

    @Test
    void kindsAndProvenancesMatchTheEnums() {
        assertEquals(Arrays.stream(TargetKind.values()).map(TargetKind::jsonName).collect(Collectors.toSet()),
                strings(schema.getAsJsonObject("properties").getAsJsonObject("kind").getAsJsonArray("enum")));
        JsonObject figure = schema.getAsJsonObject("$defs").getAsJsonObject("figure");
        assertEquals(Arrays.stream(Provenance.values()).map(Provenance::jsonName).collect(Collectors.toSet()),
                strings(figure.getAsJsonObject("properties").getAsJsonObject("provenance").getAsJsonArray("enum")));
        assertEquals(Set.of("nominal", "low", "high", "unit", "provenance", "source"),
                strings(figure.getAsJsonArray("required")));
    }

    @Test
    void everyKeyOfEveryBundledProfileIsInTheSchema() throws IOException {
        Set<String> topLevel = schema.getAsJsonObject("properties").keySet();
        Set<String> figures = figureProperties().keySet();
        for (String name : TargetProfiles.bundledNames()) {
            JsonObject profile = readJson("/io/rdustudio/core/target/profiles/" + name + ".json");

            assertTrue(topLevel.containsAll(profile.keySet()), name);
            assertTrue(strings(schema.getAsJsonArray("required")).stream().allMatch(profile::has), name);
            assertTrue(figures.containsAll(profile.getAsJsonObject("figures").keySet()), name);
        }
    }

    private JsonObject figureProperties() {
        return schema.getAsJsonObject("properties").getAsJsonObject("figures").getAsJsonObject("properties");
    }

    /** The unit-specific definition a figure property refers to. */
    private JsonObject definition(JsonObject property) {
        String reference = property.get("$ref").getAsString();
        assertTrue(reference.startsWith("#/$defs/"), reference);
        JsonObject definition = schema.getAsJsonObject("$defs").getAsJsonObject(reference.substring("#/$defs/".length()));
        assertNotNull(definition, reference);
        return definition;
    }

    private JsonObject ruleFor(TargetKind kind) {
        return StreamSupport.stream(schema.getAsJsonArray("allOf").spliterator(), false)
                .map(JsonElement::getAsJsonObject)
                .filter(rule -> kind.jsonName().equals(rule.getAsJsonObject("if").getAsJsonObject("properties")
                        .getAsJsonObject("kind").get("const").getAsString()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no if/then rule for kind " + kind.jsonName()));
    }

    private static Set<String> jsonKeys(List<FigureKey> keys) {
        return keys.stream().map(FigureKey::jsonKey).collect(Collectors.toSet());
    }

    private static Set<String> strings(JsonArray array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonElement::getAsString).collect(Collectors.toSet());
    }

    private static JsonObject readSchema() {
        try {
            return readJson(TargetProfiles.SCHEMA_RESOURCE);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonObject readJson(String resource) throws IOException {
        try (InputStream in = ProfileSchemaTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }
}
