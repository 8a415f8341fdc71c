package io.rdustudio.emulator;

/**
 * A problem a user can cause in an emulator run that is not about the data (those are
 * {@link io.rdustudio.emulator.numeric.NumericException}s): options that do not go together, too
 * few sockets for a tensor-parallel kernel, an output that cannot be written. The message names
 * what is wrong and the fix; front ends print it without a stack trace.
 */
public class EmulationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmulationException(String message) {
        super(message);
    }
}
