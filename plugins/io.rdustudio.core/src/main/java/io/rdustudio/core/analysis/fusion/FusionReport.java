package io.rdustudio.core.analysis.fusion;

import java.util.List;

import io.rdustudio.core.diag.Diagnostic;

/**
 * A program at three fusion levels, the merges that the largest fusion makes as hints, and the
 * limits that stopped further merges.
 *
 * @param complete false when cancelled before the end; the levels then cover a prefix of the schedule
 */
public record FusionReport(FusionLevel unfused, FusionLevel asWritten, FusionLevel largest, List<FusionHint> hints,
        List<FusionStop> stops, List<ResourceNeeds> needs, List<Diagnostic> diagnostics, boolean complete) {

    public FusionReport {
        hints = List.copyOf(hints);
        stops = List.copyOf(stops);
        needs = List.copyOf(needs);
        diagnostics = List.copyOf(diagnostics);
    }
}
