package io.rdustudio.core.ir;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a call of an operator looks like and what it computes, part by part: the tensor operands
 * (positional), the attributes (named, with their defaults), the result and a sentence on the
 * computation. Editors build completion items, signature help and hovers from it; the shape
 * checker names operands in its messages with it. The reference is the operator tables of
 * {@code docs/language.md}.
 *
 * @param operands   the positional tensor operands, in order
 * @param variadic   whether the last operand may repeat ({@code concat(x1, x2, ...)})
 * @param attributes the named attributes, in the order a call usually writes them
 * @param result     what the call returns, in the words of the language reference
 * @param summary    what the operator computes
 */
public record OpSignature(OpKind kind, List<Operand> operands, boolean variadic, List<Attribute> attributes,
        String result, String summary) {

    /**
     * A tensor operand.
     *
     * @param shape    the shape the operator expects, {@code [..., M, K]}, or "" for any
     * @param optional whether a call may leave it out ({@code conv1d}'s bias)
     */
    public record Operand(String name, String shape, boolean optional) {

        /** {@code a[..., M, K]}, {@code bias[C]?}. */
        public String label() {
            return name + shape + (optional ? "?" : "");
        }
    }

    /**
     * A named attribute.
     *
     * @param shown    its default as DFK text ({@code -1}, {@code 1e-5}), or for a required attribute or one
     *                 without a default value what it takes ({@code TYPE}, {@code W})
     * @param required whether every call must give it
     * @param meaning  what it controls
     */
    public record Attribute(String name, String shown, boolean required, String meaning) {

        /** {@code axis=-1}, {@code to=TIER}. */
        public String label() {
            return name + "=" + shown;
        }
    }

    public OpSignature {
        operands = List.copyOf(operands);
        attributes = List.copyOf(attributes);
    }

    private static final Map<OpKind, OpSignature> CATALOGUE = new EnumMap<>(OpKind.class);

    static {
        String broadcast = "broadcast shape of a and b, their common element type";
        binary(OpKind.ADD, "a + b, element by element, shapes broadcast as in NumPy", broadcast);
        binary(OpKind.SUB, "a - b, element by element, shapes broadcast as in NumPy", broadcast);
        binary(OpKind.MUL, "a * b, element by element, shapes broadcast as in NumPy", broadcast);
        binary(OpKind.DIV, "a / b, element by element, shapes broadcast as in NumPy", broadcast);
        unary(OpKind.NEG, "-x, element by element");
        unary(OpKind.EXP, "e^x, element by element (floating x)");
        unary(OpKind.LOG, "the natural logarithm, element by element (floating x)");
        unary(OpKind.RSQRT, "1 / sqrt(x), element by element (floating x)");
        unary(OpKind.TANH, "tanh(x), element by element (floating x)");
        unary(OpKind.SIGMOID, "1 / (1 + e^-x), element by element (floating x)");
        unary(OpKind.SILU, "x * sigmoid(x), element by element");
        unary(OpKind.GELU, "the tanh approximation of GELU, element by element");
        unary(OpKind.RELU, "max(x, 0), element by element");
        unary(OpKind.SOFTPLUS, "log(1 + e^x), element by element");
        add(OpKind.CAST, List.of(operand("x")), List.of(required("to", "TYPE", "the element type to convert to")),
                "x with element type TYPE", "converts every element to another element type");
        add(OpKind.MASK, List.of(new Operand("x", "[..., Q, K]", false)),
                List.of(attribute("causal", "0", "1: a query at position p sees only the keys at positions <= p"),
                        attribute("window", "W", "hide the keys more than W - 1 positions before the query (no window when left out)"),
                        attribute("sinks", "0", "the first sinks keys stay visible whatever the window (attention sinks)"),
                        attribute("offset", "0", "the position of query 0 (a decode step passes the new token's)")),
                "s's type",
                "sets to minus infinity the scores of the keys each query may not see, so that softmax ignores them");
        add(OpKind.MATMUL, List.of(new Operand("a", "[..., M, K]", false), new Operand("b", "[..., K, N]", false)),
                List.of(attribute("transpose_b", "0", "1: read b as [..., N, K]")), "[..., M, N], a's element type",
                "the matrix product of the last two axes, batch axes broadcast; a GEMM on the PCUs' systolic arrays");
        add(OpKind.SOFTMAX, List.of(operand("x")), List.of(attribute("axis", "-1", "the axis to normalise over")),
                "x's type", "e^x divided by its sum along the axis (floating x)");
        add(OpKind.RMSNORM, List.of(new Operand("x", "[..., D]", false), new Operand("g", "[D]", false)),
                List.of(attribute("eps", "1e-5", "added to the mean square before the root")), "x's type",
                "x / sqrt(mean(x^2) + eps) * g over the last axis, computed in FP32");
        add(OpKind.LAYERNORM,
                List.of(new Operand("x", "[..., D]", false), new Operand("g", "[D]", false),
                        new Operand("b", "[D]", false)),
                List.of(attribute("eps", "1e-5", "added to the variance before the root")), "x's type",
                "(x - mean) / sqrt(variance + eps) * g + b over the last axis, computed in FP32");
        reduction(OpKind.SUM, "the sum");
        reduction(OpKind.MAX, "the largest element");
        reduction(OpKind.MEAN, "the mean");
        add(OpKind.ARGMAX, List.of(operand("x")), List.of(attribute("axis", "-1", "the axis to search")),
                "int32, the axis removed", "the index of the largest element along the axis");
        add(OpKind.TOPK, List.of(operand("x")),
                List.of(required("k", "K", "how many of the largest values to keep, 1 <= k <= the axis' size"),
                        attribute("axis", "-1", "the axis to search")),
                "two results, values (x's type) and their int32 indices, with size k along the axis",
                "the k largest values along the axis and where they are: values, indices = topk(x, k=K)");
        add(OpKind.TRANSPOSE, List.of(new Operand("x", "[..., M, N]", false)), List.of(), "[..., N, M]",
                "swaps the last two axes; an access pattern between stage buffers, not a stage");
        add(OpKind.PERMUTE, List.of(operand("x")),
                List.of(required("perm", "[...]", "axis i of the result is axis perm[i] of x")), "x's axes reordered",
                "reorders the axes; an access pattern, not a stage");
        add(OpKind.RESHAPE, List.of(operand("x")),
                List.of(required("shape", "[...]", "the new shape; one entry may be -1, inferred")), "the given shape",
                "the same elements in another shape (element counts must match); an access pattern, not a stage");
        add(OpKind.SLICE, List.of(operand("x")),
                List.of(required("axis", "A", "the axis to slice"), attribute("start", "0", "the first index kept"),
                        attribute("end", "size", "the first index no longer kept")),
                "x with end - start along the axis", "the elements start .. end - 1 along one axis");
        add(OpKind.CONCAT, List.of(operand("x1"), operand("x2")), true,
                List.of(attribute("axis", "-1", "the axis to join along")), "sizes along the axis add up",
                "joins tensors of equal element type and rank along one axis");
        add(OpKind.GATHER, List.of(operand("table"), new Operand("indices", ": int32[...]", false)),
                List.of(attribute("axis", "0", "the axis to pick along")),
                "table's shape with the axis replaced by the indices' shape",
                "picks the slices of table that the indices name along the axis");
        add(OpKind.EMBEDDING, List.of(new Operand("table", "[V, D]", false), new Operand("ids", ": int32[...]", false)),
                List.of(), "[..., D]", "one row of the table per id: a token embedding");
        add(OpKind.UPDATE, List.of(operand("cache"), operand("x")),
                List.of(required("axis", "A", "the axis to write along"),
                        required("at", "P", "the position to write x at")),
                "cache's type",
                "cache with x written at positions at .. at + size - 1 along the axis: a KV-cache append");
        add(OpKind.ROPE, List.of(new Operand("x", "[..., S, H, Dh]", false)),
                List.of(attribute("offset", "0", "the position of row 0"),
                        attribute("theta", "10000", "the frequency base")),
                "x's type",
                "rotary position embedding: channel pairs (2i, 2i+1) of row s rotate by (offset + s) theta^(-2i/Dh)");
        add(OpKind.CONV1D,
                List.of(new Operand("x", "[B, L, C]", false), new Operand("w", "[C, K]", false),
                        new Operand("bias", "[C]", true)),
                List.of(), "x's type",
                "causal depthwise convolution along L: output l of channel c reads inputs l-K+1 .. l of channel c");
        add(OpKind.SELECTIVE_SCAN,
                List.of(new Operand("u", "[B, L, D]", false), new Operand("delta", "[B, L, D]", false),
                        new Operand("A", "[D, N]", false), new Operand("Bm", "[B, L, N]", false),
                        new Operand("Cm", "[B, L, N]", false), new Operand("Dskip", "[D]", false)),
                List.of(), "u's type",
                "Mamba's selective scan: h_t = exp(delta_t A) h_(t-1) + delta_t Bm_t u_t, y_t = Cm_t . h_t + Dskip u_t");
        add(OpKind.ALLREDUCE, List.of(operand("x")), List.of(), "x's type",
                "the sum over a tensor-parallel kernel's sockets; inserted by tp, never written by hand");
        add(OpKind.ALLGATHER, List.of(operand("x")), List.of(attribute("axis", "-1", "the axis to concatenate along")),
                "the axis times the tensor-parallel degree",
                "concatenates the sockets' shards; inserted by tp, never written by hand");
        add(OpKind.COPY, List.of(operand("x")), List.of(required("to", "TIER", "the memory tier to copy to")), "x's type",
                "an explicit copy to a memory tier (sram, hbm, ddr, host); also a schedule step");
    }

    private static Operand operand(String name) {
        return new Operand(name, "", false);
    }

    private static Attribute attribute(String name, String shown, String meaning) {
        return new Attribute(name, shown, false, meaning);
    }

    private static Attribute required(String name, String shown, String meaning) {
        return new Attribute(name, shown, true, meaning);
    }

    private static void binary(OpKind kind, String summary, String result) {
        add(kind, List.of(operand("a"), operand("b")), List.of(), result, summary);
    }

    private static void unary(OpKind kind, String summary) {
        add(kind, List.of(operand("x")), List.of(), "x's type", summary);
    }

    private static void reduction(OpKind kind, String what) {
        add(kind, List.of(operand("x")),
                List.of(attribute("axis", "-1", "the axis, or a list of axes ([0, 2]), to reduce"),
                        attribute("keepdims", "0", "1: keep each reduced axis with size 1")),
                "the reduced axes removed (kept as 1 with keepdims=1)", what + " along the axis or axes");
    }

    private static void add(OpKind kind, List<Operand> operands, List<Attribute> attributes, String result,
            String summary) {
        add(kind, operands, false, attributes, result, summary);
    }

    private static void add(OpKind kind, List<Operand> operands, boolean variadic, List<Attribute> attributes,
            String result, String summary) {
        OpSignature signature = new OpSignature(kind, operands, variadic, attributes, result, summary);
        if (!signature.attributes.stream().map(Attribute::name).toList().equals(kind.attributes())) {
            throw new IllegalStateException("the signature of " + kind + " lists other attributes than OpKind");
        }
        CATALOGUE.put(kind, signature);
    }

    /** The signature of {@code kind}; {@link OpKind#CONST} has none (it is never written as a call). */
    public static java.util.Optional<OpSignature> of(OpKind kind) {
        return java.util.Optional.ofNullable(CATALOGUE.get(kind));
    }

    /** The labels of the parameters as signature help shows them: operands, then attributes. */
    public List<String> parameterLabels() {
        List<String> labels = new ArrayList<>();
        for (Operand o : operands) {
            labels.add(o.label());
        }
        if (variadic) {
            labels.add("...");
        }
        for (Attribute a : attributes) {
            labels.add(a.label());
        }
        return labels;
    }

    /** {@code matmul(a[..., M, K], b[..., K, N], transpose_b=0)}. */
    public String label() {
        return kind.keyword() + "(" + String.join(", ", parameterLabels()) + ")";
    }

    /** The attribute called {@code name}, if the operator takes it. */
    public java.util.Optional<Attribute> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
