package io.rdustudio.core.analysis.placement;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The placement as JSON (gson): every field of {@link Placement}, units included. */
public final class PlacementJson {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    private PlacementJson() {
    }

    public static String toJson(Placement placement) {
        return GSON.toJson(placement);
    }
}
