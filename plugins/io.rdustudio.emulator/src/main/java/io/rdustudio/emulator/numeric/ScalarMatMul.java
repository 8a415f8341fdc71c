package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.DType;
import java.util.Arrays;

/**
 * The matmul kernel without the Vector API, for a JVM started without
 * {@code --add-modules jdk.incubator.vector}: plain Java that HotSpot's C2 auto-vectorises.
 *
 * <p>B is first copied into one array per row, and the accumulators are one array per row of C, so
 * the inner loop {@code acc[j] = fma(a3, b3[j], fma(a2, b2[j], fma(a1, b1[j], fma(a0, b0[j], acc[j]))))}
 * indexes every array by the loop variable alone, the form C2 turns into SIMD fused multiply-adds (an
 * invariant offset in one index and not the others defeats its vectoriser on Java 17, and so do
 * register-blocked forms with several accumulator rows). Cache blocking: C is computed in tiles of
 * {@value #ROW_BLOCK} rows, each tile's columns in panels of {@value #PANEL}, K in blocks of
 * {@value #K_BLOCK}, so the {@code K_BLOCK x PANEL} block of B (128 KiB) stays in L2 while the rows of
 * the tile pass over it. Each tile allocates its accumulators once; nothing is allocated per element.
 * The sums are those of {@link MatMul}'s contract, bit for bit those of {@link VectorMatMul}.
 */
final class ScalarMatMul implements MatMul.Kernel {

    static final int PANEL = 512;
    static final int K_BLOCK = 64;
    static final int ROW_BLOCK = 64;
    /** The narrowest column chunk a tile gets when small M makes the tiles split N: a loop worth vectorising. */
    static final int MIN_COLUMNS = 64;

    @Override
    public String description() {
        return "scalar (C2 auto-vectorised)";
    }

    @Override
    public void multiply(float[] a, int aOff, float[] b, int bOff, boolean transposeB, float[] c, int cOff, int m,
            int k, int n, DType resultType, int threads) {
        float[][] rows = transposeB ? transposedRows(b, bOff, n, k) : rows(b, bOff, k, n);
        MatMul.forEachTile(m, n, k, ROW_BLOCK, MIN_COLUMNS, threads,
                (r0, r1, j0, j1) -> tile(a, aOff, rows, c, cOff, r0, r1, j0, j1, k, n, resultType));
    }

    private static float[][] rows(float[] b, int bOff, int k, int n) {
        float[][] rows = new float[k][];
        for (int q = 0; q < k; q++) {
            rows[q] = Arrays.copyOfRange(b, bOff + q * n, bOff + (q + 1) * n);
        }
        return rows;
    }

    private static float[][] transposedRows(float[] b, int bOff, int n, int k) {
        float[][] rows = new float[k][n];
        for (int j = 0; j < n; j++) {
            int src = bOff + j * k;
            for (int q = 0; q < k; q++) {
                rows[q][j] = b[src + q];
            }
        }
        return rows;
    }

    private static void tile(float[] a, int aOff, float[][] b, float[] c, int cOff, int r0, int r1, int j0, int j1,
            int k, int n, DType resultType) {
        float[][] acc = new float[r1 - r0][n];
        for (int p0 = j0; p0 < j1; p0 += PANEL) {
            int end = Math.min(j1, p0 + PANEL);
            for (int k0 = 0; k0 < k; k0 += K_BLOCK) {
                int kEnd = Math.min(k, k0 + K_BLOCK);
                for (int i = r0; i < r1; i++) {
                    accumulateRow(a, aOff + i * k, b, acc[i - r0], k0, kEnd, p0, end);
                }
            }
        }
        for (int i = r0; i < r1; i++) {
            int at = cOff + i * n + j0;
            System.arraycopy(acc[i - r0], j0, c, at, j1 - j0);
            Tensor.roundInPlace(resultType, c, at, at + j1 - j0);
        }
    }

    /** {@code acc[from, to) += sum over kk in [k0, kEnd) of a[row + kk] * b[kk][from, to)}, in kk order. */
    private static void accumulateRow(float[] a, int row, float[][] b, float[] acc, int k0, int kEnd, int from,
            int to) {
        int kk = k0;
        for (; kk + 4 <= kEnd; kk += 4) {
            float a0 = a[row + kk];
            float a1 = a[row + kk + 1];
            float a2 = a[row + kk + 2];
            float a3 = a[row + kk + 3];
            float[] b0 = b[kk];
            float[] b1 = b[kk + 1];
            float[] b2 = b[kk + 2];
            float[] b3 = b[kk + 3];
            for (int j = from; j < to; j++) {
                acc[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], acc[j]))));
            }
        }
        for (; kk < kEnd; kk++) {
            float a0 = a[row + kk];
            float[] b0 = b[kk];
            for (int j = from; j < to; j++) {
                acc[j] = Math.fma(a0, b0[j], acc[j]);
            }
        }
    }
}
