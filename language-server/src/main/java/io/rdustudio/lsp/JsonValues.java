package io.rdustudio.lsp;

import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * JSON forbids NaN and the infinities, and lsp4j refuses to write them (the answer would never
 * leave the server); the reports use them for an intensity with no off-chip bytes or a tensor with
 * a non-finite value. Answers therefore carry them as the strings {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"}.
 */
final class JsonValues {

    private JsonValues() {
    }

    /** {@code json} with every non-finite number replaced by its name, in place; returns {@code json}. */
    static <T extends JsonElement> T finite(T json) {
        if (json instanceof JsonObject object) {
            for (Map.Entry<String, JsonElement> e : object.entrySet()) {
                JsonElement replaced = replaced(e.getValue());
                if (replaced != null) {
                    e.setValue(replaced);
                } else {
                    finite(e.getValue());
                }
            }
        } else if (json instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                JsonElement replaced = replaced(array.get(i));
                if (replaced != null) {
                    array.set(i, replaced);
                } else {
                    finite(array.get(i));
                }
            }
        }
        return json;
    }

    private static JsonElement replaced(JsonElement value) {
        if (value instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return new JsonPrimitive(Double.toString(d));
            }
        }
        return null;
    }
}
