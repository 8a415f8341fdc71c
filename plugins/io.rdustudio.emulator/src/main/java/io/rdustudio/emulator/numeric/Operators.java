package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.OpAttributes;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.TensorType;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The numerical semantics of every DFK operator ({@link OpKind}) on one socket's data. The result
 * types come from the IR (they were inferred by {@code ShapeInference}); this class computes the
 * values. The numeric model is in {@code docs/emulator-numerics.md}; in short:
 *
 * <ul>
 * <li>Arithmetic is FP32 (element-wise maps evaluate their function in double precision and round
 *     to FP32), sums and dot products accumulate in FP32, and every element of a result is rounded
 *     once to the result's element type when it is written.</li>
 * <li>A scalar operand (a literal, FP32) is first rounded to the type of the tensor it meets.</li>
 * <li>INT32 and INT8 arithmetic is exact and saturates at the type's range; integer division
 *     truncates toward zero; a conversion from a real number truncates toward zero and saturates.</li>
 * </ul>
 *
 * <p>Collectives here are those of a kernel run on one socket: {@code allreduce} and
 * {@code allgather} are the identity (the degree is 1). A tensor-parallel kernel runs its
 * collectives across sockets in {@link KernelRunner}.
 */
public final class Operators {

    /** The default {@code eps} of {@code rmsnorm} and {@code layernorm}. */
    public static final double DEFAULT_EPS = 1e-5;
    /** The default {@code theta} of {@code rope}. */
    public static final double DEFAULT_THETA = 10000;

    private Operators() {
    }

    /**
     * Applies one operator.
     *
     * @param inputs   the operands, in order
     * @param outTypes the result types the IR holds for this call (one, or two for {@code topk})
     * @throws NumericException for data-dependent errors (an index out of range, integer division by zero)
     */
    public static List<Tensor> apply(OpKind kind, List<Tensor> inputs, OpAttributes attributes,
            List<TensorType> outTypes) {
        OpAttributes attrs = attributes == null ? OpAttributes.NONE : attributes;
        TensorType out = outTypes.get(0);
        return switch (kind) {
            case CONST -> List.of(Tensor.of(out, attrs.number("value").orElseThrow()));
            case ADD, SUB, MUL, DIV -> List.of(binary(kind, inputs.get(0), inputs.get(1), out));
            case NEG, RELU, EXP, LOG, RSQRT, TANH, SIGMOID, SILU, GELU, SOFTPLUS -> List.of(unary(kind, inputs.get(0), out));
            case CAST, COPY, ALLREDUCE, ALLGATHER -> List.of(convert(inputs.get(0), out));
            case MASK -> List.of(mask(inputs.get(0), attrs, out));
            case MATMUL -> List.of(matmul(inputs.get(0), inputs.get(1), attrs.integer("transpose_b").orElse(0L) == 1, out));
            case SOFTMAX -> List.of(softmax(inputs.get(0), axis(attrs, -1, inputs.get(0).rank()), out));
            case RMSNORM -> List.of(norm(inputs.get(0), inputs.get(1), null, eps(attrs), out));
            case LAYERNORM -> List.of(norm(inputs.get(0), inputs.get(1), inputs.get(2), eps(attrs), out));
            case SUM, MAX, MEAN -> List.of(reduce(kind, inputs.get(0), reducedAxes(attrs, inputs.get(0).rank()), out));
            case ARGMAX -> List.of(argmax(inputs.get(0), axis(attrs, -1, inputs.get(0).rank()), out));
            case TOPK -> topk(inputs.get(0), axis(attrs, -1, inputs.get(0).rank()), outTypes);
            case TRANSPOSE -> List.of(permute(inputs.get(0), swapLastTwo(inputs.get(0).rank()), out));
            case PERMUTE -> List.of(permute(inputs.get(0), ints(attrs.integerList("perm").orElseThrow()), out));
            case RESHAPE -> List.of(inputs.get(0).reshaped(out.shape()));
            case SLICE -> List.of(slice(inputs.get(0), attrs, out));
            case CONCAT -> List.of(concat(inputs, axis(attrs, -1, inputs.get(0).rank()), out));
            case GATHER -> List.of(gather(inputs.get(0), inputs.get(1), axis(attrs, 0, inputs.get(0).rank()), out));
            case EMBEDDING -> List.of(gather(inputs.get(0), inputs.get(1), 0, out));
            case UPDATE -> List.of(update(inputs.get(0), inputs.get(1), attrs));
            case ROPE -> List.of(rope(inputs.get(0), attrs, out));
            case CONV1D -> List.of(conv1d(inputs.get(0), inputs.get(1), inputs.size() > 2 ? inputs.get(2) : null, out));
            case SELECTIVE_SCAN -> List.of(selectiveScan(inputs, out));
        };
    }

