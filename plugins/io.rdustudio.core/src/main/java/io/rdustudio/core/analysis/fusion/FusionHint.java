package io.rdustudio.core.analysis.fusion;

import java.util.List;

import io.rdustudio.core.ir.SourceLocation;

/**
 * Consecutive kernel calls that could be one kernel, with the effect the cost model predicts and
 * the edit that applies it (the language server turns it into a quick fix).
 *
 * @param kernels          the kernel instances called, in order
 * @param callLocations    the calls to merge, in order
 * @param kernelLocations  the kernels' definitions
 * @param mergedName       a suggested name for the merged kernel
 * @param savedHbmBytes    HBM bytes the merge saves over the whole schedule
 * @param speedup          as-written time over merged time, nominal
 * @param edit             the edit in words: which calls to replace by a call of which new kernel
 */
public record FusionHint(List<String> kernels, List<SourceLocation> callLocations, List<SourceLocation> kernelLocations,
        String mergedName, double intensityBefore, double intensityAfter, double speedup, double savedHbmBytes,
        String message, String edit) {

    public FusionHint {
        kernels = List.copyOf(kernels);
        callLocations = List.copyOf(callLocations);
        kernelLocations = List.copyOf(kernelLocations);
    }
}
