package io.rdustudio.core.analysis.cost;

import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.SourceLocation;

/**
 * The cost of one operator: its work, and its roofline as if it were its own kernel (inputs read
 * from and outputs written to memory, the unfused view).
 *
 * @param index position of the operation in its kernel
 */
public record OpCost(int index, OpKind kind, String result, OpWork work, KernelCost unfused, SourceLocation location) {

    public double flops() {
        return work.flops();
    }
}
