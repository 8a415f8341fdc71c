package io.rdustudio.core.ops;

import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.OpAttributes;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.OpSignature;
import io.rdustudio.core.ir.Shape;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Tier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The shape and element-type rules of every DFK operator ({@link OpKind}): given the types of an
 * operator's inputs and its attributes, the types of its results, or a message saying what is
 * wrong. Shapes count elements; dimensions are whole numbers >= 1.
 *
 * <p><b>Contract.</b> {@link #infer} never throws for a user error: a bad arity, an unknown
 * attribute, an attribute of the wrong kind or out of range, mismatched shapes or element types,
 * and shapes too large to count in a {@code long} all give a failed {@link Inference}. Every message
 * starts with the operator's keyword, names each tensor involved as written by
 * {@link TensorType#toString()} ({@code bf16[4, 128, 64]}) and says what was expected.
 *
 * <p><b>General rules.</b>
 * <ul>
 * <li>Arity follows {@link OpKind#minInputs()} and {@link OpKind#maxInputs()}; attribute keys must be
 *     among {@link OpKind#attributes()}.</li>
 * <li>An axis may be negative and then counts from the end: {@code axis=-1} is the last.</li>
 * <li>Element-wise binary operators ({@code add sub mul div}) need equal element types, except that a
 *     rank-0 operand (a literal scalar, which is {@code fp32}) adopts the other operand's type; the
 *     result has the non-scalar operand's type (the first operand's when both are scalars). Shapes
 *     broadcast as in NumPy: trailing dimensions are aligned and each pair must be equal or contain
 *     a 1.</li>
 * <li>Transcendentals ({@code exp log rsqrt tanh sigmoid silu gelu softplus}), {@code softmax},
 *     {@code rmsnorm}, {@code layernorm}, {@code mask} and {@code rope} need a floating-point
 *     input; {@code neg}, {@code relu}, {@code copy} and the collectives take any type.</li>
 * <li>An input or result whose element or byte count overflows a {@code long} is "shape too
 *     large".</li>
 * </ul>
 *
 * <p><b>Operators.</b>
 * <ul>
 * <li>{@code const} (no inputs): an {@code fp32} scalar; {@code value} must be a number.</li>
 * <li>{@code cast(x, to=T)}: x with element type T (a dtype keyword, required).</li>
 * <li>{@code mask(x)}: x's type, rank >= 2 ({@code [..., queries, keys]}); {@code causal} 0/1,
 *     {@code window} >= 1, {@code sinks} >= 0, {@code offset} >= 0, all optional.</li>
 * <li>{@code matmul(a[..., M, K], b[..., K, N])} is {@code [..., M, N]}; both ranks >= 2, batch
 *     dimensions broadcast, {@code transpose_b=1} reads b as {@code [..., N, K]}; equal element
 *     types, kept by the result.</li>
 * <li>{@code softmax(x, axis=-1)}: x's type.</li>
 * <li>{@code rmsnorm(x[..., D], g[D])}, {@code layernorm(x[..., D], g[D], b[D])}: x's type; the
 *     gains may have another floating type (norms compute in FP32); {@code eps} > 0, optional.</li>
 * <li>{@code sum|max|mean(x, axis=-1 | axis=[..], keepdims=0)}: the listed axes (default the last)
 *     removed, or kept with size 1 when {@code keepdims=1}; reducing every axis gives a scalar.</li>
 * <li>{@code argmax(x, axis=-1)}: {@code int32}, the axis removed.</li>
 * <li>{@code topk(x, k, axis=-1)}: two results, the values (x's type, size k along the axis) and
 *     their {@code int32} indices of the same shape; k is required, 1 <= k <= the axis' size.</li>
 * <li>{@code transpose(x)}: rank >= 2, the last two axes swapped.</li>
 * <li>{@code permute(x, perm)}: perm a permutation of 0..rank-1; result axis i is x's axis perm[i].</li>
 * <li>{@code reshape(x, shape)}: each entry >= 1 or -1; at most one -1, inferred from the element
 *     count; element counts must match.</li>
 * <li>{@code slice(x, axis, start=0, end=size)}: axis required, 0 <= start < end <= size, end
 *     exclusive.</li>
 * <li>{@code concat(x1, x2, ..., axis=-1)}: equal element types and ranks, equal dimensions except
 *     along the axis, whose sizes add up.</li>
 * <li>{@code gather(table, indices, axis=0)}: indices {@code int32};
 *     {@code table.shape[:axis] + indices.shape + table.shape[axis+1:]}.</li>
 * <li>{@code embedding(table[V, D], ids[...])}: ids {@code int32}; {@code [..., D]}.</li>
 * <li>{@code update(cache, x, axis, at)}: both required; x has cache's element type, rank and
 *     dimensions except along the axis, where {@code at >= 0} and {@code at + x.size <= cache.size};
 *     the result is cache's type.</li>
 * <li>{@code rope(x[..., S, H, Dh])}: rank >= 3, Dh even; x's type; {@code offset} >= 0 and
 *     {@code theta} > 0, optional.</li>
 * <li>{@code conv1d(x[B, L, C], w[C, K], bias[C]?)}: x's type; w and bias have x's element type.</li>
 * <li>{@code selective_scan(u[B, L, D], delta[B, L, D], A[D, N], Bm[B, L, N], Cm[B, L, N], Dskip[D])}:
 *     u's type; every operand floating.</li>
 * <li>{@code allreduce(x)}: x's type. {@code allgather(x, axis=-1)}: the axis multiplied by the
 *     tensor-parallel degree (see {@link #infer(OpKind, List, OpAttributes, int)}).</li>
 * <li>{@code copy(x, to=tier)}: x's type; {@code to} is required, one of {@code sram hbm ddr host}.</li>
 * </ul>
 */
public final class ShapeInference {

    /** The axis an operator works on when the call gives none: the last. */
    static final long DEFAULT_AXIS = -1;

    /** {@code gather} picks along the leading axis by default. */
    static final long DEFAULT_GATHER_AXIS = 0;

    private ShapeInference() {
    }

    /**
     * The outcome of one inference: the result types (one, or two for {@code topk}) or an error
     * message. Exactly one of the two is present: {@code outputs} is empty and {@code error} set on
     * failure, {@code error} is null on success.
     */
    public record Inference(List<TensorType> outputs, String error) {

        public Inference {
            outputs = List.copyOf(outputs);
            if (outputs.isEmpty() == (error == null)) {
                throw new IllegalArgumentException("an inference has either outputs or an error");
            }
        }

        public static Inference of(List<TensorType> outputs) {
            return new Inference(outputs, null);
        }

        public static Inference of(TensorType... outputs) {
            return of(Arrays.asList(outputs));
        }

        public static Inference failure(String error) {
            return new Inference(List.of(), Objects.requireNonNull(error, "error"));
        }

        public boolean ok() {
            return error == null;
        }

        /** The first (usually only) result type. */
        public TensorType output() {
            if (!ok()) {
                throw new IllegalStateException("no output: " + error);
            }
            return outputs.get(0);
        }
    }

    /**
     * Infers the result types of one operator call with the tensor-parallel degree unknown, taken
     * as 1 (so {@code allgather} keeps its input's shape).
     *
     * @param attributes the call's attributes; null means none
     */
    public static Inference infer(OpKind kind, List<TensorType> inputs, OpAttributes attributes) {
        return infer(kind, inputs, attributes, 1);
    }

    /**
     * Infers the result types of one operator call inside a kernel split over
     * {@code tensorParallel} sockets. Only {@code allgather} depends on the degree: it concatenates
     * the sockets' shards, so its axis grows by that factor.
     *
     * @param attributes     the call's attributes; null means none
     * @param tensorParallel sockets the kernel is split over, >= 1
     */
    public static Inference infer(OpKind kind, List<TensorType> inputs, OpAttributes attributes, int tensorParallel) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(inputs, "inputs");
        OpAttributes given = attributes == null ? OpAttributes.NONE : attributes;
        try {
            checkArity(kind, inputs.size());
            Operands in = new Operands(kind, inputs);
            for (int i = 0; i < inputs.size(); i++) {
                checkDimensions(in, i);
            }
            AttributeReader attrs = new AttributeReader(kind, given);
            attrs.checkKeys();
            List<TensorType> outputs = apply(kind, in, attrs, tensorParallel);
            for (TensorType t : outputs) {
                checkSize("the result", t);
            }
            return Inference.of(outputs);
        } catch (ShapeError e) {
            return Inference.failure(kind.keyword() + ": " + e.getMessage());
        } catch (ArithmeticException e) {
            return Inference.failure(kind.keyword() + ": shape too large: a dimension or element count of the result"
                    + " exceeds 2^63 - 1");
        }
    }

    /**
     * The axis an operator with one {@code axis} attribute works on, from attributes that
     * {@link #infer} accepted, normalised to 0..rank-1. Used by passes that must agree with the
     * rules above on defaults.
     */
    static int axisOf(OpKind kind, OpAttributes attributes, int rank) {
        long fallback = kind == OpKind.GATHER ? DEFAULT_GATHER_AXIS : DEFAULT_AXIS;
        return normalize(attributes.integer("axis").orElse(fallback), rank);
    }

    /** The axes a {@code sum}, {@code max} or {@code mean} that {@link #infer} accepted reduces. */
    static Set<Integer> reducedAxesOf(OpAttributes attributes, int rank) {
        Set<Integer> axes = new TreeSet<>();
        for (long axis : attributes.integerList("axis").orElse(List.of(DEFAULT_AXIS))) {
            axes.add(normalize(axis, rank));
        }
        return axes;
    }

    private static int normalize(long axis, int rank) {
        return (int) (axis < 0 ? axis + rank : axis);
    }

    private static List<TensorType> apply(OpKind kind, Operands in, AttributeReader attrs, int tensorParallel)
            throws ShapeError {
        return switch (kind) {
            case CONST -> List.of(constant(attrs));
            case ADD, SUB, MUL, DIV -> List.of(binary(in));
            case NEG, RELU, ALLREDUCE -> List.of(in.type(0));
            case EXP, LOG, RSQRT, TANH, SIGMOID, SILU, GELU, SOFTPLUS -> List.of(floating(in, 0));
            case CAST -> List.of(cast(in, attrs));
            case MASK -> List.of(mask(in, attrs));
            case MATMUL -> List.of(matmul(in, attrs));
            case SOFTMAX -> List.of(softmax(in, attrs));
            case RMSNORM, LAYERNORM -> List.of(norm(in, attrs));
            case SUM, MAX, MEAN -> List.of(reduce(in, attrs));
            case ARGMAX -> List.of(argmax(in, attrs));
            case TOPK -> topk(in, attrs);
            case TRANSPOSE -> List.of(transpose(in));
            case PERMUTE -> List.of(permute(in, attrs));
            case RESHAPE -> List.of(reshape(in, attrs));
            case SLICE -> List.of(slice(in, attrs));
            case CONCAT -> List.of(concat(in, attrs));
            case GATHER -> List.of(gather(in, attrs));
            case EMBEDDING -> List.of(embedding(in));
            case UPDATE -> List.of(update(in, attrs));
            case ROPE -> List.of(rope(in, attrs));
            case CONV1D -> List.of(conv1d(in));
            case SELECTIVE_SCAN -> List.of(selectiveScan(in));
            case ALLGATHER -> List.of(allgather(in, attrs, tensorParallel));
            case COPY -> List.of(copy(in, attrs));
        };
    }

    // ---- checks shared by every operator

    private static void checkArity(OpKind kind, int given) throws ShapeError {
        if (given >= kind.minInputs() && given <= kind.maxInputs()) {
            return;
        }
        String expected;
        if (kind.minInputs() == kind.maxInputs()) {
            expected = kind.minInputs() + (kind.minInputs() == 1 ? " input" : " inputs");
        } else if (kind.maxInputs() == Integer.MAX_VALUE) {
            expected = "at least " + kind.minInputs() + " inputs";
        } else {
            expected = kind.minInputs() + " to " + kind.maxInputs() + " inputs";
        }
        throw new ShapeError("expects " + expected + " but got " + given + " (" + kind.signature() + ")");
    }

    private static void checkDimensions(Operands in, int i) throws ShapeError {
        for (long d : in.type(i).shape().dims()) {
            if (d < 1) {
                throw new ShapeError(in.describe(i) + ", which has a dimension below 1; every dimension must be >= 1");
            }
        }
        checkSize(in.label(i), in.type(i));
    }

    private static void checkSize(String what, TensorType type) throws ShapeError {
        try {
            type.bytes();
        } catch (ArithmeticException e) {
            throw new ShapeError("shape too large: " + what + " " + type + " holds more than 2^63 - 1 bytes");
        }
    }

    // ---- element-wise

    private static TensorType constant(AttributeReader attrs) throws ShapeError {
        attrs.number("value");
        return new TensorType(DType.FP32, Shape.SCALAR);
    }

    private static TensorType binary(Operands in) throws ShapeError {
        TensorType a = in.type(0);
        TensorType b = in.type(1);
        DType dtype;
        if (a.shape().rank() == 0 && b.shape().rank() > 0) {
            dtype = b.dtype();
        } else if (b.shape().rank() == 0) {
            dtype = a.dtype();
        } else {
            sameDType(in, 0, 1);
            dtype = a.dtype();
        }
        Optional<Shape> shape = broadcast(a.shape(), b.shape());
        if (shape.isEmpty()) {
            throw new ShapeError("shapes do not broadcast: " + in.describe(0) + " and " + in.describe(1) + " ("
                    + conflict(a.shape(), b.shape()) + "; trailing dimensions must be equal or 1)");
        }
        return new TensorType(dtype, shape.get());
    }

    private static TensorType cast(Operands in, AttributeReader attrs) throws ShapeError {
        String expected = Arrays.stream(DType.values()).map(DType::keyword).collect(Collectors.joining(", "));
        String to = attrs.requiredName("to", expected);
        Optional<DType> dtype = DType.fromKeyword(to);
        if (dtype.isEmpty()) {
            throw new ShapeError("unknown element type '" + to + "' for to; expected one of " + expected);
        }
        return in.type(0).withDType(dtype.get());
    }

    private static TensorType mask(Operands in, AttributeReader attrs) throws ShapeError {
        requireRank(in, 0, 2, "[..., queries, keys]");
        attrs.flag("causal");
        attrs.atLeast("window", 1, 1);
        attrs.atLeast("sinks", 0, 0);
        attrs.atLeast("offset", 0, 0);
        return floating(in, 0);
    }

    private static TensorType rope(Operands in, AttributeReader attrs) throws ShapeError {
        TensorType x = floating(in, 0);
        requireRank(in, 0, 3, "[..., S, H, Dh]");
        long headDim = lastDim(x.shape());
        if (headDim % 2 != 0) {
            throw new ShapeError("the head dimension must be even (rope rotates pairs of elements): " + in.describe(0)
                    + ", so Dh = " + headDim);
        }
        attrs.atLeast("offset", 0, 0);
        attrs.positiveNumber("theta");
        return x;
    }

    // ---- matmul

    private static TensorType matmul(Operands in, AttributeReader attrs) throws ShapeError {
        boolean transposeB = attrs.flag("transpose_b");
        requireRank(in, 0, 2, "[..., M, K]");
        requireRank(in, 1, 2, transposeB ? "[..., N, K] with transpose_b=1" : "[..., K, N]");
        sameDType(in, 0, 1);
        Shape a = in.type(0).shape();
        Shape b = in.type(1).shape();
        long m = a.dim(a.rank() - 2);
        long k = a.dim(a.rank() - 1);
        long bk = transposeB ? b.dim(b.rank() - 1) : b.dim(b.rank() - 2);
        long n = transposeB ? b.dim(b.rank() - 2) : b.dim(b.rank() - 1);
        if (k != bk) {
            throw new ShapeError("inner dimensions differ: " + in.describe(0) + " (K = " + k + ") but "
                    + in.describe(1) + (transposeB ? " read as [..., N, K] with transpose_b=1" : "") + " (K = " + bk
                    + ")");
        }
        Shape batchA = leading(a, a.rank() - 2);
        Shape batchB = leading(b, b.rank() - 2);
        Optional<Shape> batch = broadcast(batchA, batchB);
        if (batch.isEmpty()) {
            throw new ShapeError("batch dimensions do not broadcast: " + in.describe(0) + " (batch " + batchA
                    + ") but " + in.describe(1) + " (batch " + batchB + "); " + conflict(batchA, batchB)
                    + ", trailing batch dimensions must be equal or 1");
        }
        List<Long> dims = new ArrayList<>(batch.get().dims());
        dims.add(m);
        dims.add(n);
        return in.type(0).withShape(new Shape(dims));
    }

    // ---- reductions and normalisations

    private static TensorType softmax(Operands in, AttributeReader attrs) throws ShapeError {
        TensorType x = floating(in, 0);
        axis(attrs.integer("axis", DEFAULT_AXIS), in, 0, "axis");
        return x;
    }

    private static TensorType norm(Operands in, AttributeReader attrs) throws ShapeError {
        TensorType x = floating(in, 0);
        requireRank(in, 0, 1, "[..., D]");
        long d = lastDim(x.shape());
        for (int i = 1; i < in.count(); i++) {
            floating(in, i);
            Shape g = in.type(i).shape();
            if (g.rank() != 1 || g.dim(0) != d) {
                throw new ShapeError(in.label(i) + " must be [D] with D = " + d + ", the last dimension of x: "
                        + in.describe(0) + " but " + in.describe(i));
            }
        }
        attrs.positiveNumber("eps");
        return x;
    }

    private static TensorType reduce(Operands in, AttributeReader attrs) throws ShapeError {
        List<Long> listed = attrs.integers("axis").orElse(List.of(DEFAULT_AXIS));
        if (listed.isEmpty()) {
            throw new ShapeError("axis=[] reduces nothing: " + in.describe(0) + "; list at least one axis");
        }
        boolean keepDims = attrs.flag("keepdims");
        Set<Integer> axes = new TreeSet<>();
        for (long axis : listed) {
            if (!axes.add(axis(axis, in, 0, "axis"))) {
                throw new ShapeError("axis=" + listed + " names the same axis twice: " + in.describe(0));
            }
        }
        Shape x = in.type(0).shape();
        List<Long> dims = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!axes.contains(i)) {
                dims.add(x.dim(i));
            } else if (keepDims) {
                dims.add(1L);
            }
        }
        return in.type(0).withShape(new Shape(dims));
    }

    private static TensorType argmax(Operands in, AttributeReader attrs) throws ShapeError {
        int axis = axis(attrs.integer("axis", DEFAULT_AXIS), in, 0, "axis");
        List<Long> dims = new ArrayList<>(in.type(0).shape().dims());
        dims.remove(axis);
        return new TensorType(DType.INT32, new Shape(dims));
    }

    private static List<TensorType> topk(Operands in, AttributeReader attrs) throws ShapeError {
        long k = attrs.requiredInteger("k", "how many of the largest values to keep");
        int axis = axis(attrs.integer("axis", DEFAULT_AXIS), in, 0, "axis");
        Shape x = in.type(0).shape();
        if (k < 1 || k > x.dim(axis)) {
            throw new ShapeError("k = " + k + " is out of range: " + in.describe(0) + ", with " + x.dim(axis)
                    + " along axis " + axis + "; expected 1 <= k <= " + x.dim(axis));
        }
        Shape shape = withDim(x, axis, k);
        return List.of(in.type(0).withShape(shape), new TensorType(DType.INT32, shape));
    }

    // ---- layout

    private static TensorType transpose(Operands in) throws ShapeError {
        requireRank(in, 0, 2, "[..., M, N]");
        Shape x = in.type(0).shape();
        List<Long> dims = new ArrayList<>(x.dims());
        dims.set(x.rank() - 2, x.dim(x.rank() - 1));
        dims.set(x.rank() - 1, x.dim(x.rank() - 2));
        return in.type(0).withShape(new Shape(dims));
    }

    private static TensorType permute(Operands in, AttributeReader attrs) throws ShapeError {
        Shape x = in.type(0).shape();
        Optional<List<Long>> given = attrs.integers("perm");
        if (given.isEmpty()) {
            throw new ShapeError("attribute perm is required (a permutation of 0.." + (x.rank() - 1) + ": "
                    + in.describe(0) + ")");
        }
        List<Long> perm = given.get();
        Set<Long> seen = new TreeSet<>();
        for (long p : perm) {
            if (p < 0 || p >= x.rank() || !seen.add(p)) {
                seen.clear();
                break;
            }
        }
        if (perm.size() != x.rank() || seen.size() != x.rank()) {
            throw new ShapeError("perm=" + perm + " is not a permutation of 0.." + (x.rank() - 1) + ": "
                    + in.describe(0) + ", of rank " + x.rank());
        }
        List<Long> dims = new ArrayList<>();
        for (long p : perm) {
            dims.add(x.dim((int) p));
        }
        return in.type(0).withShape(new Shape(dims));
    }

    private static TensorType reshape(Operands in, AttributeReader attrs) throws ShapeError {
        Optional<List<Long>> given = attrs.integers("shape");
        if (given.isEmpty()) {
            throw new ShapeError("attribute shape is required (the new dimensions, one of them may be -1): "
                    + in.describe(0));
        }
        List<Long> target = given.get();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.size(); i++) {
            long d = target.get(i);
            if (d == -1 && inferred < 0) {
                inferred = i;
            } else if (d == -1) {
                throw new ShapeError("shape=" + target
                        + " has more than one -1; at most one dimension can be inferred");
            } else if (d < 1) {
                throw new ShapeError("shape=" + target + " has dimension " + d + " at position " + i
                        + "; dimensions must be >= 1 or -1");
            } else {
                known = Math.multiplyExact(known, d);
            }
        }
        long elements = in.type(0).shape().elements();
        List<Long> dims = new ArrayList<>(target);
        if (inferred >= 0) {
            if (elements % known != 0) {
                throw new ShapeError("cannot reshape x: " + in.describe(0) + " (" + elements + " elements) but "
                        + elements + " is not a multiple of " + known
                        + ", the product of the other dimensions of shape=" + target);
            }
            dims.set(inferred, elements / known);
        } else if (known != elements) {
            throw new ShapeError("cannot reshape x: " + in.describe(0) + " (" + elements + " elements) but shape="
                    + target + " has " + known + " elements; the element counts must match");
        }
        return in.type(0).withShape(new Shape(dims));
    }

    private static TensorType slice(Operands in, AttributeReader attrs) throws ShapeError {
        int axis = axis(attrs.requiredInteger("axis", "the axis to slice"), in, 0, "axis");
        long size = in.type(0).shape().dim(axis);
        long start = attrs.integer("start", 0);
        long end = attrs.integer("end", size);
        if (start < 0 || start >= end || end > size) {
            throw new ShapeError("start=" + start + ", end=" + end + " is out of range: " + in.describe(0) + ", with "
                    + size + " along axis " + axis + "; expected 0 <= start < end <= " + size);
        }
        return in.type(0).withShape(withDim(in.type(0).shape(), axis, end - start));
    }

    private static TensorType concat(Operands in, AttributeReader attrs) throws ShapeError {
        int axis = axis(attrs.integer("axis", DEFAULT_AXIS), in, 0, "axis");
        Shape first = in.type(0).shape();
        long total = first.dim(axis);
        for (int i = 1; i < in.count(); i++) {
            sameDType(in, 0, i);
            Shape s = in.type(i).shape();
            if (s.rank() != first.rank()) {
                throw new ShapeError("ranks differ: " + in.describe(0) + " but " + in.describe(i)
                        + "; every input needs rank " + first.rank());
            }
            for (int d = 0; d < first.rank(); d++) {
                if (d != axis && s.dim(d) != first.dim(d)) {
                    throw new ShapeError("dimension " + d + " differs: " + in.describe(0) + " but " + in.describe(i)
                            + "; all dimensions except axis " + axis + " must match");
                }
            }
            total = Math.addExact(total, s.dim(axis));
        }
        return in.type(0).withShape(withDim(first, axis, total));
    }

    private static TensorType gather(Operands in, AttributeReader attrs) throws ShapeError {
        requireRank(in, 0, 1, "[...]");
        requireInt32(in, 1);
        int axis = axis(attrs.integer("axis", DEFAULT_GATHER_AXIS), in, 0, "axis");
        Shape table = in.type(0).shape();
        List<Long> dims = new ArrayList<>(table.dims().subList(0, axis));
        dims.addAll(in.type(1).shape().dims());
        dims.addAll(table.dims().subList(axis + 1, table.rank()));
        return in.type(0).withShape(new Shape(dims));
    }

    private static TensorType embedding(Operands in) throws ShapeError {
        if (in.type(0).shape().rank() != 2) {
            throw new ShapeError("table must be [V, D] but " + in.describe(0));
        }
        requireInt32(in, 1);
        List<Long> dims = new ArrayList<>(in.type(1).shape().dims());
        dims.add(in.type(0).shape().dim(1));
        return in.type(0).withShape(new Shape(dims));
    }

    private static TensorType update(Operands in, AttributeReader attrs) throws ShapeError {
        sameDType(in, 0, 1);
        Shape cache = in.type(0).shape();
        Shape x = in.type(1).shape();
        if (x.rank() != cache.rank()) {
            throw new ShapeError("x must have the rank of cache: " + in.describe(0) + " but " + in.describe(1));
        }
        int axis = axis(attrs.requiredInteger("axis", "the axis to write along"), in, 0, "axis");
        long at = attrs.requiredInteger("at", "the position along axis to write x at");
        for (int d = 0; d < cache.rank(); d++) {
            if (d != axis && x.dim(d) != cache.dim(d)) {
                throw new ShapeError("dimension " + d + " differs: " + in.describe(0) + " but " + in.describe(1)
                        + "; only axis " + axis + " may differ");
            }
        }
        if (x.dim(axis) > cache.dim(axis)) {
            throw new ShapeError("x is longer than cache along axis " + axis + ": " + in.describe(0) + " but "
                    + in.describe(1));
        }
        if (at < 0 || Math.addExact(at, x.dim(axis)) > cache.dim(axis)) {
            throw new ShapeError("at=" + at + " writes x outside cache along axis " + axis + ": " + in.describe(0)
                    + " but " + in.describe(1) + "; expected 0 <= at <= " + (cache.dim(axis) - x.dim(axis)));
        }
        return in.type(0);
    }

    // ---- sequence operators

    private static TensorType conv1d(Operands in) throws ShapeError {
        TensorType x = in.type(0);
        if (x.shape().rank() != 3) {
            throw new ShapeError("x must be [B, L, C] but " + in.describe(0));
        }
        long channels = lastDim(x.shape());
        Shape w = in.type(1).shape();
        if (w.rank() != 2 || w.dim(0) != channels) {
            throw new ShapeError("w must be [C, K] with C = " + channels + ", the channels of x: " + in.describe(0)
                    + " but " + in.describe(1));
        }
        sameDType(in, 0, 1);
        if (in.count() == 3) {
            Shape bias = in.type(2).shape();
            if (bias.rank() != 1 || bias.dim(0) != channels) {
                throw new ShapeError("bias must be [C] with C = " + channels + ", the channels of x: " + in.describe(0)
                        + " but " + in.describe(2));
            }
            sameDType(in, 0, 2);
        }
        return x;
    }

    private static TensorType selectiveScan(Operands in) throws ShapeError {
        for (int i = 0; i < in.count(); i++) {
            floating(in, i);
        }
        TensorType u = in.type(0);
        if (u.shape().rank() != 3) {
            throw new ShapeError("u must be [B, L, D] but " + in.describe(0));
        }
        if (!in.type(1).shape().equals(u.shape())) {
            throw new ShapeError("delta must have the shape of u: " + in.describe(0) + " but " + in.describe(1));
        }
        long batch = u.shape().dim(0);
        long length = u.shape().dim(1);
        long d = u.shape().dim(2);
        Shape a = in.type(2).shape();
        if (a.rank() != 2 || a.dim(0) != d) {
            throw new ShapeError("A must be [D, N] with D = " + d + ", the last dimension of u: " + in.describe(0)
                    + " but " + in.describe(2));
        }
        Shape bcShape = Shape.of(batch, length, a.dim(1));
        for (int i = 3; i <= 4; i++) {
            if (!in.type(i).shape().equals(bcShape)) {
                throw new ShapeError(in.label(i) + " must be [B, L, N] = " + bcShape + " (B and L of u, N of A): "
                        + in.describe(0) + ", " + in.describe(2) + " but " + in.describe(i));
            }
        }
        Shape skip = in.type(5).shape();
        if (skip.rank() != 1 || skip.dim(0) != d) {
            throw new ShapeError("Dskip must be [D] with D = " + d + ", the last dimension of u: " + in.describe(0)
                    + " but " + in.describe(5));
        }
        return u;
    }

    // ---- collectives and copies

    private static TensorType allgather(Operands in, AttributeReader attrs, int tensorParallel) throws ShapeError {
        if (tensorParallel < 1) {
            throw new ShapeError("the tensor-parallel degree must be >= 1, got " + tensorParallel);
        }
        int axis = axis(attrs.integer("axis", DEFAULT_AXIS), in, 0, "axis");
        Shape x = in.type(0).shape();
        return in.type(0).withShape(withDim(x, axis, Math.multiplyExact(x.dim(axis), tensorParallel)));
    }

    private static TensorType copy(Operands in, AttributeReader attrs) throws ShapeError {
        String expected = Arrays.stream(Tier.values()).map(Tier::keyword).collect(Collectors.joining(", "));
        String to = attrs.requiredName("to", expected);
        if (Tier.fromKeyword(to).isEmpty()) {
            throw new ShapeError("unknown memory tier '" + to + "' for to; expected one of " + expected);
        }
        return in.type(0);
    }

    // ---- helpers

    /** Normalises an axis of operand {@code i} to 0..rank-1, or says why it is out of range. */
    private static int axis(long axis, Operands in, int i, String key) throws ShapeError {
        int rank = in.type(i).shape().rank();
        if (rank == 0) {
            throw new ShapeError(key + "=" + axis + " is out of range: " + in.describe(i) + ", a scalar with no axes");
        }
        if (axis < -rank || axis >= rank) {
            throw new ShapeError(key + "=" + axis + " is out of range: " + in.describe(i) + ", of rank " + rank
                    + "; expected " + -rank + " to " + (rank - 1));
        }
        return normalize(axis, rank);
    }

    private static TensorType floating(Operands in, int i) throws ShapeError {
        TensorType t = in.type(i);
        if (!t.dtype().isFloating()) {
            throw new ShapeError("needs a floating-point " + in.label(i) + " but " + in.describe(i)
                    + "; convert it first, e.g. cast(" + in.label(i) + ", to=fp32)");
        }
        return t;
    }

    private static void requireRank(Operands in, int i, int min, String form) throws ShapeError {
        if (in.type(i).shape().rank() < min) {
            throw new ShapeError("needs " + in.label(i) + " of rank >= " + min + " (" + form + ") but "
                    + in.describe(i));
        }
    }

    private static void requireInt32(Operands in, int i) throws ShapeError {
        if (in.type(i).dtype() != DType.INT32) {
            throw new ShapeError(in.label(i) + " must be int32 but " + in.describe(i));
        }
    }

    private static void sameDType(Operands in, int i, int j) throws ShapeError {
        if (in.type(i).dtype() != in.type(j).dtype()) {
            throw new ShapeError("element types differ: " + in.describe(i) + " but " + in.describe(j)
                    + "; cast one of them, e.g. cast(" + in.label(j) + ", to=" + in.type(i).dtype().keyword() + ")");
        }
    }

    /** NumPy broadcasting: trailing dimensions aligned, each pair equal or one of them 1. */
    private static Optional<Shape> broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        Long[] dims = new Long[rank];
        for (int i = 1; i <= rank; i++) {
            long da = i <= a.rank() ? a.dim(a.rank() - i) : 1;
            long db = i <= b.rank() ? b.dim(b.rank() - i) : 1;
            if (da != db && da != 1 && db != 1) {
                return Optional.empty();
            }
            dims[rank - i] = da == 1 ? db : da;
        }
        return Optional.of(new Shape(List.of(dims)));
    }

    /** Describes the last pair of aligned dimensions that does not broadcast, counted from the end. */
    private static String conflict(Shape a, Shape b) {
        for (int i = 1; i <= Math.min(a.rank(), b.rank()); i++) {
            long da = a.dim(a.rank() - i);
            long db = b.dim(b.rank() - i);
            if (da != db && da != 1 && db != 1) {
                return "dimension -" + i + " is " + da + " vs " + db;
            }
        }
        return "the shapes broadcast";
    }

    private static Shape leading(Shape s, int count) {
        return new Shape(s.dims().subList(0, count));
    }

    private static Shape withDim(Shape s, int axis, long size) {
        List<Long> dims = new ArrayList<>(s.dims());
        dims.set(axis, size);
        return new Shape(dims);
    }

    private static long lastDim(Shape s) {
        return s.dim(s.rank() - 1);
    }

    /** The inputs of one call, named as in the operator's signature for messages. */
    private static final class Operands {
        private final OpKind kind;
        private final List<TensorType> types;

        Operands(OpKind kind, List<TensorType> types) {
            this.kind = kind;
            this.types = types;
        }

        int count() {
            return types.size();
        }

        TensorType type(int i) {
            return types.get(i);
        }

        /** The operand's name in the signature ({@code a}, {@code g}, {@code indices}, ...). */
        String label(int i) {
            return OpSignature.of(kind).filter(s -> !s.variadic() && i < s.operands().size())
                    .map(s -> s.operands().get(i).name()).orElse("input " + (i + 1));
        }

        /** {@code a is bf16[4, 128]}. */
        String describe(int i) {
            return label(i) + " is " + type(i);
        }
    }
}
