package io.rdustudio.core.ops;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelParam;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a kernel over the sockets of a node, Megatron-LM style (Shoeybi et al., arXiv:1909.08053):
 * weights are cut so that each socket does 1/degree of every large matmul, and the collectives the
 * cut needs are inserted. The result is the kernel one socket runs; all sockets run the same one.
 * See {@code docs/tensor-parallelism.md} for worked examples.
 *
 * <p><b>Input.</b> A kernel whose types describe the whole computation (whatever its hints say)
 * and which holds no collectives. It is type-checked first with {@link ShapeInference}; if an
 * operation does not check, or the kernel already holds a collective, the kernel is returned
 * unchanged with an error.
 *
 * <p><b>Shardings.</b> Every value is {@link Sharding.Kind#REPLICATED} (whole on every socket),
 * {@link Sharding.Kind#SHARDED} along one axis (socket s holds slice s, the axis' size divided by
 * the degree) or {@link Sharding.Kind#PARTIAL} (every socket holds a partial sum of the whole
 * shape). IN and STATE parameters start replicated; each one's sharding is decided at its first
 * use and never changes after: a parameter is split only when that first use asks for it (below).
 *
 * <p><b>Rules</b>, applied operation by operation in program order:
 * <ul>
 * <li>{@code matmul(x, w)} with both replicated and w an unused parameter (a weight):
 *     column-parallel, w split along N, the result sharded along its last axis.</li>
 * <li>{@code matmul(x, w)} with x sharded along K (its last axis) and w an unused parameter:
 *     row-parallel, w split along K; the partial result is summed at once by an inserted
 *     {@code allreduce}. Two operands both sharded along K give the same.</li>
 * <li>A matmul with a sharded along M and b replicated is sharded along M; with a replicated and
 *     b sharded along N, along N. Two operands sharded on the same batch axis (attention heads in
 *     {@code QK^T} and {@code PV}), or one sharded on a batch axis the other broadcasts along, give
 *     a result sharded on that axis.</li>
 * <li>Element-wise operators keep a common sharding. A sharded operand with a replicated one keeps
 *     its sharding when the other broadcasts along the sharded axis (size 1 there, or too low a rank
 *     to reach it); when the other is an unused parameter with the full size there (a bias), the
 *     parameter is split too; otherwise the sharded operand is gathered first.</li>
 * <li>{@code reshape} of a sharded axis that is the leading dimension of the group of dimensions it
 *     is split into or merged with stays sharded on the leading dimension of the new group when that
 *     is divisible by the degree: {@code [T, D]} sharded on D reshaped to {@code [T, H, Dh]} is
 *     sharded on H when H is divisible, and back. {@code transpose} and {@code permute} move the
 *     sharded axis.</li>
 * <li>{@code rope} (unless sharded along S or Dh), {@code mask} (unless along one of its last two
 *     axes), {@code softmax}, {@code slice}, {@code topk}, {@code argmax} and the reductions (unless
 *     along an axis they work on), the norms (unless along the normalised last axis), {@code concat}
 *     of equally sharded inputs (unless along the concatenated axis), {@code update} of a cache with
 *     a value sharded off the update axis (an unused cache parameter is split to match), unary
 *     element-wise operators and {@code copy} keep the sharding, moving the axis where the rank
 *     shrinks.</li>
 * <li>Everything else ({@code gather}, {@code embedding}, {@code conv1d}, {@code selective_scan}, and
 *     the cases excluded above) needs whole inputs: every sharded input is gathered first, once;
 *     later consumers reuse the gathered value.</li>
 * <li>OUT parameters must end replicated and STATE parameters as they were read: a sharded result
 *     written to one is gathered.</li>
 * </ul>
 *
 * <p><b>Output.</b> The per-socket kernel: the same name, instance name and location, hints with
 * {@code tensorParallel = degree}, split parameters' types divided along their split axis, and
 * every operation's types re-inferred per socket by {@link ShapeInference}. Inserted collectives
 * sit next to the operation that needed them and carry its location. An {@code allreduce} after
 * operation result {@code r} writes {@code r_allreduce} and later reads use it; an {@code allgather}
 * writes {@code r_allgather}. When {@code r} is an OUT or STATE parameter the collective writes
 * {@code r} instead, and the operation's own result becomes {@code r_partial} (before an
 * allreduce) or {@code r_shard} (before an allgather). A name already taken gets a suffix
 * {@code _2}, {@code _3}, ...
 *
 * <p>Errors ({@code dfk.tp-indivisible}: a weight whose split axis is not divisible by the degree,
 * which then stays replicated; {@code dfk.tp-degree}; {@code dfk.tp-collective};
 * {@code dfk.tp-state}; {@code dfk.shape-mismatch}) come back as diagnostics; nothing is thrown.
 */
public final class TensorParallelism {

    private TensorParallelism() {
    }

    /**
     * The per-socket kernel, how each parameter is split, and the problems found.
     *
     * @param paramShardings every parameter's sharding, in parameter order: replicated, or sharded
     *                       along the axis its per-socket type was divided on
     */
    public record Result(Kernel kernel, Map<String, Sharding> paramShardings, List<Diagnostic> diagnostics) {

        public Result {
            paramShardings = Collections.unmodifiableMap(new LinkedHashMap<>(paramShardings));
            diagnostics = List.copyOf(diagnostics);
        }

        public boolean hasErrors() {
            return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
        }
    }

    /**
     * Splits {@code kernel} over {@code degree} sockets. Degree 1 returns the kernel itself with
     * every parameter replicated; a degree below 1 returns it with a {@code dfk.tp-degree} error.
     */
    public static Result split(Kernel kernel, int degree) {
        if (degree == 1) {
            return new Result(kernel, replicated(kernel), List.of());
        }
        if (degree < 1) {
            return new Result(kernel, replicated(kernel), List.of(Diagnostic.error("dfk.tp-degree",
                    "the tensor-parallel degree of " + kernel.name() + " must be >= 1, got " + degree,
                    kernel.location())));
        }
        return new KernelSplitter(kernel, degree).run();
    }

    private static Map<String, Sharding> replicated(Kernel kernel) {
        Map<String, Sharding> shardings = new LinkedHashMap<>();
        for (KernelParam p : kernel.params()) {
            shardings.put(p.name(), Sharding.REPLICATED);
        }
        return shardings;
    }
}
