package io.rdustudio.core.ir;

/** A kernel parameter with its concrete (per-socket) type. */
public record KernelParam(String name, ParamMode mode, TensorType type, SourceLocation location) {

    public Value asValue() {
        return new Value(name, type);
    }
}
