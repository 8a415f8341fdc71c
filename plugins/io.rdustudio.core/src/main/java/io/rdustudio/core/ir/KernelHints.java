package io.rdustudio.core.ir;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Programmer hints on a kernel.
 *
 * @param tensorParallel number of sockets the kernel's matmuls are split over (1 = not split)
 * @param pcuBudget      the most PCUs the kernel may use, if limited
 * @param tileRows       rows per streamed tile (the product of all but the last axis), if fixed
 */
public record KernelHints(int tensorParallel, OptionalInt pcuBudget, OptionalLong tileRows) {

    public static final KernelHints NONE = new KernelHints(1, OptionalInt.empty(), OptionalLong.empty());
}