    // ---- element-wise

    private static Tensor binary(OpKind kind, Tensor a, Tensor b, TensorType outType) {
        Tensor out = Tensor.zeros(outType);
        int[] dims = out.dims();
        int[] sa = broadcastStrides(a.dims(), dims);
        int[] sb = broadcastStrides(b.dims(), dims);
        boolean integral = out.isIntegral();
        int n = out.size();
        int[] index = new int[dims.length];
        int ia = 0;
        int ib = 0;
        DType t = outType.dtype();
        for (int i = 0; i < n; i++) {
            double x = a.rank() == 0 ? Tensor.round(t, a.get(0)) : a.get(ia);
            double y = b.rank() == 0 ? Tensor.round(t, b.get(0)) : b.get(ib);
            if (integral) {
                long p = (long) x;
                long q = (long) y;
                long r = switch (kind) {
                    case ADD -> p + q;
                    case SUB -> p - q;
                    case MUL -> p * q;
                    default -> {
                        if (q == 0) {
                            throw new NumericException("div: integer division by zero");
                        }
                        yield p / q;
                    }
                };
                out.setInt(i, r);
            } else {
                float p = (float) x;
                float q = (float) y;
                float r = switch (kind) {
                    case ADD -> p + q;
                    case SUB -> p - q;
                    case MUL -> p * q;
                    default -> p / q;
                };
                out.set(i, r);
            }
            for (int d = dims.length - 1; d >= 0; d--) {
                ia += sa[d];
                ib += sb[d];
                if (++index[d] < dims[d]) {
                    break;
                }
                ia -= sa[d] * dims[d];
                ib -= sb[d] * dims[d];
                index[d] = 0;
            }
        }
        return out;
    }

    /** Strides of {@code t} over the output dimensions {@code dims}, 0 along broadcast axes. */
    private static int[] broadcastStrides(int[] operand, int[] dims) {
        int[] strides = new int[dims.length];
        int stride = 1;
        for (int d = operand.length - 1; d >= 0; d--) {
            int outAxis = dims.length - operand.length + d;
            strides[outAxis] = operand[d] == 1 ? 0 : stride;
            stride *= operand[d];
        }
        return strides;
    }

    private static Tensor unary(OpKind kind, Tensor x, TensorType outType) {
        Tensor out = Tensor.zeros(outType);
        for (int i = 0; i < out.size(); i++) {
            if (x.isIntegral()) {
                long v = x.getInt(i);
                out.setInt(i, kind == OpKind.NEG ? -v : Math.max(0, v));
                continue;
            }
            double v = x.getFloat(i);
            double r = switch (kind) {
                case NEG -> -v;
                case RELU -> v > 0 ? v : (Double.isNaN(v) ? v : 0.0);
                case EXP -> Math.exp(v);
                case LOG -> Math.log(v);
                case RSQRT -> 1.0 / Math.sqrt(v);
                case TANH -> Math.tanh(v);
                case SIGMOID -> sigmoid(v);
                case SILU -> v * sigmoid(v);
                case GELU -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                case SOFTPLUS -> Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
                default -> throw new IllegalArgumentException(kind.keyword());
            };
            out.set(i, (float) r);
        }
        return out;
    }

    private static double sigmoid(double v) {
        return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }

    /** The same values written to {@code outType}: cast, copy, and the one-socket collectives. */
    private static Tensor convert(Tensor x, TensorType outType) {
        Tensor out = Tensor.zeros(outType);
        for (int i = 0; i < out.size(); i++) {
            if (x.isIntegral()) {
                out.setInt(i, x.getInt(i));
            } else {
                out.set(i, x.getFloat(i));
            }
        }
        return out;
    }

