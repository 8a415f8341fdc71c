package io.rdustudio.core.ir;

/** A named value inside a kernel: a parameter or the result of an operation. */
public record Value(String name, TensorType type) {
}
