package io.rdustudio.core.ir;

import java.util.Locale;

/**
 * The role of a program-level tensor. Inputs, weights and state exist on entry; state (a KV cache,
 * say) is updated in place by kernels; outputs must be produced by the schedule; locals are
 * activations passed between kernel calls.
 */
public enum Role {
    INPUT, WEIGHT, STATE, OUTPUT, LOCAL;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the tensor holds a value before the schedule starts. */
    public boolean definedOnEntry() {
        return this == INPUT || this == WEIGHT || this == STATE;
    }

    /** Whether the tensor is never written by the program (the memory plan marks it read-only). */
    public boolean readOnly() {
        return this == INPUT || this == WEIGHT;
    }
}
