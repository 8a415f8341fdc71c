package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.SourceLocation;

/**
 * A problem a user can cause in a numerical run (a bad {@code .npy} file, a program too large for
 * the memory budget, an index out of range in the data): the message names the place and the fix,
 * and front ends print it without a stack trace.
 */
public class NumericException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient SourceLocation location;

    public NumericException(String message) {
        this(message, null);
    }

    public NumericException(String message, SourceLocation location) {
        super(message);
        this.location = location;
    }

    /** Where in the program the problem arose, if anywhere. */
    public java.util.Optional<SourceLocation> location() {
        return java.util.Optional.ofNullable(location);
    }
}
