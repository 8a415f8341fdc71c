package io.rdustudio.core.analysis.fusion;

import io.rdustudio.core.ir.SourceLocation;

/** Why two consecutive calls were not merged by the largest legal fusion. */
public record FusionStop(String before, String after, String reason, SourceLocation location) {
}
