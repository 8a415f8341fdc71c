package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.DType;
import java.util.stream.IntStream;

/**
 * The matmul fast path: {@code C[M, N] = A[M, K] B[K, N]} on row-major {@code float} storage, FP32
 * accumulation, one rounding to the result's element type per element of C.
 *
 * <p>How it is fast without the Vector API (so a plain {@code java -jar} needs no flag): B is first
 * copied into one array per row, and the accumulators are one array per row of C, so the inner loop
 * {@code acc[j] = fma(a3, b3[j], fma(a2, b2[j], fma(a1, b1[j], fma(a0, b0[j], acc[j]))))} indexes
 * every array by the loop variable alone, the form HotSpot's C2 turns into SIMD fused multiply-adds
 * (an invariant offset in one index and not the others defeats its vectoriser on Java 17). Cache
 * blocking: C is computed in tiles of {@value #ROW_CHUNK} rows by {@value #PANEL} columns, K in blocks
 * of {@value #K_BLOCK}, so the {@code K_BLOCK x PANEL} block of B (128 KiB) stays in L2 while the rows
 * of the tile pass over it. Tiles are spread over the cores with a parallel stream; each task
 * allocates its accumulators once, nothing is allocated per element.
 *
 * <p>Determinism: every element of C sums its K products in the order {@code k = 0, 1, ...}, one FP32
 * fused multiply-add each, whatever the tiling or the number of threads; the same inputs always
 * give the same bits, which is what makes fused and unfused runs agree.
 */
final class MatMul {

    static final int PANEL = 512;
    static final int K_BLOCK = 64;
    static final int ROW_CHUNK = 64;
    /** Below this many multiply-adds a matmul runs on the calling thread. */
    private static final long PARALLEL_THRESHOLD = 1L << 18;

    private MatMul() {
    }

    /**
     * Writes {@code round(A B)} to {@code c[cOff, cOff + m n)}. A is {@code m x k} at {@code aOff}; B is
     * {@code k x n} at {@code bOff}, or {@code n x k} when {@code transposeB}.
     */
    static void multiply(float[] a, int aOff, float[] b, int bOff, boolean transposeB, float[] c, int cOff, int m,
            int k, int n, DType resultType) {
        float[][] rows = transposeB ? transposedRows(b, bOff, n, k) : rows(b, bOff, k, n);
        int rowChunks = (m + ROW_CHUNK - 1) / ROW_CHUNK;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean parallel = (long) m * n * k >= PARALLEL_THRESHOLD && threads > 1;
        int columnSplits = 1;
        if (parallel && rowChunks < 2 * threads) {
            columnSplits = Math.max(1, Math.min((n + 63) / 64, (2 * threads + rowChunks - 1) / rowChunks));
        }
        int splits = columnSplits;
        int tiles = rowChunks * splits;
        IntStream range = IntStream.range(0, tiles);
        (parallel && tiles > 1 ? range.parallel() : range).forEach(t -> {
            int chunk = t / splits;
            int split = t % splits;
            int r0 = chunk * ROW_CHUNK;
            int r1 = Math.min(m, r0 + ROW_CHUNK);
            int j0 = (int) ((long) n * split / splits);
            int j1 = (int) ((long) n * (split + 1) / splits);
            tile(a, aOff, rows, c, cOff, r0, r1, j0, j1, k, n, resultType);
        });
    }

    private static float[][] rows(float[] b, int bOff, int k, int n) {
        float[][] rows = new float[k][];
        for (int q = 0; q < k; q++) {
            rows[q] = java.util.Arrays.copyOfRange(b, bOff + q * n, bOff + (q + 1) * n);
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
