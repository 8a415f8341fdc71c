package io.rdustudio.coe.model;

import java.util.Objects;

/** A model spec made concrete for one target and tensor-parallel degree: what it occupies and how long it takes. */
public record ResolvedModel(ModelFootprint footprint, ModelTiming timing) {

    public ResolvedModel {
        Objects.requireNonNull(footprint, "footprint");
        Objects.requireNonNull(timing, "timing");
    }
}
