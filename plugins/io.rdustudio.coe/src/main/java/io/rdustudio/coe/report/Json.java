package io.rdustudio.coe.report;

import java.util.List;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.rdustudio.coe.LatencySummary;
import io.rdustudio.core.diag.Diagnostic;

/** JSON pieces the CoE reports share. */
public final class Json {

    private Json() {
    }

    /** Pretty-printed, deterministic, with a final newline. */
    public static String print(JsonElement e) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(e) + "\n";
    }

    static JsonObject latency(LatencySummary l) {
        JsonObject o = new JsonObject();
        o.addProperty("count", l.count());
        o.addProperty("mean", l.meanSeconds());
        o.addProperty("p50", l.p50Seconds());
        o.addProperty("p90", l.p90Seconds());
        o.addProperty("p99", l.p99Seconds());
        o.addProperty("max", l.maxSeconds());
        return o;
    }

    static JsonArray diagnostics(List<Diagnostic> diagnostics) {
        JsonArray a = new JsonArray();
        for (Diagnostic d : diagnostics) {
            JsonObject o = new JsonObject();
            o.addProperty("severity", d.severity().name().toLowerCase(java.util.Locale.ROOT));
            o.addProperty("code", d.code());
            o.addProperty("message", d.message());
            o.addProperty("uri", d.location().uri());
            o.addProperty("line", d.location().line());
            o.addProperty("column", d.location().column());
            a.add(o);
        }
        return a;
    }
}
