package io.rdustudio.coe.model;

/**
 * A {@link ModelResolver} could not make a spec concrete. This is a user's error, not a bug: the
 * message names the problem and the fix in plain words (no location: the caller knows which
 * declaration it asked for and reports it there).
 */
public class ModelResolutionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelResolutionException(String message) {
        super(message);
    }

    public ModelResolutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
