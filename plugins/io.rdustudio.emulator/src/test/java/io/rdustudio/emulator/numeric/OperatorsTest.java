package io.rdustudio.emulator.numeric;

import static io.rdustudio.emulator.numeric.Ir.attrs;
import static io.rdustudio.emulator.numeric.Ir.bf16;
import static io.rdustudio.emulator.numeric.Ir.fp32;
import static io.rdustudio.emulator.numeric.Ir.int32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.OpAttributes;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ops.ShapeInference;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every operator against a reference written separately here: plain double-precision loops on the
 * same (BF16-exact) inputs. Bounds follow from BF16: the one rounding of each result element costs
 * at most u = 2^-8 relative; FP32 arithmetic inside an operator adds at most about n 2^-24 times the
 * sum of the magnitudes of the n terms it adds up. Each test states its bound.
 */
class OperatorsTest {

    private static final double U = Bf16.UNIT_ROUNDOFF;
    private static final double U32 = 0x1p-24;
    private static final Set<OpKind> COVERED = EnumSet.noneOf(OpKind.class);

    private static Tensor random(TensorType type, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(type);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextGaussian() * scale);
        }
        return t;
    }

    private static List<Tensor> applyAll(OpKind kind, OpAttributes attrs, Tensor... inputs) {
        COVERED.add(kind);
        List<TensorType> types = Arrays.stream(inputs).map(Tensor::type).toList();
        ShapeInference.Inference inf = ShapeInference.infer(kind, types, attrs);
        assertTrue(inf.ok(), () -> inf.error());
        List<Tensor> out = Operators.apply(kind, List.of(inputs), attrs, inf.outputs());
        for (int i = 0; i < out.size(); i++) {
            assertEquals(inf.outputs().get(i), out.get(i).type());
        }
        return out;
    }

    private static Tensor apply(OpKind kind, OpAttributes attrs, Tensor... inputs) {
        return applyAll(kind, attrs, inputs).get(0);
    }

    /** |got - ref| <= rel |ref| + abs[i] for every element. */
    private static void assertClose(Tensor got, double[] ref, double rel, double[] abs) {
        assertEquals(ref.length, got.size(), "element count");
        for (int i = 0; i < ref.length; i++) {
            double g = got.get(i);
            if (Double.isNaN(ref[i]) || Double.isInfinite(ref[i])) {
                assertEquals(ref[i], g, "element " + i);
                continue;
            }
            double bound = rel * Math.abs(ref[i]) + abs[i];
            if (!(Math.abs(g - ref[i]) <= bound)) {
                fail("element " + i + ": got " + g + ", reference " + ref[i] + ", bound " + bound);
            }
        }
    }

    private static void assertClose(Tensor got, double[] ref, double rel, double abs) {
        double[] a = new double[ref.length];
        Arrays.fill(a, abs);
        assertClose(got, ref, rel, a);
    }

    private static void assertExact(Tensor got, double[] ref) {
        assertArrayEquals(ref, got.toDoubleArray());
    }

    // ---- element-wise

    @Test
    void binaryOperatorsBroadcast() {
        Tensor a = random(bf16(2, 3, 4), 1, 1);
        Tensor b = random(bf16(3, 1), 2, 1);
        for (OpKind kind : List.of(OpKind.ADD, OpKind.SUB, OpKind.MUL, OpKind.DIV)) {
            Tensor got = apply(kind, null, a, b);
            double[] ref = new double[24];
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    for (int k = 0; k < 4; k++) {
                        double x = a.get((i * 3 + j) * 4 + k);
                        double y = b.get(j);
                        ref[(i * 3 + j) * 4 + k] = switch (kind) {
                            case ADD -> x + y;
                            case SUB -> x - y;
                            case MUL -> x * y;
                            default -> x / y;
                        };
                    }
                }
            }
            // one FP32 operation, then one BF16 rounding
            assertClose(got, ref, U + U32, 0);
        }
    }

    @Test
    void aScalarTakesTheTensorsTypeFirst() {
        Tensor x = Tensor.of(bf16(2), 1, 2);
        Tensor c = apply(OpKind.CONST, attrs().number("value", 0.08838834764831845).build());
        Tensor got = apply(OpKind.MUL, null, x, c);
        double scalar = Bf16.round(0.08838834764831845f);
        assertClose(got, new double[] {scalar, 2 * scalar}, U, 0);
        assertEquals(DType.FP32, c.dtype());
    }

    @Test
    void integerArithmeticIsExactAndSaturates() {
        Tensor a = Tensor.of(int32(3), 7, -7, Integer.MAX_VALUE);
        Tensor b = Tensor.of(int32(3), 2, 2, 2);
        assertExact(apply(OpKind.DIV, null, a, b), new double[] {3, -3, Integer.MAX_VALUE / 2});
        assertExact(apply(OpKind.ADD, null, a, b), new double[] {9, -5, Integer.MAX_VALUE});
        assertExact(apply(OpKind.NEG, null, a), new double[] {-7, 7, -Integer.MAX_VALUE});
        assertExact(apply(OpKind.RELU, null, a), new double[] {7, 0, Integer.MAX_VALUE});
    }

    @Test
    void unaryMaps() {
        Tensor x = random(bf16(64), 3, 2);
        Tensor positive = Tensor.zeros(bf16(64));
        for (int i = 0; i < 64; i++) {
            positive.set(i, Math.abs(x.get(i)) + 0.01);
        }
        check(OpKind.NEG, x, v -> -v);
        check(OpKind.RELU, x, v -> Math.max(v, 0));
        check(OpKind.EXP, x, Math::exp);
        check(OpKind.LOG, positive, Math::log);
        check(OpKind.RSQRT, positive, v -> 1 / Math.sqrt(v));
        check(OpKind.TANH, x, Math::tanh);
        check(OpKind.SIGMOID, x, v -> 1 / (1 + Math.exp(-v)));
        check(OpKind.SILU, x, v -> v / (1 + Math.exp(-v)));
        check(OpKind.GELU, x, v -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * Math.pow(v, 3)))));
        check(OpKind.SOFTPLUS, x, v -> Math.log(1 + Math.exp(v)));
    }

    private static void check(OpKind kind, Tensor x, DoubleUnaryOperator f) {
        double[] ref = Arrays.stream(x.toDoubleArray()).map(f).toArray();
        // evaluated in double, rounded to FP32, then to BF16 (a double rounding: u + 2^-24)
        assertClose(apply(kind, null, x), ref, U + 2 * U32, 1e-300);
    }

    @Test
    void castRoundsAndTruncates() {
        Tensor x = Tensor.of(fp32(4), 1.00390625, -2.7, 3.5, 1e10);
        assertExact(apply(OpKind.CAST, attrs().name("to", "bf16").build(), x),
                new double[] {1.0, Bf16.round(-2.7f), 3.5, Bf16.round(1e10f)});
        assertExact(apply(OpKind.CAST, attrs().name("to", "int32").build(), x), new double[] {1, -2, 3, Integer.MAX_VALUE});
        assertExact(apply(OpKind.CAST, attrs().name("to", "fp8e4m3").build(), x), new double[] {1, -2.75, 3.5, 448});
    }

    @Test
    void maskHidesKeysOutsideTheWindowExceptSinks() {
        int q = 3;
        int k = 12;
        Tensor s = random(bf16(2, q, k), 4, 1);
        long offset = 6;
        int window = 3;
        int sinks = 2;
        Tensor got = apply(OpKind.MASK, attrs().integer("causal", 1).integer("window", window).integer("sinks", sinks)
                .integer("offset", offset).build(), s);
        double[] ref = s.toDoubleArray();
        for (int i = 0; i < ref.length; i++) {
            int key = i % k;
            long p = offset + (i / k) % q;
            boolean visible = key <= p && (key >= p - window + 1 || key < sinks);
            if (!visible) {
                ref[i] = Double.NEGATIVE_INFINITY;
            }
        }
        assertExact(got, ref);
        // query 0 at position 6 sees keys 0, 1 (sinks) and 4, 5, 6 (its window)
        for (int key = 0; key < k; key++) {
            boolean expected = key == 0 || key == 1 || key == 4 || key == 5 || key == 6;
            assertEquals(expected, got.get(key) != Double.NEGATIVE_INFINITY, "key " + key);
        }
        Tensor causalOnly = apply(OpKind.MASK, attrs().integer("causal", 1).build(), s);
        assertEquals(Double.NEGATIVE_INFINITY, causalOnly.get(1), "query 0 at position 0 cannot see key 1");
    }

    // ---- matmul

    @Test
    void matmulWithBatchBroadcastAndTransposedB() {
        Tensor a = random(bf16(2, 1, 5, 70), 5, 1);
        Tensor b = random(bf16(3, 70, 9), 6, 1);
        matmulAgainstReference(a, b, false);
        Tensor bt = random(bf16(3, 9, 70), 7, 1);
        matmulAgainstReference(a, bt, true);
    }

    @Test
    void largeMatmulUsesTheParallelPathWithTheSameBound() {
        Tensor a = random(bf16(130, 257), 8, 1);
        Tensor b = random(bf16(257, 600), 9, 1);
        matmulAgainstReference(a, b, false);
    }

    private static void matmulAgainstReference(Tensor a, Tensor b, boolean transposeB) {
        Tensor got = apply(OpKind.MATMUL, transposeB ? attrs().integer("transpose_b", 1).build() : null, a, b);
        int[] out = got.dims();
        int rank = out.length;
        int m = out[rank - 2];
        int n = out[rank - 1];
        int k = a.dim(a.rank() - 1);
        double[] ref = new double[got.size()];
        double[] abs = new double[got.size()];
        int batches = got.size() / (m * n);
        for (int p = 0; p < batches; p++) {
            // batch index p over the output's batch dims; operands broadcast by taking index mod their size
            int[] idx = new int[rank - 2];
            int rest = p;
            for (int d = rank - 3; d >= 0; d--) {
                idx[d] = rest % out[d];
                rest /= out[d];
            }
            int pa = batchOffset(a, idx);
            int pb = batchOffset(b, idx);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double mag = 0;
                    for (int q = 0; q < k; q++) {
                        double x = a.get(pa * m * k + i * k + q);
                        double y = transposeB ? b.get(pb * n * k + j * k + q) : b.get(pb * k * n + q * n + j);
                        sum += x * y;
                        mag += Math.abs(x * y);
                    }
                    ref[p * m * n + i * n + j] = sum;
                    // FP32 accumulation of k products (fused multiply-adds): k 2^-24 sum |a b|
                    abs[p * m * n + i * n + j] = 1.01 * k * U32 * mag;
                }
            }
        }
        assertClose(got, ref, U, abs);
    }

    private static int batchOffset(Tensor t, int[] outIdx) {
        int batchRank = t.rank() - 2;
        int offset = 0;
        for (int d = 0; d < batchRank; d++) {
            int size = t.dim(d);
            int i = outIdx[outIdx.length - batchRank + d];
            offset = offset * size + (size == 1 ? 0 : i);
        }
        return offset;
    }

    // ---- reductions and normalisations

    @Test
    void softmaxAlongAnAxis() {
        Tensor x = random(bf16(3, 7, 4), 10, 3);
        Tensor got = apply(OpKind.SOFTMAX, attrs().integer("axis", 1).build(), x);
        double[] ref = new double[x.size()];
        for (int o = 0; o < 3; o++) {
            for (int in = 0; in < 4; in++) {
                double sum = 0;
                for (int j = 0; j < 7; j++) {
                    sum += Math.exp(x.get((o * 7 + j) * 4 + in));
                }
                for (int j = 0; j < 7; j++) {
                    ref[(o * 7 + j) * 4 + in] = Math.exp(x.get((o * 7 + j) * 4 + in)) / sum;
                }
            }
        }
        // results in [0, 1]; FP32 exp and a 7-term FP32 sum: 16 2^-24 relative before the BF16 rounding
        assertClose(got, ref, U + 16 * U32, 0);
    }

    @Test
    void softmaxIgnoresMaskedKeys() {
        Tensor s = Tensor.of(bf16(1, 3), 1, 2, 3);
        Tensor masked = apply(OpKind.MASK, attrs().integer("causal", 1).integer("offset", 1).build(), s);
        Tensor p = apply(OpKind.SOFTMAX, null, masked);
        double e = Math.exp(-1);
        assertClose(p, new double[] {e / (1 + e), 1 / (1 + e), 0}, U + 8 * U32, 0);
    }

    @Test
    void normalisations() {
        int d = 32;
        Tensor x = random(bf16(3, d), 11, 2);
        Tensor g = random(fp32(d), 12, 1);
        Tensor b = random(bf16(d), 13, 1);
        Tensor rms = apply(OpKind.RMSNORM, null, x, g);
        Tensor ln = apply(OpKind.LAYERNORM, attrs().number("eps", 1e-3).build(), x, g, Tensor.of(fp32(d), b.toDoubleArray()));
        double[] refRms = new double[x.size()];
        double[] refLn = new double[x.size()];
        double[] abs = new double[x.size()];
        for (int r = 0; r < 3; r++) {
            double ms = 0;
            double mean = 0;
            for (int j = 0; j < d; j++) {
                ms += Math.pow(x.get(r * d + j), 2);
                mean += x.get(r * d + j);
            }
            ms /= d;
            mean /= d;
            double var = 0;
            for (int j = 0; j < d; j++) {
                var += Math.pow(x.get(r * d + j) - mean, 2);
            }
            var /= d;
            for (int j = 0; j < d; j++) {
                refRms[r * d + j] = x.get(r * d + j) / Math.sqrt(ms + 1e-5) * g.get(j);
                refLn[r * d + j] = (x.get(r * d + j) - mean) / Math.sqrt(var + 1e-3) * g.get(j) + b.get(j);
                // FP32 sums of d terms, a square root and three products: (d + 8) 2^-24 of the terms' size
                abs[r * d + j] = (d + 8) * U32 * (Math.abs(refRms[r * d + j]) + Math.abs(g.get(j)) + Math.abs(b.get(j)));
            }
        }
        assertClose(rms, refRms, U, abs);
        assertClose(ln, refLn, U, abs);
    }

    @Test
    void reductionsOverAxisListsWithAndWithoutKeepdims() {
        Tensor x = random(bf16(4, 5, 6), 14, 1);
        OpAttributes axes = attrs().integers("axis", List.of(0L, 2L)).build();
        Tensor sum = apply(OpKind.SUM, axes, x);
        Tensor mean = apply(OpKind.MEAN, attrs().integers("axis", List.of(0L, 2L)).integer("keepdims", 1).build(), x);
        Tensor max = apply(OpKind.MAX, null, x);
        assertEquals(List.of(5L), sum.shape().dims());
        assertEquals(List.of(1L, 5L, 1L), mean.shape().dims());
        double[] refSum = new double[5];
        double[] mag = new double[5];
        double[] refMax = new double[20];
        Arrays.fill(refMax, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 5; j++) {
                for (int k = 0; k < 6; k++) {
                    double v = x.get((i * 5 + j) * 6 + k);
                    refSum[j] += v;
                    mag[j] += Math.abs(v);
                    refMax[i * 5 + j] = Math.max(refMax[i * 5 + j], v);
                }
            }
        }
        double[] abs = Arrays.stream(mag).map(m -> 24 * U32 * m).toArray();
        // a 24-term FP32 sum: 24 2^-24 sum |x|, then one BF16 rounding
        assertClose(sum, refSum, U, abs);
        double[] refMean = Arrays.stream(refSum).map(s -> s / 24).toArray();
        assertClose(mean, refMean, U + U32, Arrays.stream(abs).map(a -> a / 24).toArray());
        assertExact(max, refMax);
        Tensor all = apply(OpKind.SUM, attrs().integers("axis", List.of(0L, 1L, 2L)).build(), x);
        assertEquals(0, all.rank(), "reducing every axis gives a scalar");
    }

    @Test
    void argmaxAndTopkBreakTiesByLowestIndex() {
        Tensor x = Tensor.of(bf16(2, 5), 1, 3, 3, 0, 2, -1, -1, -1, -1, -1);
        assertExact(apply(OpKind.ARGMAX, null, x), new double[] {1, 0});
        List<Tensor> top = applyAll(OpKind.TOPK, attrs().integer("k", 3).build(), x);
        assertExact(top.get(0), new double[] {3, 3, 2, -1, -1, -1});
        assertExact(top.get(1), new double[] {1, 2, 4, 0, 1, 2});
        List<Tensor> col = applyAll(OpKind.TOPK, attrs().integer("k", 1).integer("axis", 0).build(), x);
        assertExact(col.get(1), new double[] {0, 0, 0, 0, 0});
        assertExact(apply(OpKind.ARGMAX, attrs().integer("axis", 0).build(), x), new double[] {0, 0, 0, 0, 0});
    }

    // ---- layout

    @Test
    void layoutOperatorsMoveValuesExactly() {
        Tensor x = random(bf16(2, 3, 4), 15, 1);
        Tensor t = apply(OpKind.TRANSPOSE, null, x);
        Tensor p = apply(OpKind.PERMUTE, attrs().integers("perm", List.of(2L, 0L, 1L)).build(), x);
        double[] refT = new double[24];
        double[] refP = new double[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    double v = x.get((i * 3 + j) * 4 + k);
                    refT[(i * 4 + k) * 3 + j] = v;
                    refP[(k * 2 + i) * 3 + j] = v;
                }
            }
        }
        assertExact(t, refT);
        assertExact(p, refP);
        Tensor r = apply(OpKind.RESHAPE, attrs().integers("shape", List.of(4L, -1L)).build(), x);
        assertEquals(List.of(4L, 6L), r.shape().dims());
        assertExact(r, x.toDoubleArray());
        Tensor s = apply(OpKind.SLICE, attrs().integer("axis", 1).integer("start", 1).integer("end", 3).build(), x);
        double[] refS = new double[16];
        for (int i = 0; i < 2; i++) {
            for (int j = 1; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    refS[(i * 2 + j - 1) * 4 + k] = x.get((i * 3 + j) * 4 + k);
                }
            }
        }
        assertExact(s, refS);
        Tensor y = random(bf16(2, 1, 4), 16, 1);
        Tensor c = apply(OpKind.CONCAT, attrs().integer("axis", 1).build(), x, y);
        double[] refC = new double[32];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 4; k++) {
                    refC[(i * 4 + j) * 4 + k] = j < 3 ? x.get((i * 3 + j) * 4 + k) : y.get(i * 4 + k);
                }
            }
        }
        assertExact(c, refC);
    }

    @Test
    void gatherEmbeddingAndUpdate() {
        Tensor table = random(bf16(5, 3), 17, 1);
        Tensor ids = Tensor.of(int32(2, 2), 4, 0, 0, 2);
        Tensor e = apply(OpKind.EMBEDDING, null, table, ids);
        assertEquals(List.of(2L, 2L, 3L), e.shape().dims());
        double[] refE = new double[12];
        for (int p = 0; p < 4; p++) {
            for (int d = 0; d < 3; d++) {
                refE[p * 3 + d] = table.get(ids.getInt(p) * 3 + d);
            }
        }
        assertExact(e, refE);
        Tensor g = apply(OpKind.GATHER, attrs().integer("axis", 1).build(), table, Tensor.of(int32(2), 2, 0));
        double[] refG = new double[10];
        for (int v = 0; v < 5; v++) {
            refG[v * 2] = table.get(v * 3 + 2);
            refG[v * 2 + 1] = table.get(v * 3);
        }
        assertExact(g, refG);
        Tensor cache = random(bf16(6, 2, 3), 18, 1);
        Tensor x = random(bf16(2, 2, 3), 19, 1);
        Tensor u = apply(OpKind.UPDATE, attrs().integer("axis", 0).integer("at", 3).build(), cache, x);
        double[] refU = cache.toDoubleArray();
        for (int i = 0; i < 12; i++) {
            refU[3 * 6 + i] = x.get(i);
        }
        assertExact(u, refU);
        try {
            apply(OpKind.EMBEDDING, null, table, Tensor.of(int32(1), 5));
            fail("an id past the table is an error");
        } catch (NumericException expected) {
            assertTrue(expected.getMessage().contains("index 5"), expected.getMessage());
        }
    }

    // ---- positions and sequences

    @Test
    void ropeRotatesInterleavedPairs() {
        int s = 3;
        int h = 2;
        int dh = 8;
        Tensor x = random(bf16(1, s, h, dh), 20, 1);
        long offset = 17;
        double theta = 500;
        Tensor got = apply(OpKind.ROPE, attrs().integer("offset", offset).number("theta", theta).build(), x);
        double[] ref = new double[x.size()];
        double[] abs = new double[x.size()];
        for (int row = 0; row < s; row++) {
            for (int head = 0; head < h; head++) {
                int base = (row * h + head) * dh;
                for (int i = 0; i < dh / 2; i++) {
                    double angle = (offset + row) / Math.pow(theta, 2.0 * i / dh);
                    double x0 = x.get(base + 2 * i);
                    double x1 = x.get(base + 2 * i + 1);
                    ref[base + 2 * i] = x0 * Math.cos(angle) - x1 * Math.sin(angle);
                    ref[base + 2 * i + 1] = x0 * Math.sin(angle) + x1 * Math.cos(angle);
                    // FP32 cos and sin, two products and a sum: 4 2^-24 (|x0| + |x1|)
                    abs[base + 2 * i] = 4 * U32 * (Math.abs(x0) + Math.abs(x1));
                    abs[base + 2 * i + 1] = abs[base + 2 * i];
                }
            }
        }
        assertClose(got, ref, U, abs);
    }

    @Test
    void conv1dIsCausalAndDepthwise() {
        int b = 2;
        int l = 6;
        int c = 3;
        int k = 4;
        Tensor x = random(bf16(b, l, c), 21, 1);
        Tensor w = random(bf16(c, k), 22, 1);
        Tensor bias = random(bf16(c), 23, 1);
        Tensor got = apply(OpKind.CONV1D, null, x, w, bias);
        Tensor noBias = apply(OpKind.CONV1D, null, x, w);
        double[] ref = new double[x.size()];
        double[] refNoBias = new double[x.size()];
        double[] abs = new double[x.size()];
        for (int bi = 0; bi < b; bi++) {
            for (int li = 0; li < l; li++) {
                for (int ci = 0; ci < c; ci++) {
                    double sum = 0;
                    double mag = Math.abs(bias.get(ci));
                    for (int j = 0; j < k; j++) {
                        int src = li - k + 1 + j;
                        if (src >= 0) {
                            double term = w.get(ci * k + j) * x.get((bi * l + src) * c + ci);
                            sum += term;
                            mag += Math.abs(term);
                        }
                    }
                    int at = (bi * l + li) * c + ci;
                    refNoBias[at] = sum;
                    ref[at] = sum + bias.get(ci);
                    abs[at] = (k + 1) * 2 * U32 * mag;
                }
            }
        }
        assertClose(got, ref, U, abs);
        assertClose(noBias, refNoBias, U, abs);
    }

    @Test
    void selectiveScanFollowsTheMambaRecurrence() {
        int b = 2;
        int l = 5;
        int d = 3;
        int n = 4;
        Tensor u = random(bf16(b, l, d), 24, 1);
        Tensor delta = Tensor.zeros(bf16(b, l, d));
        Tensor dRaw = random(bf16(b, l, d), 25, 1);
        for (int i = 0; i < delta.size(); i++) {
            delta.set(i, Math.log1p(Math.exp(dRaw.get(i))));
        }
        Tensor a = Tensor.zeros(fp32(d, n));
        for (int i = 0; i < a.size(); i++) {
            a.set(i, -(1 + i % n));
        }
        Tensor bm = random(bf16(b, l, n), 26, 1);
        Tensor cm = random(bf16(b, l, n), 27, 1);
        Tensor skip = random(bf16(d), 28, 1);
        Tensor a16 = Tensor.of(bf16(d, n), a.toDoubleArray());
        Tensor got = apply(OpKind.SELECTIVE_SCAN, null, u, delta, a16, bm, cm, skip);
        double[] ref = new double[u.size()];
        double[] abs = new double[u.size()];
        for (int bi = 0; bi < b; bi++) {
            double[][] h = new double[d][n];
            double[][] hMag = new double[d][n];
            for (int t = 0; t < l; t++) {
                for (int di = 0; di < d; di++) {
                    int at = (bi * l + t) * d + di;
                    double y = 0;
                    double mag = 0;
                    for (int s = 0; s < n; s++) {
                        double decay = Math.exp(delta.get(at) * a16.get(di * n + s));
                        double input = delta.get(at) * bm.get((bi * l + t) * n + s) * u.get(at);
                        h[di][s] = decay * h[di][s] + input;
                        hMag[di][s] = decay * hMag[di][s] + Math.abs(input);
                        y += cm.get((bi * l + t) * n + s) * h[di][s];
                        mag += Math.abs(cm.get((bi * l + t) * n + s)) * hMag[di][s];
                    }
                    ref[at] = y + skip.get(di) * u.get(at);
                    // FP32 state: about 6 roundings per step and state element, over t + 1 steps, plus the output sum
                    abs[at] = (6.0 * (t + 1) + n + 2) * U32 * (mag + Math.abs(skip.get(di) * u.get(at)));
                }
            }
        }
        assertClose(got, ref, U, abs);
    }

    // ---- collectives and copies

    @Test
    void oneSocketCollectivesAndCopyAreTheIdentity() {
        Tensor x = random(bf16(2, 3), 29, 1);
        assertExact(apply(OpKind.ALLREDUCE, null, x), x.toDoubleArray());
        assertExact(apply(OpKind.ALLGATHER, null, x), x.toDoubleArray());
        assertExact(apply(OpKind.COPY, attrs().name("to", "hbm").build(), x), x.toDoubleArray());
    }

    @AfterAll
    static void everyOperatorIsCovered() {
        assertEquals(EnumSet.allOf(OpKind.class), COVERED, "operators without a reference test");
    }
}
