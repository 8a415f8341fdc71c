package io.rdustudio.core.analysis.cost;

import io.rdustudio.core.ir.SourceLocation;

/** One kernel call site of a schedule: its cost per launch and how many times it runs. */
public record CallCost(String kernel, long calls, KernelCost perCall, SourceLocation location) {

    public Estimate totalTime() {
        return perCall.time().times(calls);
    }
}
