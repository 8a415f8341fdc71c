package io.rdustudio.emulator.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rdustudio.core.ir.DType;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two matmul kernels: each against a double-precision reference written here, and the Vector
 * API kernel against the scalar one bit for bit, on shapes that are not multiples of the vector
 * length, the register block ({@link VectorMatMul#MR} x {@link VectorMatMul#NR}), the K block, the
 * row block or the packed column block, on both sides of the few-rows threshold of
 * {@link VectorMatMul#STREAM_ROWS}, with and without {@code transpose_b}, at offsets into larger
 * arrays (as batched matmuls call them), and at several thread counts. Surefire runs this JVM with
 * {@code --add-modules jdk.incubator.vector}; {@link MatMulFallbackTest} covers a JVM without it.
 */
class MatMulTest {

    private static final double U32 = 0x1p-24;

    /** An {@code m x k x n} matmul, B transposed or not, its operands and result at offsets into larger arrays. */
    record Case(int m, int k, int n, boolean transposeB, int aOff, int bOff, int cOff) {

        static Case of(int m, int k, int n, boolean transposeB) {
            return new Case(m, k, n, transposeB, 0, 0, 0);
        }

        float[] a(long seed) {
            return bf16Gaussian(aOff + m * k + 3, seed);
        }

        float[] b(long seed) {
            return bf16Gaussian(bOff + k * n + 5, seed + 1);
        }

        float[] run(MatMul.Kernel kernel, float[] a, float[] b, DType resultType, int threads) {
            float[] c = new float[cOff + m * n + 7];
            Arrays.fill(c, Float.NaN);
            kernel.multiply(a, aOff, b, bOff, transposeB, c, cOff, m, k, n, resultType, threads);
            for (int i = 0; i < c.length; i++) {
                if ((i < cOff || i >= cOff + m * n) && !Float.isNaN(c[i])) {
                    fail(this + " wrote element " + i + " outside its result");
                }
            }
            return Arrays.copyOfRange(c, cOff, cOff + m * n);
        }
    }

    static List<Case> cases() {
        int nr = VectorMatMul.NR;
        int kBlock = VectorMatMul.K_BLOCK;
        int rowBlock = VectorMatMul.ROW_BLOCK;
        int streamRows = VectorMatMul.STREAM_ROWS;
        return List.of(
                Case.of(1, 1, 1, false),
                Case.of(1, 1, 1, true),
                Case.of(7, 13, 5, false),
                Case.of(7, 13, 5, true),
                Case.of(VectorMatMul.MR, 16, nr, false),
                Case.of(VectorMatMul.MR + 1, kBlock + 1, nr + 1, false),
                Case.of(VectorMatMul.MR - 1, kBlock - 1, nr - 1, true),
                Case.of(rowBlock + 3, 2 * kBlock + 7, 2 * nr + 5, false),
                Case.of(rowBlock + 3, 2 * kBlock + 7, 2 * nr + 5, true),
                Case.of(1, 300, 517, false),
                Case.of(streamRows - 1, 2 * kBlock + 3, VectorMatMul.PANEL + 19, false),
                Case.of(streamRows, kBlock + 3, VectorMatMul.B_COLUMNS + nr + 5, false),
                Case.of(streamRows + 1, kBlock + 3, VectorMatMul.B_COLUMNS + nr + 5, true),
                Case.of(130, 257, 600, false),
                Case.of(97, 190, 3, true),
                new Case(5, 70, 9, false, 2 * 5 * 70, 70 * 9, 3 * 5 * 9),
                new Case(5, 70, 9, true, 5 * 70, 2 * 9 * 70, 5 * 9));
    }

    static List<Arguments> kernelsAndCases() {
        return List.of(MatMul.scalar(), vectorKernel()).stream()
                .flatMap(kernel -> cases().stream().map(c -> Arguments.of(kernel.description(), kernel, c)))
                .toList();
    }

    static MatMul.Kernel vectorKernel() {
        return MatMul.vector().orElseThrow(() -> new AssertionError(
                "the tests run with --add-modules jdk.incubator.vector (the emulator pom's surefire argLine)"));
    }

    private static float[] bf16Gaussian(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = Bf16.round((float) random.nextGaussian());
        }
        return values;
    }

    /** The bits of a result; every NaN as the one canonical NaN, since IEEE 754 leaves payloads open. */
    static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToIntBits(values[i]);
        }
        return bits;
    }

    @Test
    void theVectorKernelIsSelectedWhenTheModuleIsPresentAndC2Compiles() {
        assertSame(vectorKernel(), MatMul.selected());
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("kernelsAndCases")
    void eachKernelMatchesAPlainDoublePrecisionReference(String name, MatMul.Kernel kernel, Case c) {
        float[] a = c.a(11);
        float[] b = c.b(11);
        for (DType type : List.of(DType.BF16, DType.FP32)) {
            float[] got = c.run(kernel, a, b, type, MatMul.threads());
            // one rounding to the result type costs its unit roundoff; FP32 accumulation of k products
            // by fused multiply-adds at most k 2^-24 sum |a b|
            double rel = type == DType.BF16 ? Bf16.UNIT_ROUNDOFF : U32;
            for (int i = 0; i < c.m(); i++) {
                for (int j = 0; j < c.n(); j++) {
                    double sum = 0;
                    double magnitude = 0;
                    for (int q = 0; q < c.k(); q++) {
                        double x = a[c.aOff() + i * c.k() + q];
                        double y = c.transposeB() ? b[c.bOff() + j * c.k() + q] : b[c.bOff() + q * c.n() + j];
                        sum += x * y;
                        magnitude += Math.abs(x * y);
                    }
                    double bound = rel * Math.abs(sum) + 1.01 * c.k() * U32 * magnitude;
                    double error = Math.abs(got[i * c.n() + j] - sum);
                    if (!(error <= bound)) {
                        fail(type + " C[" + i + ", " + j + "] = " + got[i * c.n() + j] + ", reference " + sum
                                + ", bound " + bound);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vectorAndScalarKernelsGiveTheSameBitsAtEveryThreadCount(Case c) {
        float[] a = c.a(21);
        float[] b = c.b(21);
        for (DType type : List.of(DType.BF16, DType.FP32, DType.FP8E4M3)) {
            int[] scalar = bits(c.run(MatMul.scalar(), a, b, type, 1));
            for (int threads : new int[] {1, 2, 3, 8}) {
                assertArrayEquals(scalar, bits(c.run(vectorKernel(), a, b, type, threads)),
                        type + ", vector kernel on " + threads + " threads");
                assertArrayEquals(scalar, bits(c.run(MatMul.scalar(), a, b, type, threads)),
                        type + ", scalar kernel on " + threads + " threads");
            }
        }
    }

    @Test
    void nonFiniteOperandsGiveTheSameResultsOnBothKernels() {
        Case c = Case.of(9, 150, 53, false);
        float[] a = c.a(31);
        float[] b = c.b(31);
        a[3 * c.k() + 7] = Float.POSITIVE_INFINITY;
        a[5 * c.k() + 140] = Float.NaN;
        b[20 * c.n() + 50] = Float.NEGATIVE_INFINITY;
        b[60 * c.n() + 1] = 0f;
        a[8 * c.k() + 60] = Float.POSITIVE_INFINITY;
        float[] vector = c.run(vectorKernel(), a, b, DType.BF16, 2);
        assertArrayEquals(bits(c.run(MatMul.scalar(), a, b, DType.BF16, 2)), bits(vector));
        assertTrue(Float.isNaN(vector[5 * c.n()]), "a NaN in row 5 of A spreads over row 5 of C");
        assertTrue(Float.isNaN(vector[8 * c.n() + 1]), "inf times 0 is NaN");
        assertTrue(Float.isInfinite(vector[3 * c.n()]), "an infinity in row 3 of A meets finite values only");
    }

    @Test
    void matricesWithoutRowsOrColumnsWriteNothing() {
        for (MatMul.Kernel kernel : List.of(MatMul.scalar(), vectorKernel())) {
            for (Case c : List.of(Case.of(0, 5, 7, false), Case.of(4, 5, 0, false), Case.of(0, 5, 7, true))) {
                assertArrayEquals(new float[0], c.run(kernel, c.a(1), c.b(1), DType.BF16, 2), kernel.description());
            }
        }
    }

    @Test
    void anEmptySumIsZeroOnBothKernels() {
        Case c = Case.of(3, 0, 50, false);
        float[] zeros = new float[3 * 50];
        for (MatMul.Kernel kernel : List.of(MatMul.scalar(), vectorKernel())) {
            assertArrayEquals(zeros, c.run(kernel, new float[3], new float[5], DType.BF16, 2), kernel.description());
        }
    }
}
