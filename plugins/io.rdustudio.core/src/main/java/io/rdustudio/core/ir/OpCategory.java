package io.rdustudio.core.ir;

/** How an operator behaves as a pipeline stage; the analyses and the emulator key off it. */
public enum OpCategory {
    /** A literal scalar; never a stage. */
    CONSTANT,
    /** Element-wise maps on the PCU's SIMD body (or its tail for transcendentals). */
    ELEMENTWISE,
    /** Systolic GEMMs. */
    MATMUL,
    /** Reductions and normalisations that need a whole row before they emit it. */
    REDUCTION,
    /** Re-indexing (transpose, reshape, slice, concat, gather): an access pattern between stage buffers. */
    LAYOUT,
    /** Sequential recurrences and convolutions over the sequence axis (selective scan, conv1d). */
    SEQUENCE,
    /** Peer-to-peer collectives between sockets. */
    COLLECTIVE,
    /** Explicit copies between memory tiers. */
    COPY
}