    private static Tensor mask(Tensor s, OpAttributes attrs, TensorType outType) {
        boolean causal = attrs.integer("causal").orElse(0L) == 1;
        Long window = attrs.integer("window").orElse(null);
        long sinks = attrs.integer("sinks").orElse(0L);
        long offset = attrs.integer("offset").orElse(0L);
        int q = s.dim(s.rank() - 2);
        int k = s.dim(s.rank() - 1);
        Tensor out = Tensor.zeros(outType);
        for (int i = 0; i < out.size(); i++) {
            long key = i % k;
            long position = offset + (i / k) % q;
            boolean visible = !(causal && key > position);
            if (window != null && key < position - window + 1 && key >= sinks) {
                visible = false;
            }
            out.set(i, visible ? s.getFloat(i) : Float.NEGATIVE_INFINITY);
        }
        return out;
    }

    // ---- matmul

    private static Tensor matmul(Tensor a, Tensor b, boolean transposeB, TensorType outType) {
        Tensor out = Tensor.zeros(outType);
        int m = a.dim(a.rank() - 2);
        int k = a.dim(a.rank() - 1);
        int n = transposeB ? b.dim(b.rank() - 2) : b.dim(b.rank() - 1);
        int[] dims = out.dims();
        int[] batch = Arrays.copyOf(dims, dims.length - 2);
        int[] sa = broadcastStrides(Arrays.copyOf(a.dims(), a.rank() - 2), batch);
        int[] sb = broadcastStrides(Arrays.copyOf(b.dims(), b.rank() - 2), batch);
        int batches = 1;
        for (int d : batch) {
            batches *= d;
        }
        int[] index = new int[batch.length];
        int ia = 0;
        int ib = 0;
        for (int p = 0; p < batches; p++) {
            if (out.isIntegral()) {
                integerMatmul(a, ia * m * k, b, ib * k * n, transposeB, out, p * m * n, m, k, n);
            } else {
                MatMul.multiply(a.floatData(), ia * m * k, b.floatData(), ib * k * n, transposeB, out.floatData(),
                        p * m * n, m, k, n, outType.dtype());
            }
            for (int d = batch.length - 1; d >= 0; d--) {
                ia += sa[d];
                ib += sb[d];
                if (++index[d] < batch[d]) {
                    break;
                }
                ia -= sa[d] * batch[d];
                ib -= sb[d] * batch[d];
                index[d] = 0;
            }
        }
        return out;
    }

