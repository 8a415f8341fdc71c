package io.rdustudio.dfk.ide;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.Sizes;
import io.rdustudio.core.analysis.cost.CallCost;
import io.rdustudio.core.analysis.cost.Estimate;
import io.rdustudio.core.analysis.cost.KernelCost;
import io.rdustudio.core.analysis.fusion.ResourceNeeds;
import io.rdustudio.core.ir.Kernel;

/**
 * Words and look-ups shared by the editor features (hover, code lenses, inlay hints): the same
 * units as the {@code dfk} reports, so an editor and the command line read alike.
 */
public final class AnalysisText {

    private AnalysisText() {
    }

    /** FLOPs in decimal units: {@code 1.34 GFLOP}. */
    public static String flops(double flops) {
        return Sizes.flops(flops);
    }

    /** Bytes in decimal units ({@code 12.6 MB}). */
    public static String bytes(double bytes) {
        return bytes == 0 ? "0 B" : Sizes.decimalBytes(bytes);
    }

    /** FLOP/B with three significant figures; {@code inf} when nothing moves off chip. */
    public static String intensity(double v) {
        return Sizes.intensity(v);
    }

    /** The call sites of the instances of kernel {@code name} (its source name), in schedule order. */
    public static List<CallCost> callsOf(ProgramAnalysis.Result result, String name) {
        List<CallCost> calls = new ArrayList<>();
        if (result.cost().isEmpty()) {
            return calls;
        }
        for (CallCost call : result.cost().get().calls()) {
            Kernel kernel = result.program().kernels().get(call.kernel());
            if (call.kernel().equals(name) || kernel != null && kernel.name().equals(name)) {
                calls.add(call);
            }
        }
        return calls;
    }

    /** The time of all launches of {@code calls}; zero for none. */
    public static Estimate total(List<CallCost> calls) {
        Estimate total = Estimate.ZERO;
        for (CallCost c : calls) {
            total = total.plus(c.totalTime());
        }
        return total;
    }

    /** The bound of the call that takes the most time, or empty for no calls. */
    public static Optional<String> bottleneck(List<CallCost> calls) {
        CallCost slowest = null;
        for (CallCost c : calls) {
            if (slowest == null || c.totalTime().nominal() > slowest.totalTime().nominal()) {
                slowest = c;
            }
        }
        return Optional.ofNullable(slowest).map(c -> c.perCall().bound().label());
    }

    /** The cost of one launch of instance {@code instance}, as its first call site has it. */
    public static Optional<KernelCost> launchCost(ProgramAnalysis.Result result, String instance) {
        return result.cost().flatMap(c -> c.calls().stream().filter(call -> call.kernel().equals(instance))
                .map(CallCost::perCall).findFirst());
    }

    /** What instance {@code instance} needs of a socket, when the fusion analysis ran. */
    public static Optional<ResourceNeeds> needs(ProgramAnalysis.Result result, String instance) {
        return result.fusion().flatMap(f -> f.needs().stream().filter(n -> n.kernel().equals(instance)).findFirst());
    }

    /** {@code est. 1.8 ms (1.5-2.2) - HBM-bound}: the code lens title of a kernel or a schedule. */
    public static String lensTitle(List<CallCost> calls) {
        return "est. " + total(calls).formatSeconds() + bottleneck(calls).map(b -> " - " + b + "-bound").orElse("");
    }
}
