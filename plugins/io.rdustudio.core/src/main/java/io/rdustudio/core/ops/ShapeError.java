package io.rdustudio.core.ops;

/**
 * A user error found while checking an operator call. The message says what is wrong without
 * the operator's name, which {@link ShapeInference} prefixes. It never escapes this package:
 * {@link ShapeInference#infer} turns it into a failed {@link ShapeInference.Inference}.
 */
final class ShapeError extends Exception {

    private static final long serialVersionUID = 1L;

    ShapeError(String message) {
        super(message, null, false, false);
    }
}
