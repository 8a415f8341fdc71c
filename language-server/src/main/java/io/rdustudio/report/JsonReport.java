package io.rdustudio.report;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.rdustudio.check.CheckDiagnostic;
import io.rdustudio.check.CheckResult;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.target.TargetProfile;

/**
 * {@code dfk check --format json}: one object with the tool, the target profile, the files
 * checked, a summary and the diagnostics. Documented in the README; fields are only ever added.
 *
 * <pre>{@code
 * { "tool": {"name": "dfk", "version": "0.1.0"},
 *   "target": {"name": "sn40l", "source": "...", "contentHash": "..."},
 *   "files": ["a.dfk"],
 *   "summary": {"errors": 1, "warnings": 0, "notes": 0, "files": 1},
 *   "diagnostics": [{"file": "a.dfk", "line": 3, "column": 5, "endLine": 3, "endColumn": 9,
 *                    "severity": "error", "code": "dfk.syntax", "message": "..."}] }
 * }</pre>
 * Columns are one-based UTF-16 code units; {@code endColumn} points just after the last character.
 */
public final class JsonReport {

    private JsonReport() {
    }

    public static String render(CheckResult result, ToolInfo tool) {
        JsonObject root = new JsonObject();
        JsonObject toolJson = new JsonObject();
        toolJson.addProperty("name", tool.name());
        toolJson.addProperty("version", tool.version());
        root.add("tool", toolJson);
        root.add("target", target(result.target()));

        JsonArray files = new JsonArray();
        result.files().forEach(files::add);
        root.add("files", files);

        JsonObject summary = new JsonObject();
        summary.addProperty("errors", result.count(Severity.ERROR));
        summary.addProperty("warnings", result.count(Severity.WARNING));
        summary.addProperty("notes", result.count(Severity.INFO) + result.count(Severity.HINT));
        summary.addProperty("files", result.files().size());
        root.add("summary", summary);

        JsonArray diagnostics = new JsonArray();
        for (CheckDiagnostic d : result.diagnostics()) {
            JsonObject json = new JsonObject();
            json.addProperty("file", d.file());
            json.addProperty("line", d.line());
            json.addProperty("column", d.column());
            json.addProperty("endLine", d.endLine());
            json.addProperty("endColumn", d.endColumn());
            json.addProperty("severity", Severities.word(d.severity()));
            json.addProperty("code", d.code());
            json.addProperty("message", d.message());
            diagnostics.add(json);
        }
        root.add("diagnostics", diagnostics);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
    }

    static JsonObject target(TargetProfile profile) {
        JsonObject json = new JsonObject();
        json.addProperty("name", profile.name());
        json.addProperty("source", profile.source());
        json.addProperty("contentHash", profile.contentHash());
        return json;
    }
}
