package io.rdustudio.core.analysis.placement;

import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.Operation;

/**
 * The work of one pipeline stage, which decides its share of PCUs. A small interface so that the
 * cost model's figures can replace the local count once they exist.
 */
public interface WorkEstimator {

    /** Work of {@code op} in {@code kernel} per kernel run, in FLOPs (or element operations); > 0. */
    double work(Kernel kernel, Operation op);
}
