package io.rdustudio.core.ir;

/** How a kernel uses a parameter. */
public enum ParamMode {
    /** Read only. */
    IN,
    /** Produced by the kernel. */
    OUT,
    /** Read and updated in place (a KV cache). */
    STATE
}
