package io.rdustudio.core.ir;

import java.util.List;
import java.util.Optional;

/**
 * The DFK operator catalogue: spelling, arity, attributes, and a one-line signature used by
 * documentation, completion and signature help. Shape rules live in
 * {@link io.rdustudio.core.ops.ShapeInference}.
 */
public enum OpKind {
    CONST("const", OpCategory.CONSTANT, 0, 0, 1, List.of("value"), "a literal scalar, e.g. 0.5"),

    ADD("add", OpCategory.ELEMENTWISE, 2, 2, 1, List.of(), "add(a, b) or a + b: element-wise with broadcasting"),
    SUB("sub", OpCategory.ELEMENTWISE, 2, 2, 1, List.of(), "sub(a, b) or a - b: element-wise with broadcasting"),
    MUL("mul", OpCategory.ELEMENTWISE, 2, 2, 1, List.of(), "mul(a, b) or a * b: element-wise with broadcasting"),
    DIV("div", OpCategory.ELEMENTWISE, 2, 2, 1, List.of(), "div(a, b) or a / b: element-wise with broadcasting"),
    NEG("neg", OpCategory.ELEMENTWISE, 1, 1, 1, List.of(), "neg(x) or -x"),
    EXP("exp", OpCategory.ELEMENTWISE, 1, 1, 1, List.of(), "exp(x)"),
    LOG("log", OpCategory.ELEMENTWISE, 1, 1, 1, List.of(), "log(x)"),
    RSQRT("rsqrt", OpCategory.ELEMENTWISE, 1, 1, 1, List.of(), "rsqrt(x): 1 / sqrt(x)"),
    TANH("tanh", OpCategory.ELEMENTWISE, 1, 1, 1, List.of(), "tanh(x)"),
    SIGMOID("sigmoid", OpCategory.ELEMENTWISE, 1, 1, 1, List.of(), "sigmoid(x)"),
    SILU("silu", OpCategory.ELEMENTWISE, 1, 1, 1, List.of(), "silu(x): x * sigmoid(x)"),
    GELU("gelu", OpCategory.ELEMENTWISE, 1, 1, 1, List.of(), "gelu(x): tanh approximation"),
    RELU("relu", OpCategory.ELEMENTWISE, 1, 1, 1, List.of(), "relu(x)"),
    SOFTPLUS("softplus", OpCategory.ELEMENTWISE, 1, 1, 1, List.of(), "softplus(x): log(1 + exp(x))"),
    CAST("cast", OpCategory.ELEMENTWISE, 1, 1, 1, List.of("to"), "cast(x, to=fp32): convert the element type"),
    MASK("mask", OpCategory.ELEMENTWISE, 1, 1, 1, List.of("causal", "window", "sinks", "offset"),
            "mask(scores, causal=1, window=W, sinks=N, offset=P): -inf outside the visible keys of each query"),

    MATMUL("matmul", OpCategory.MATMUL, 2, 2, 1, List.of("transpose_b"),
            "matmul(a[..., M, K], b[..., K, N]) -> [..., M, N]: batched, batch dims broadcast; transpose_b=1 reads b as [..., N, K]"),

    SOFTMAX("softmax", OpCategory.REDUCTION, 1, 1, 1, List.of("axis"), "softmax(x, axis=-1)"),
    RMSNORM("rmsnorm", OpCategory.REDUCTION, 2, 2, 1, List.of("eps"), "rmsnorm(x[..., D], g[D], eps=1e-5)"),
    LAYERNORM("layernorm", OpCategory.REDUCTION, 3, 3, 1, List.of("eps"), "layernorm(x[..., D], g[D], b[D], eps=1e-5)"),
    SUM("sum", OpCategory.REDUCTION, 1, 1, 1, List.of("axis", "keepdims"), "sum(x, axis=-1 | axis=[0, 2], keepdims=0)"),
    MAX("max", OpCategory.REDUCTION, 1, 1, 1, List.of("axis", "keepdims"), "max(x, axis=-1, keepdims=0)"),
    MEAN("mean", OpCategory.REDUCTION, 1, 1, 1, List.of("axis", "keepdims"), "mean(x, axis=-1, keepdims=0)"),
    ARGMAX("argmax", OpCategory.REDUCTION, 1, 1, 1, List.of("axis"), "argmax(x, axis=-1) -> int32, axis removed"),
    TOPK("topk", OpCategory.REDUCTION, 1, 1, 2, List.of("k", "axis"), "values, indices = topk(x, k=2, axis=-1): indices are int32"),

