package io.rdustudio.core.analysis.cost;

import java.util.List;

import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.Shape;
import io.rdustudio.core.ir.TensorType;

/**
 * The work of one operator, split by the PCU resource that does it. The counting rules (also in
 * docs/analysis.md):
 * <ul>
 * <li>{@code matmul}: {@code 2 M N K} per batch element, i.e. 2 x output elements x K, GEMM FLOPs.</li>
 * <li>add, sub, mul, div, neg, relu, cast, mask: 1 SIMD FLOP per output element.</li>
 * <li>exp, log, rsqrt, tanh, sigmoid: 1 transcendental op per output element on the PCU tail;
 *     silu 1 transcendental + 1 FLOP; gelu (tanh form) 1 transcendental + 7 FLOPs; softplus 2
 *     transcendentals + 1 FLOP; rope 3 FLOPs + 1 transcendental (sin or cos) per element.</li>
 * <li>softmax: 4 FLOPs (max, subtract, sum, divide) + 1 exp per element; rmsnorm: 4 FLOPs per element
 *     (square, sum, scale, gain) + 1 rsqrt per row; layernorm: 7 FLOPs per element + 1 rsqrt per row.</li>
 * <li>sum, max, mean, argmax: 1 FLOP per input element; topk: k FLOPs per input element.</li>
 * <li>conv1d: 2 x width FLOPs per output element (+1 with a bias); selective_scan: 7 FLOPs + 1 exp per
 *     (batch, step, channel, state) and 2 FLOPs per (batch, step, channel) for the skip term.</li>
 * <li>layout operators (transpose, permute, reshape, slice, concat, gather, embedding, update), copies
 *     and constants: 0.</li>
 * <li>collectives: 0 FLOPs; P2P bytes sent per socket over a ring of {@code n} sockets:
 *     allreduce {@code 2 (n-1)/n} x bytes, allgather {@code (n-1)/n} x output bytes.</li>
 * </ul>
 *
 * @param gemmFlops        FLOPs on systolic (GEMM) PCUs
 * @param simdFlops        FLOPs on SIMD PCUs
 * @param transcendentals  transcendental operations on the PCU tail
 * @param p2pBytes         bytes one socket sends to its peers
 */
public record OpWork(double gemmFlops, double simdFlops, double transcendentals, double p2pBytes) {

    public static final OpWork NONE = new OpWork(0, 0, 0, 0);

    /** FLOPs as intensity counts them: GEMM plus SIMD (transcendentals are counted apart). */
    public double flops() {
        return gemmFlops + simdFlops;
    }

    public OpWork plus(OpWork o) {
        return new OpWork(gemmFlops + o.gemmFlops, simdFlops + o.simdFlops, transcendentals + o.transcendentals,
                p2pBytes + o.p2pBytes);
    }

    public OpWork times(double factor) {
        return new OpWork(gemmFlops * factor, simdFlops * factor, transcendentals * factor, p2pBytes * factor);
    }

    /**
     * The work of {@code op} whose operands have {@code inputs} types, in a kernel split over
     * {@code sockets} sockets (tensor parallelism; 1 when not split).
     */
    public static OpWork of(Operation op, List<TensorType> inputs, int sockets) {
        double out = op.output().type().shape().elements();
        double in0 = inputs.isEmpty() ? 0 : inputs.get(0).shape().elements();
        return switch (op.kind()) {
            case CONST, TRANSPOSE, PERMUTE, RESHAPE, SLICE, CONCAT, GATHER, EMBEDDING, UPDATE, COPY -> NONE;
            case ADD, SUB, MUL, DIV, NEG, RELU, CAST, MASK -> simd(out);
            case EXP, LOG, RSQRT, TANH, SIGMOID -> new OpWork(0, 0, out, 0);
            case SILU -> new OpWork(0, out, out, 0);
            case GELU -> new OpWork(0, 7 * out, out, 0);
            case SOFTPLUS -> new OpWork(0, out, 2 * out, 0);
            case ROPE -> new OpWork(0, 3 * out, out, 0);
            case MATMUL -> new OpWork(2 * out * contraction(op, inputs), 0, 0, 0);
            case SOFTMAX -> new OpWork(0, 4 * out, out, 0);
            case RMSNORM -> new OpWork(0, 4 * in0, rows(inputs.get(0).shape()), 0);
            case LAYERNORM -> new OpWork(0, 7 * in0, rows(inputs.get(0).shape()), 0);
            case SUM, MAX, MEAN, ARGMAX -> simd(in0);
            case TOPK -> simd(in0 * op.attributes().integer("k").orElse(1L));
            case CONV1D -> simd(out * (2.0 * lastDim(inputs.get(1).shape()) + (inputs.size() > 2 ? 1 : 0)));
            case SELECTIVE_SCAN -> {
                double stateSize = lastDim(inputs.get(2).shape());
                yield new OpWork(0, 7 * out * stateSize + 2 * out, out * stateSize, 0);
            }
            case ALLREDUCE -> new OpWork(0, 0, 0, ring(sockets) * 2 * inputs.get(0).bytes());
            case ALLGATHER -> new OpWork(0, 0, 0, ring(sockets) * op.output().type().bytes());
        };
    }

    private static OpWork simd(double flops) {
        return new OpWork(0, flops, 0, 0);
    }

    private static double ring(int sockets) {
        return sockets <= 1 ? 0 : (sockets - 1) / (double) sockets;
    }

    private static double contraction(Operation op, List<TensorType> inputs) {
        Shape a = inputs.get(0).shape();
        return a.rank() == 0 ? 1 : a.dim(a.rank() - 1);
    }

    private static double rows(Shape s) {
        return s.rank() == 0 ? 1 : s.elements() / (double) s.dim(s.rank() - 1);
    }

    private static double lastDim(Shape s) {
        return s.rank() == 0 ? 1 : s.dim(s.rank() - 1);
    }
}
