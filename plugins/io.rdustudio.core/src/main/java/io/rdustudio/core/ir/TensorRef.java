package io.rdustudio.core.ir;

import java.util.List;

/**
 * A program tensor as a kernel call argument, optionally indexed along its leading axes
 * ({@code wq[l]} selects layer {@code l} of a stacked weight).
 */
public record TensorRef(String tensor, List<Index> indices, SourceLocation location) {

    public TensorRef {
        indices = List.copyOf(indices);
    }

    /**
     * An index {@code loopVariable + offset}, or a constant when {@code loopVariable} is null.
     * Shapes never depend on the index, so loops stay symbolic.
     */
    public record Index(String loopVariable, long offset) {

        public long evaluate(java.util.Map<String, Long> loopValues) {
            return loopVariable == null ? offset : loopValues.get(loopVariable) + offset;
        }

        @Override
        public String toString() {
            if (loopVariable == null) {
                return Long.toString(offset);
            }
            return offset == 0 ? loopVariable : loopVariable + (offset > 0 ? " + " : " - ") + Math.abs(offset);
        }
    }
}
