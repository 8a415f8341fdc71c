package io.rdustudio.core.analysis;

import java.util.ArrayList;
import java.util.List;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.Kernel;
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
                    "kernel %s has %,d stages but %s %,d PCUs (one stage needs at least one PCU); split it into several kernels",
                    kernel.name(), stages, budget < pcus ? "its pcus budget allows" : "a socket of " + profile.name() + " has",
                    budget), kernel.location()));
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
}