    /** INT32 and INT8 matmul: exact sums, saturated on write. */
    private static void integerMatmul(Tensor a, int aOff, Tensor b, int bOff, boolean transposeB, Tensor out, int cOff,
            int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long sum = 0;
                for (int q = 0; q < k; q++) {
                    int bAt = transposeB ? bOff + j * k + q : bOff + q * n + j;
                    sum += (long) a.getInt(aOff + i * k + q) * b.getInt(bAt);
                }
                out.setInt(cOff + i * n + j, sum);
            }
        }
    }

    // ---- reductions and normalisations

    private static Tensor softmax(Tensor x, int axis, TensorType outType) {
        Tensor out = Tensor.zeros(outType);
        int len = x.dim(axis);
        int inner = innerSize(x, axis);
        int outer = x.size() / (len * inner);
        float[] e = new float[len];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < len; j++) {
                    max = Math.max(max, x.getFloat(base + j * inner));
                }
                float sum = 0f;
                for (int j = 0; j < len; j++) {
                    e[j] = (float) Math.exp(x.getFloat(base + j * inner) - max);
                    sum += e[j];
                }
                for (int j = 0; j < len; j++) {
                    out.set(base + j * inner, e[j] / sum);
                }
            }
        }
        return out;
    }

    private static Tensor norm(Tensor x, Tensor g, Tensor bias, double eps, TensorType outType) {
        Tensor out = Tensor.zeros(outType);
        int d = x.dim(x.rank() - 1);
        int rows = x.size() / d;
        for (int r = 0; r < rows; r++) {
            int base = r * d;
            float mean = 0f;
            if (bias != null) {
                float sum = 0f;
                for (int j = 0; j < d; j++) {
                    sum += x.getFloat(base + j);
                }
                mean = sum / d;
            }
            float squares = 0f;
            for (int j = 0; j < d; j++) {
                float c = x.getFloat(base + j) - mean;
                squares += c * c;
            }
            float scale = (float) (1 / Math.sqrt(squares / d + eps));
            for (int j = 0; j < d; j++) {
                float y = (x.getFloat(base + j) - mean) * scale * g.getFloat(j);
                out.set(base + j, bias == null ? y : y + bias.getFloat(j));
            }
        }
        return out;
    }

    private static Tensor reduce(OpKind kind, Tensor x, Set<Integer> axes, TensorType outType) {
        Tensor out = Tensor.zeros(outType);
        int[] dims = x.dims();
        int[] outStrides = new int[dims.length];
        int stride = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            if (!axes.contains(d)) {
                outStrides[d] = stride;
                stride *= dims[d];
            }
        }
        long count = x.size() / Math.max(1, out.size());
        float[] acc = new float[out.size()];
        long[] iacc = new long[out.size()];
        if (kind == OpKind.MAX) {
            Arrays.fill(acc, Float.NEGATIVE_INFINITY);
            Arrays.fill(iacc, Long.MIN_VALUE);
        }
        int[] index = new int[dims.length];
        int o = 0;
        for (int i = 0; i < x.size(); i++) {
            if (x.isIntegral()) {
                iacc[o] = kind == OpKind.MAX ? Math.max(iacc[o], x.getInt(i)) : iacc[o] + x.getInt(i);
            } else {
                float v = x.getFloat(i);
                acc[o] = kind == OpKind.MAX ? (Float.isNaN(v) || Float.isNaN(acc[o]) ? Float.NaN : Math.max(acc[o], v))
                        : acc[o] + v;
            }
            for (int d = dims.length - 1; d >= 0; d--) {
                o += outStrides[d];
                if (++index[d] < dims[d]) {
                    break;
                }
                o -= outStrides[d] * dims[d];
                index[d] = 0;
            }
        }
        for (int i = 0; i < out.size(); i++) {
            if (x.isIntegral()) {
                out.setInt(i, kind == OpKind.MEAN ? iacc[i] / count : iacc[i]);
            } else {
                out.set(i, kind == OpKind.MEAN ? acc[i] / (float) count : acc[i]);
            }
        }
        return out;
    }

    /** Whether {@code v} ranks above {@code best}: larger, with NaN largest (as NumPy's argmax). */
    private static boolean above(double v, double best) {
        return Double.isNaN(v) ? !Double.isNaN(best) : v > best;
    }

    private static Tensor argmax(Tensor x, int axis, TensorType outType) {
        Tensor out = Tensor.zeros(outType);
        int len = x.dim(axis);
        int inner = innerSize(x, axis);
        for (int i = 0; i < out.size(); i++) {
            int base = (i / inner) * len * inner + i % inner;
            int best = 0;
            for (int j = 1; j < len; j++) {
                if (above(x.get(base + j * inner), x.get(base + best * inner))) {
                    best = j;
                }
            }
            out.setInt(i, best);
        }
        return out;
    }

    private static List<Tensor> topk(Tensor x, int axis, List<TensorType> outTypes) {
        Tensor values = Tensor.zeros(outTypes.get(0));
        Tensor indices = Tensor.zeros(outTypes.get(1));
        int len = x.dim(axis);
        int k = values.dim(axis);
        int inner = innerSize(x, axis);
        int rows = x.size() / len;
        Integer[] order = new Integer[len];
        for (int r = 0; r < rows; r++) {
            int base = (r / inner) * len * inner + r % inner;
            int outBase = (r / inner) * k * inner + r % inner;
            for (int j = 0; j < len; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (p, q) -> {
                double u = x.get(base + p * inner);
                double v = x.get(base + q * inner);
                if (above(u, v)) {
                    return -1;
                }
                if (above(v, u)) {
                    return 1;
                }
                return Integer.compare(p, q);
            });
            for (int j = 0; j < k; j++) {
                values.set(outBase + j * inner, x.get(base + order[j] * inner));
                indices.setInt(outBase + j * inner, order[j]);
            }
        }
        return List.of(values, indices);
    }

    // ---- layout

    private static Tensor permute(Tensor x, int[] perm, TensorType outType) {
        Tensor out = Tensor.zeros(outType);
        int rank = perm.length;
        int[] inStrides = strides(x.dims());
        int[] dims = out.dims();
        int[] step = new int[rank];
        for (int d = 0; d < rank; d++) {
            step[d] = inStrides[perm[d]];
        }
        int[] index = new int[rank];
        int src = 0;
        for (int i = 0; i < out.size(); i++) {
            copyElement(x, src, out, i);
            for (int d = rank - 1; d >= 0; d--) {
                src += step[d];
                if (++index[d] < dims[d]) {
                    break;
                }
                src -= step[d] * dims[d];
                index[d] = 0;
            }
        }
        return out;
    }

    private static Tensor slice(Tensor x, OpAttributes attrs, TensorType outType) {
        int axis = axis(attrs, 0, x.rank());
        int start = (int) (long) attrs.integer("start").orElse(0L);
        Tensor out = Tensor.zeros(outType);
        int len = x.dim(axis);
        int newLen = out.dim(axis);
        int inner = innerSize(x, axis);
        int outer = x.size() / (len * inner);
        for (int o = 0; o < outer; o++) {
            copyRange(x, (o * len + start) * inner, out, o * newLen * inner, newLen * inner);
        }
        return out;
    }

    private static Tensor concat(List<Tensor> parts, int axis, TensorType outType) {
        Tensor out = Tensor.zeros(outType);
        int inner = innerSize(out, axis);
        int total = out.dim(axis);
        int outer = out.size() / (total * inner);
        int at = 0;
        for (Tensor part : parts) {
            int len = part.dim(axis);
            for (int o = 0; o < outer; o++) {
                copyRange(part, o * len * inner, out, (o * total + at) * inner, len * inner);
            }
            at += len;
        }
        return out;
    }

    private static Tensor gather(Tensor table, Tensor indices, int axis, TensorType outType) {
        Tensor out = Tensor.zeros(outType);
        int len = table.dim(axis);
        int inner = innerSize(table, axis);
        int outer = table.size() / (len * inner);
        int count = indices.size();
        for (int o = 0; o < outer; o++) {
            for (int p = 0; p < count; p++) {
                int id = indices.getInt(p);
                if (id < 0 || id >= len) {
                    throw new NumericException("index " + id + " at position " + p + " of the indices is out of range for "
                            + table.type() + " along axis " + axis + " (expected 0.." + (len - 1) + ")");
                }
                copyRange(table, (o * len + id) * inner, out, (o * count + p) * inner, inner);
            }
        }
        return out;
    }

    private static Tensor update(Tensor cache, Tensor x, OpAttributes attrs) {
        int axis = axis(attrs, 0, cache.rank());
        int at = (int) (long) attrs.integer("at").orElseThrow();
        Tensor out = cache.copy();
        int len = cache.dim(axis);
        int xLen = x.dim(axis);
        int inner = innerSize(cache, axis);
        int outer = cache.size() / (len * inner);
        for (int o = 0; o < outer; o++) {
            copyRange(x, o * xLen * inner, out, (o * len + at) * inner, xLen * inner);
        }
        return out;
    }

    // ---- positions and sequences

    /**
     * Rotary embedding over {@code x[..., S, H, Dh]}: for the pair {@code (2i, 2i + 1)} of every head
     * at sequence row s, a rotation by {@code (offset + s) * theta^(-2i / Dh)} (interleaved pairs,
     * as in Su et al. and Meta's Llama reference code).
     */
    private static Tensor rope(Tensor x, OpAttributes attrs, TensorType outType) {
        long offset = attrs.integer("offset").orElse(0L);
        double theta = attrs.number("theta").orElse(DEFAULT_THETA);
        int rank = x.rank();
        int dh = x.dim(rank - 1);
        int heads = x.dim(rank - 2);
        int seq = x.dim(rank - 3);
        Tensor out = Tensor.zeros(outType);
        float[] cos = new float[seq * dh / 2];
        float[] sin = new float[seq * dh / 2];
        for (int s = 0; s < seq; s++) {
            for (int i = 0; i < dh / 2; i++) {
                double angle = (offset + s) * Math.pow(theta, -2.0 * i / dh);
                cos[s * dh / 2 + i] = (float) Math.cos(angle);
                sin[s * dh / 2 + i] = (float) Math.sin(angle);
            }
        }
        for (int base = 0; base < x.size(); base += dh) {
            int s = (base / (dh * heads)) % seq;
            for (int i = 0; i < dh / 2; i++) {
                float c = cos[s * dh / 2 + i];
                float sn = sin[s * dh / 2 + i];
                float x0 = x.getFloat(base + 2 * i);
                float x1 = x.getFloat(base + 2 * i + 1);
                out.set(base + 2 * i, x0 * c - x1 * sn);
                out.set(base + 2 * i + 1, x0 * sn + x1 * c);
            }
        }
        return out;
    }

    /** {@code y[b, l, c] = bias[c] + sum over j < K of w[c, j] * x[b, l - K + 1 + j, c]}, zeros before the start. */
    private static Tensor conv1d(Tensor x, Tensor w, Tensor bias, TensorType outType) {
        Tensor out = Tensor.zeros(outType);
        int batch = x.dim(0);
        int length = x.dim(1);
        int channels = x.dim(2);
        int taps = w.dim(1);
        for (int b = 0; b < batch; b++) {
            for (int l = 0; l < length; l++) {
                for (int c = 0; c < channels; c++) {
                    float acc = bias == null ? 0f : bias.getFloat(c);
                    for (int j = 0; j < taps; j++) {
                        int src = l - taps + 1 + j;
                        if (src >= 0) {
                            acc += w.getFloat(c * taps + j) * x.getFloat((b * length + src) * channels + c);
                        }
                    }
                    out.set((b * length + l) * channels + c, acc);
                }
            }
        }
        return out;
    }

    /**
     * Mamba's selective scan with an FP32 state that is not rounded between steps:
     * {@code h_t[d, n] = exp(delta_t[d] A[d, n]) h_(t-1)[d, n] + delta_t[d] Bm_t[n] u_t[d]},
     * {@code y_t[d] = sum over n of Cm_t[n] h_t[d, n] + Dskip[d] u_t[d]}, h_(-1) = 0.
     */
    private static Tensor selectiveScan(List<Tensor> in, TensorType outType) {
        Tensor u = in.get(0);
        Tensor delta = in.get(1);
        Tensor a = in.get(2);
        Tensor bm = in.get(3);
        Tensor cm = in.get(4);
        Tensor skip = in.get(5);
        int batch = u.dim(0);
        int length = u.dim(1);
        int channels = u.dim(2);
        int states = a.dim(1);
        Tensor out = Tensor.zeros(outType);
        float[] h = new float[channels * states];
        for (int b = 0; b < batch; b++) {
            Arrays.fill(h, 0f);
            for (int t = 0; t < length; t++) {
                int row = (b * length + t) * channels;
                int bcRow = (b * length + t) * states;
                for (int d = 0; d < channels; d++) {
                    float dt = delta.getFloat(row + d);
                    float ut = u.getFloat(row + d);
                    float y = 0f;
                    for (int s = 0; s < states; s++) {
                        int at = d * states + s;
                        float decay = (float) Math.exp(dt * a.getFloat(at));
                        h[at] = decay * h[at] + dt * bm.getFloat(bcRow + s) * ut;
                        y += cm.getFloat(bcRow + s) * h[at];
                    }
                    out.set(row + d, y + skip.getFloat(d) * ut);
                }
            }
        }
        return out;
    }

    // ---- helpers

    private static int axis(OpAttributes attrs, long fallback, int rank) {
        long axis = attrs.integer("axis").orElse(fallback);
        return (int) (axis < 0 ? axis + rank : axis);
    }

    private static Set<Integer> reducedAxes(OpAttributes attrs, int rank) {
        Set<Integer> axes = new TreeSet<>();
        for (long a : attrs.integerList("axis").orElse(List.of(-1L))) {
            axes.add((int) (a < 0 ? a + rank : a));
        }
        return axes;
    }

    private static double eps(OpAttributes attrs) {
        return attrs.number("eps").orElse(DEFAULT_EPS);
    }

    private static int[] ints(List<Long> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) (long) values.get(i);
        }
        return out;
    }

    private static int[] swapLastTwo(int rank) {
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        return perm;
    }

    private static int innerSize(Tensor t, int axis) {
        int inner = 1;
        for (int d = axis + 1; d < t.rank(); d++) {
            inner *= t.dim(d);
        }
        return inner;
    }

    private static int[] strides(int[] dims) {
        int[] strides = new int[dims.length];
        int stride = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= dims[d];
        }
        return strides;
    }

    private static void copyElement(Tensor from, int i, Tensor to, int j) {
        if (from.isIntegral()) {
            to.intData()[j] = from.intData()[i];
        } else {
            to.floatData()[j] = from.floatData()[i];
        }
    }

    private static void copyRange(Tensor from, int fromOffset, Tensor to, int toOffset, int count) {
        if (from.isIntegral()) {
            System.arraycopy(from.intData(), fromOffset, to.intData(), toOffset, count);
        } else {
            System.arraycopy(from.floatData(), fromOffset, to.floatData(), toOffset, count);
        }
    }

    /** Whether infinities in the operator's result are by design ({@code mask} writes -inf), not a numeric fault. */
    static boolean infinityByDesign(OpKind kind) {
        return kind == OpKind.MASK;
    }
}
