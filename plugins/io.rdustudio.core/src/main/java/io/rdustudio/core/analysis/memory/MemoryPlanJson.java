package io.rdustudio.core.analysis.memory;

import java.util.Optional;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonSerializer;

/** The memory plan as JSON (gson) for {@code dfk memory --format json}; an absent tier is {@code null}. */
public final class MemoryPlanJson {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
            .registerTypeHierarchyAdapter(Optional.class, (JsonSerializer<Optional<?>>) (value, type, context) -> value
                    .isPresent() ? context.serialize(value.get()) : JsonNull.INSTANCE)
            .create();

    private MemoryPlanJson() {
    }

    public static String toJson(MemoryPlan plan) {
        return GSON.toJson(plan);
    }
}
