package io.rdustudio.core.analysis.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.ParamMode;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Step;
import io.rdustudio.core.ir.TensorRef;

/**
 * The schedule as a linear timeline of kernel calls: loops unrolled, so a loop body counts as its
 * steps repeated {@code tripCount} times. Time {@code t} is the {@code t}-th launch.
 *
 * <p>When full unrolling would exceed {@link #MAX_UNROLLED_CALLS}, every loop is unrolled
 * {@code min(tripCount, 3)} times instead ({@link #compressed()}): a first, a middle and a last
 * iteration. Shapes do not depend on the loop variable, so every middle iteration has the same
 * live set as the one kept, and the peaks are the same; only the number of versions of a local
 * (and so the "sum of all activations" figure) shrinks. Transfer totals never use the timeline:
 * they come from {@link #callCounts}, which multiplies by the real trip counts.
 */
final class Timeline {

    static final long MAX_UNROLLED_CALLS = 200_000;
    private static final int COMPRESSED_TRIPS = 3;

    /**
     * One tensor argument of one launch: {@code indices} leading axes selected ({@code w[l]} has
     * one), and the bytes the launch moves per socket (the kernel parameter's per-socket type).
     */
    record Access(String tensor, int indices, long bytesPerSocket, int tensorParallel) {
    }

    /** One launch: what it reads (IN and STATE parameters) and writes (OUT and STATE parameters). */
    record Call(int time, Step.KernelCall step, Kernel kernel, List<Access> reads, List<Access> writes) {
    }

    private final List<Call> calls;
    private final boolean compressed;
    private final boolean cancelled;

    private Timeline(List<Call> calls, boolean compressed, boolean cancelled) {
        this.calls = calls;
        this.compressed = compressed;
        this.cancelled = cancelled;
    }

    List<Call> calls() {
        return calls;
    }

    boolean compressed() {
        return compressed;
    }

    boolean cancelled() {
        return cancelled;
    }

    static Timeline of(Program program, BooleanSupplier cancel) {
        List<Step> steps = program.schedule().map(s -> s.steps()).orElse(List.of());
        boolean compress = unrolledCount(steps) > MAX_UNROLLED_CALLS;
        List<Call> calls = new ArrayList<>();
        boolean stopped = !unroll(program, steps, compress, calls, cancel);
        return new Timeline(List.copyOf(calls), compress, stopped);
    }

    private static long unrolledCount(List<Step> steps) {
        long n = 0;
        for (Step s : steps) {
            if (s instanceof Step.Loop loop) {
                n = saturatingAdd(n, saturatingMultiply(loop.tripCount(), unrolledCount(loop.body())));
            } else {
                n = saturatingAdd(n, 1);
            }
        }
        return n;
    }

    private static boolean unroll(Program program, List<Step> steps, boolean compress, List<Call> out,
            BooleanSupplier cancel) {
        for (Step s : steps) {
            if (s instanceof Step.Loop loop) {
                long trips = compress ? Math.min(loop.tripCount(), COMPRESSED_TRIPS) : loop.tripCount();
                for (long i = 0; i < trips; i++) {
                    if (!unroll(program, loop.body(), compress, out, cancel)) {
                        return false;
                    }
                }
            } else if (s instanceof Step.KernelCall call) {
                if ((out.size() & 1023) == 0 && cancel.getAsBoolean()) {
                    return false;
                }
                Kernel kernel = program.kernels().get(call.kernel());
                if (kernel != null) {
                    out.add(call(out.size(), call, kernel, program));
                }
            }
        }
        return true;
    }

    private static Call call(int time, Step.KernelCall step, Kernel kernel, Program program) {
        List<KernelParam> ins = kernel.inputs();
        List<KernelParam> outs = kernel.outputs();
        int tp = Math.max(1, kernel.hints().tensorParallel());
        List<Access> reads = new ArrayList<>();
        for (int i = 0; i < step.inputs().size() && i < ins.size(); i++) {
            reads.add(access(step.inputs().get(i), ins.get(i), tp, program));
        }
        List<Access> writes = new ArrayList<>();
        for (int i = 0; i < step.outputs().size() && i < outs.size(); i++) {
            writes.add(access(step.outputs().get(i), outs.get(i), tp, program));
        }
        return new Call(time, step, kernel, reads, writes);
    }

    private static Access access(TensorRef ref, KernelParam param, int tp, Program program) {
        return new Access(ref.tensor(), ref.indices().size(), saturatingBytes(param), tp);
    }

    private static long saturatingBytes(KernelParam param) {
        try {
            return param.type().bytes();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Launches of each kernel call step over the whole program, with the real trip counts (a call
     * inside two nested loops of 32 and 4 runs 128 times).
     */
    static Map<Step.KernelCall, Long> callCounts(Program program) {
        Map<Step.KernelCall, Long> counts = new HashMap<>();
        program.schedule().ifPresent(s -> count(s.steps(), 1, counts));
        return counts;
    }

    private static void count(List<Step> steps, long multiplier, Map<Step.KernelCall, Long> counts) {
        for (Step s : steps) {
            if (s instanceof Step.Loop loop) {
                count(loop.body(), saturatingMultiply(multiplier, loop.tripCount()), counts);
            } else if (s instanceof Step.KernelCall call) {
                counts.merge(call, multiplier, Timeline::saturatingAdd);
            }
        }
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    static long saturatingMultiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
