package io.rdustudio.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.rdustudio.check.CheckDiagnostic;
import io.rdustudio.check.CheckResult;
import io.rdustudio.check.CheckRunner;

/**
 * {@code dfk check --format sarif}: a SARIF 2.1.0 log with one run, so that CI systems (GitHub
 * code scanning and others) show the diagnostics on the lines they concern. Every distinct
 * diagnostic code becomes a rule; file locations are URIs relative to {@code %SRCROOT%}, the
 * working directory of the run. Columns are counted in UTF-16 code units, as the run declares.
 */
public final class SarifReport {

    static final String SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
    static final String SOURCE_ROOT = "%SRCROOT%";

    private static final Map<String, String> KNOWN_RULES = Map.of(
            CheckRunner.SYNTAX_CODE, "The text does not follow DFK's grammar.",
            CheckRunner.UNKNOWN_NAME_CODE, "A name refers to nothing declared or imported.",
            CheckRunner.NESTING_CODE, "An expression is nested too deeply to check.",
            CheckRunner.UNCODED_CODE, "A DFK check reported a problem without a code.",
            CheckRunner.CHECK_FAILED_CODE, "A check failed with an internal error: a bug in dfk.",
            CheckRunner.TOO_LARGE_CODE, "A file is too large to check.");

    private SarifReport() {
    }

    /**
     * @param workingDirectory the directory relative file names were given against; it becomes
     *                         {@code %SRCROOT%}
     */
    public static String render(CheckResult result, ToolInfo tool, Path workingDirectory) {
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        JsonArray rules = new JsonArray();
        JsonArray results = new JsonArray();
        for (CheckDiagnostic d : result.diagnostics()) {
            Integer index = ruleIndex.get(d.code());
            if (index == null) {
                index = rules.size();
                ruleIndex.put(d.code(), index);
                rules.add(rule(d.code()));
            }
            results.add(result(d, index));
        }

        JsonObject driver = new JsonObject();
        driver.addProperty("name", tool.name());
        driver.addProperty("version", tool.version());
        driver.addProperty("semanticVersion", tool.version());
        driver.addProperty("informationUri", tool.informationUri());
        driver.add("rules", rules);
        JsonObject toolJson = new JsonObject();
        toolJson.add("driver", driver);

        JsonObject root = new JsonObject();
        root.addProperty("uri", workingDirectory.toAbsolutePath().normalize().toUri().toString());
        JsonObject baseIds = new JsonObject();
        baseIds.add(SOURCE_ROOT, root);

        JsonObject properties = new JsonObject();
        properties.add("targetProfile", JsonReport.target(result.target()));

        JsonObject run = new JsonObject();
        run.add("tool", toolJson);
        run.add("originalUriBaseIds", baseIds);
        run.addProperty("columnKind", "utf16CodeUnits");
        run.add("results", results);
        run.add("properties", properties);

        JsonArray runs = new JsonArray();
        runs.add(run);
        JsonObject log = new JsonObject();
        log.addProperty("$schema", SCHEMA_URI);
        log.addProperty("version", "2.1.0");
        log.add("runs", runs);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(log);
    }

    private static JsonObject rule(String code) {
        JsonObject rule = new JsonObject();
        rule.addProperty("id", code);
        String description = KNOWN_RULES.get(code);
        if (description != null) {
            rule.add("shortDescription", text(description));
        }
        return rule;
    }

    private static JsonObject result(CheckDiagnostic d, int ruleIndex) {
        JsonObject region = new JsonObject();
        region.addProperty("startLine", d.line());
        region.addProperty("startColumn", d.column());
        region.addProperty("endLine", d.endLine());
        region.addProperty("endColumn", d.endColumn());

        JsonObject artifact = new JsonObject();
        String uri = artifactUri(d.file());
        artifact.addProperty("uri", uri);
        if (!uri.startsWith("file:")) {
            artifact.addProperty("uriBaseId", SOURCE_ROOT);
        }

        JsonObject physical = new JsonObject();
        physical.add("artifactLocation", artifact);
        physical.add("region", region);
        JsonObject location = new JsonObject();
        location.add("physicalLocation", physical);
        JsonArray locations = new JsonArray();
        locations.add(location);

        JsonObject result = new JsonObject();
        result.addProperty("ruleId", d.code());
        result.addProperty("ruleIndex", ruleIndex);
        result.addProperty("level", Severities.word(d.severity()));
        result.add("message", text(d.message()));
        result.add("locations", locations);
        return result;
    }

    /** A relative URI reference for a relative path, a {@code file:} URI for an absolute one. */
    static String artifactUri(String file) {
        Path path = Path.of(file);
        if (path.isAbsolute()) {
            return path.normalize().toUri().toString();
        }
        String slashed = file.replace('\\', '/');
        int colon = slashed.indexOf(':');
        int slash = slashed.indexOf('/');
        if (colon >= 0 && (slash < 0 || colon < slash)) {
            slashed = "./" + slashed; // "a:b.dfk" would read as a URI with scheme "a"
        }
        try {
            return new URI(null, null, slashed, null).getRawPath();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot express " + file + " as a URI", e);
        }
    }

    private static JsonObject text(String message) {
        JsonObject json = new JsonObject();
        json.addProperty("text", message);
        return json;
    }
}
