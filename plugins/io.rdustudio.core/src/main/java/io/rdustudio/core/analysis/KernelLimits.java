package io.rdustudio.core.analysis;

import java.util.ArrayList;
import java.util.List;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.target.FigureKey;
import io.rdustudio.core.target.TargetKind;
import io.rdustudio.core.target.TargetProfile;

/**
 * The coarse resource check of a kernel against one socket: one PCU per stage at least, and all
 * stage buffers ({@link StageBuffers}) within the socket's SRAM. The limits come from the profile.
 */
public final class KernelLimits {

    private KernelLimits() {
    }

    public static List<Diagnostic> check(Kernel kernel, TargetProfile profile) {
        List<Diagnostic> problems = new ArrayList<>();
        if (profile.kind() != TargetKind.RDU) {
            return problems;
        }
        long pcus = (long) profile.value(FigureKey.PCUS_PER_SOCKET);
        int stages = StageBuffers.stageCount(kernel);
        long budget = kernel.hints().pcuBudget().isPresent() ? Math.min(pcus, kernel.hints().pcuBudget().getAsInt()) : pcus;
        if (stages > budget) {
            problems.add(Diagnostic.error("dfk.too-many-stages", String.format(
                    "kernel %s needs %,d PCUs (one per stage), %s %,d; %s", kernel.name(), stages,
                    budget < pcus ? "its pcus budget allows" : "a socket of " + profile.name() + " has", budget,
                    splitPoint(kernel, budget)), kernel.location()));
        }
        long sram = (long) profile.value(FigureKey.SRAM_BYTES_PER_SOCKET);
        long needed = 0;
        StageBuffers.Buffer largest = null;
        for (StageBuffers.Buffer b : StageBuffers.of(kernel, profile)) {
            needed = needed > Long.MAX_VALUE - b.bytes() ? Long.MAX_VALUE : needed + b.bytes();
            if (largest == null || b.bytes() > largest.bytes()) {
                largest = b;
            }
        }
        if (needed > sram) {
            problems.add(Diagnostic.error("dfk.sram-overflow", String.format(
                    "kernel %s needs %s of stage buffers but a socket has %s of SRAM (largest: %s, %s); use a smaller tile hint"
                            + " or split the kernel", kernel.name(), Sizes.bytes(needed), Sizes.bytes(sram),
                    largest.value(), Sizes.bytes(largest.bytes())), kernel.location()));
        }
        return problems;
    }

    /** Where to split a kernel with more stages than {@code budget}: after its last operation that still fits. */
    private static String splitPoint(Kernel kernel, long budget) {
        List<Operation> ops = kernel.operations();
        long stages = 0;
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).kind().isStage() && ++stages > budget) {
                return i == 0 ? "split it into several kernels"
                        : splitAfter(kernel, i - 1) + ", where the stages so far still fit";
            }
        }
        return "split it into several kernels";
    }

    /**
     * "split it after operation 7 (matmul at line 12)": the advice of every resource check that finds
     * where a kernel stops fitting, {@code index} being the last operation that fits (from 0).
     */
    public static String splitAfter(Kernel kernel, int index) {
        Operation last = kernel.operations().get(index);
        return String.format("split it after operation %,d (%s at line %d)", index + 1, last.kind().keyword(),
                last.location().line());
    }
}