    TRANSPOSE("transpose", OpCategory.LAYOUT, 1, 1, 1, List.of(), "transpose(x): swap the last two axes"),
    PERMUTE("permute", OpCategory.LAYOUT, 1, 1, 1, List.of("perm"), "permute(x, perm=[0, 2, 1, 3])"),
    RESHAPE("reshape", OpCategory.LAYOUT, 1, 1, 1, List.of("shape"), "reshape(x, shape=[B, S, H, D / H]): one dimension may be -1"),
    SLICE("slice", OpCategory.LAYOUT, 1, 1, 1, List.of("axis", "start", "end"), "slice(x, axis=1, start=0, end=128): end exclusive"),
    CONCAT("concat", OpCategory.LAYOUT, 2, Integer.MAX_VALUE, 1, List.of("axis"), "concat(a, b, ..., axis=-1)"),
    GATHER("gather", OpCategory.LAYOUT, 2, 2, 1, List.of("axis"), "gather(table, indices:int32, axis=0): indices' shape replaces the axis"),
    EMBEDDING("embedding", OpCategory.LAYOUT, 2, 2, 1, List.of(), "embedding(table[V, D], ids:int32[...]) -> [..., D]"),
    UPDATE("update", OpCategory.LAYOUT, 2, 2, 1, List.of("axis", "at"),
            "update(cache, x, axis=1, at=P): cache with x written at position P along axis (a KV-cache append)"),
    ROPE("rope", OpCategory.ELEMENTWISE, 1, 1, 1, List.of("offset", "theta"),
            "rope(x[..., S, H, Dh], offset=0, theta=10000): rotary position embedding over S"),

    CONV1D("conv1d", OpCategory.SEQUENCE, 2, 3, 1, List.of(),
            "conv1d(x[B, L, C], w[C, K], bias[C]?): causal depthwise convolution along L"),
    SELECTIVE_SCAN("selective_scan", OpCategory.SEQUENCE, 6, 6, 1, List.of(),
            "selective_scan(u[B, L, D], delta[B, L, D], A[D, N], Bm[B, L, N], Cm[B, L, N], Dskip[D]) -> [B, L, D]: Mamba's scan"),

    ALLREDUCE("allreduce", OpCategory.COLLECTIVE, 1, 1, 1, List.of(), "allreduce(x): sum over the kernel's tensor-parallel sockets"),
    ALLGATHER("allgather", OpCategory.COLLECTIVE, 1, 1, 1, List.of("axis"), "allgather(x, axis=-1): concatenate the sockets' shards along axis"),

    COPY("copy", OpCategory.COPY, 1, 1, 1, List.of("to"), "copy(x, to=hbm): explicit copy between memory tiers");

    private final String keyword;
    private final OpCategory category;
    private final int minInputs;
    private final int maxInputs;
    private final int outputs;
    private final List<String> attributes;
    private final String signature;

    OpKind(String keyword, OpCategory category, int minInputs, int maxInputs, int outputs, List<String> attributes,
            String signature) {
        this.keyword = keyword;
        this.category = category;
        this.minInputs = minInputs;
        this.maxInputs = maxInputs;
        this.outputs = outputs;
        this.attributes = attributes;
        this.signature = signature;
    }

    public String keyword() {
        return keyword;
    }

    public OpCategory category() {
        return category;
    }

    public int minInputs() {
        return minInputs;
    }

    public int maxInputs() {
        return maxInputs;
    }

    public int outputs() {
        return outputs;
    }

    public List<String> attributes() {
        return attributes;
    }

    public String signature() {
        return signature;
    }

    /** Whether a DFK call by this name means this operator ({@code const} is not callable). */
    public static Optional<OpKind> fromKeyword(String name) {
        for (OpKind k : values()) {
            if (k != CONST && k.keyword.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Layout operators are access patterns between stage buffers, not stages of their own (DOMAIN.md 2). */
    public boolean isStage() {
        return category != OpCategory.CONSTANT && category != OpCategory.LAYOUT || this == GATHER || this == EMBEDDING
                || this == UPDATE;
    }
}
