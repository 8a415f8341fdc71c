package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.DType;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matmul kernel on the JDK's Vector API ({@code jdk.incubator.vector}); only {@link MatMul} loads
 * it, by name, and only when the module is in the boot layer.
 *
 * <p>The layout of the classic high-performance GEMM (Goto and van de Geijn, "Anatomy of
 * high-performance matrix multiplication", ACM TOMS 34(3), 2008), in the order that keeps
 * {@link MatMul}'s contract: the register block is {@value #MR} rows of C by {@code NR} = three
 * vectors of columns (12 accumulators of the preferred vector width, 16 lanes with AVX-512, 8 with
 * AVX2), and each step of its K loop broadcasts one element of A per row and does one fused
 * multiply-add per accumulator, so every element of C takes its products in K order exactly as the
 * scalar kernel does ({@code FloatVector.fma} is {@code Math.fma} per lane).
 *
 * <ul>
 * <li>C is computed in tiles of {@value #ROW_BLOCK} rows (split over N too when M is small). For
 * each K block of {@value #K_BLOCK} a tile packs its rows of A into slivers of {@value #MR} rows,
 * interleaved by k, and B's rows of that block {@code B_COLUMNS} columns at a time into panels of
 * {@code NR} columns, interleaved by k (about 500 KiB, in L2; one panel, 24 KiB at 16 lanes, stays in
 * L1 while every sliver of the tile passes over it). Packing per tile reads B once per row block,
 * row by row, and needs no copy as large as B; {@code transpose_b} is a packing order.
 * <li>Between K blocks the partial sums are held in C in FP32, so blocking does not change them; a
 * tile rounds its part of C once, after the last block.
 * <li>Edge blocks (fewer than {@value #MR} rows or {@code NR} columns) run the same kernel on a
 * scratch block and copy the valid part, so there is one kernel and no masked arithmetic.
 * <li>Fewer rows than a register block, B not transposed (a decode step's {@code 1 x 4096 x 11008}):
 * no packing, {@link #streamRows} reads B in place once, four rows of B at a time.
 * </ul>
 * Tiles spread over the cores with {@link MatMul#forEachTile}; each allocates its scratch arrays
 * once, nothing is allocated per element.
 */
final class VectorMatMul implements MatMul.Kernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    static final int MR = 4;
    static final int NR = 3 * LANES;
    static final int K_BLOCK = 128;
    /**
     * Rows of a tile: each tile packs all of B once, so more rows cost fewer reads of B, as long as its
     * packed A ({@code ROW_BLOCK x K_BLOCK}, 128 KiB) and a packed block of B fit in L2 together. 1024^3
     * on this machine: about 175 GFLOP/s with 256 rows, 135-160 with 64 (loaded, side by side).
     */
    static final int ROW_BLOCK = 256;
    /**
     * Below this many rows of C (and B not transposed) {@link #streamRows} runs instead of packing: a
     * register block would be mostly empty rows, and packing B would cost more than reading it once.
     * Measured on 1 to 15 rows of 1024 x 1024 and 4096 x 4096: streaming is faster for 1 and 2 rows
     * (0.07 against 0.18 ms at 1 row of 1024), packing from 4 rows on (0.23 against 0.37 ms at 8).
     */
    static final int STREAM_ROWS = MR;
    /** The columns of C {@link #streamRows} works on at a time. */
    static final int PANEL = 512;
    /** The columns of B a tile packs at a time, whole panels: {@code K_BLOCK x B_COLUMNS} (504 KiB) stays in L2. */
    static final int B_COLUMNS = 1024 / NR * NR;

    @Override
    public String description() {
        return "vector (" + LANES + " x 32-bit lanes, " + MR + " x " + NR + " register block)";
    }

    @Override
    public void multiply(float[] a, int aOff, float[] b, int bOff, boolean transposeB, float[] c, int cOff, int m,
            int k, int n, DType resultType, int threads) {
        if (k == 0) {
            Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        if (m < STREAM_ROWS && !transposeB) {
            MatMul.forEachTile(m, n, k, m, PANEL, threads,
                    (r0, r1, j0, j1) -> streamRows(a, aOff, b, bOff, k, c, cOff, n, r0, r1, j0, j1, resultType));
        } else {
            MatMul.forEachTile(m, n, k, ROW_BLOCK, NR, threads, (r0, r1, j0, j1) -> tile(a, aOff, b, bOff, transposeB,
                    k, c, cOff, n, r0, r1, j0, j1, resultType));
        }
    }

    /**
     * Rows {@code [r0, r1)} of C, few of them, accumulated in place over B's rows read where they are:
     * four rows of B at a time, each element of C takes their four products in k order. C is worked
     * through in column panels of {@value #PANEL} so that the tile's part of it stays in L1; each row
     * of B is read from memory once.
     */
    private static void streamRows(float[] a, int aOff, float[] b, int bOff, int k, float[] c, int cOff, int n,
            int r0, int r1, int j0, int j1, DType resultType) {
        for (int i = r0; i < r1; i++) {
            Arrays.fill(c, cOff + i * n + j0, cOff + i * n + j1, 0f);
        }
        for (int p0 = j0; p0 < j1; p0 += PANEL) {
            int p1 = Math.min(j1, p0 + PANEL);
            int q = 0;
            for (; q + 4 <= k; q += 4) {
                for (int i = r0; i < r1; i++) {
                    streamFour(a, aOff + i * k + q, b, bOff + q * n, n, c, cOff + i * n, p0, p1);
                }
            }
            for (; q < k; q++) {
                for (int i = r0; i < r1; i++) {
                    streamOne(a[aOff + i * k + q], b, bOff + q * n, c, cOff + i * n, p0, p1);
                }
            }
        }
        for (int i = r0; i < r1; i++) {
            Tensor.roundInPlace(resultType, c, cOff + i * n + j0, cOff + i * n + j1);
        }
    }

    /** {@code c[cRow + j] += a[at + t] b[bRow + t n + j]} for t = 0 .. 3 in that order, j in {@code [from, to)}. */
    private static void streamFour(float[] a, int at, float[] b, int bRow, int n, float[] c, int cRow, int from,
            int to) {
        float x0 = a[at];
        float x1 = a[at + 1];
        float x2 = a[at + 2];
        float x3 = a[at + 3];
        FloatVector v0 = FloatVector.broadcast(SPECIES, x0);
        FloatVector v1 = FloatVector.broadcast(SPECIES, x1);
        FloatVector v2 = FloatVector.broadcast(SPECIES, x2);
        FloatVector v3 = FloatVector.broadcast(SPECIES, x3);
        int b1 = bRow + n;
        int b2 = b1 + n;
        int b3 = b2 + n;
        int j = from;
        for (; j + LANES <= to; j += LANES) {
            FloatVector acc = FloatVector.fromArray(SPECIES, c, cRow + j);
            acc = v0.fma(FloatVector.fromArray(SPECIES, b, bRow + j), acc);
            acc = v1.fma(FloatVector.fromArray(SPECIES, b, b1 + j), acc);
            acc = v2.fma(FloatVector.fromArray(SPECIES, b, b2 + j), acc);
            acc = v3.fma(FloatVector.fromArray(SPECIES, b, b3 + j), acc);
            acc.intoArray(c, cRow + j);
        }
        for (; j < to; j++) {
            c[cRow + j] = Math.fma(x3, b[b3 + j], Math.fma(x2, b[b2 + j], Math.fma(x1, b[b1 + j],
                    Math.fma(x0, b[bRow + j], c[cRow + j]))));
        }
    }

    /** {@code c[cRow + j] += x b[bRow + j]} for j in {@code [from, to)}. */
    private static void streamOne(float x, float[] b, int bRow, float[] c, int cRow, int from, int to) {
        FloatVector v = FloatVector.broadcast(SPECIES, x);
        int j = from;
        for (; j + LANES <= to; j += LANES) {
            v.fma(FloatVector.fromArray(SPECIES, b, bRow + j), FloatVector.fromArray(SPECIES, c, cRow + j))
                    .intoArray(c, cRow + j);
        }
        for (; j < to; j++) {
            c[cRow + j] = Math.fma(x, b[bRow + j], c[cRow + j]);
        }
    }

    private static void tile(float[] a, int aOff, float[] b, int bOff, boolean transposeB, int k, float[] c, int cOff,
            int n, int r0, int r1, int j0, int j1, DType resultType) {
        int slivers = (r1 - r0 + MR - 1) / MR;
        int kcMax = Math.min(K_BLOCK, k);
        float[] packedA = new float[slivers * MR * kcMax];
        float[] packedB = new float[kcMax * Math.min(B_COLUMNS, (j1 - j0 + NR - 1) / NR * NR)];
        float[] edge = new float[MR * NR];
        for (int k0 = 0; k0 < k; k0 += K_BLOCK) {
            int kc = Math.min(K_BLOCK, k - k0);
            packRows(a, aOff, k, r0, r1, k0, kc, packedA);
            boolean accumulate = k0 > 0;
            for (int jc = j0; jc < j1; jc += B_COLUMNS) {
                int jcEnd = Math.min(j1, jc + B_COLUMNS);
                packColumns(b, bOff, transposeB, k, n, k0, kc, jc, jcEnd, packedB);
                for (int j = jc; j < jcEnd; j += NR) {
                    int cols = Math.min(NR, jcEnd - j);
                    int panel = (j - jc) * kc;
                    for (int i = r0; i < r1; i += MR) {
                        int rows = Math.min(MR, r1 - i);
                        int sliver = (i - r0) * kc;
                        int at = cOff + i * n + j;
                        if (rows == MR && cols == NR) {
                            block(packedA, sliver, packedB, panel, kc, c, at, n, accumulate);
                        } else {
                            if (accumulate) {
                                copyBlock(c, at, n, edge, 0, NR, rows, cols);
                            }
                            block(packedA, sliver, packedB, panel, kc, edge, 0, NR, accumulate);
                            copyBlock(edge, 0, NR, c, at, n, rows, cols);
                        }
                    }
                }
            }
        }
        for (int i = r0; i < r1; i++) {
            Tensor.roundInPlace(resultType, c, cOff + i * n + j0, cOff + i * n + j1);
        }
    }

    /**
     * B's rows {@code [k0, k0 + kc)}, columns {@code [jc, jcEnd)} into panels of {@code kc x NR}, each
     * k-major: column {@code j} at {@code packed[(j - jc) / NR kc NR + q NR + (j - jc) % NR]}. B is read
     * along its rows (along the rows of its transpose with {@code transposeB}), so the reads stream.
     * Columns of the last panel past {@code jcEnd} keep stale values: their sums land in columns of the
     * scratch block that are never copied out.
     */
    private static void packColumns(float[] b, int bOff, boolean transposeB, int k, int n, int k0, int kc, int jc,
            int jcEnd, float[] packed) {
        if (transposeB) {
            for (int j = jc; j < jcEnd; j++) {
                int dst = (j - jc) / NR * kc * NR + (j - jc) % NR;
                int src = bOff + j * k + k0;
                for (int q = 0; q < kc; q++) {
                    packed[dst + q * NR] = b[src + q];
                }
            }
        } else {
            for (int q = 0; q < kc; q++) {
                int src = bOff + (k0 + q) * n;
                for (int j = jc; j < jcEnd; j += NR) {
                    System.arraycopy(b, src + j, packed, (j - jc) * kc + q * NR, Math.min(NR, jcEnd - j));
                }
            }
        }
    }

    /**
     * A's rows {@code [r0, r1)}, columns {@code [k0, k0 + kc)} into slivers of {@value #MR} rows, each
     * k-major: {@code packed[(i / MR) MR kc + q MR + i % MR]}. Rows of the last sliver past {@code r1}
     * keep stale values: their sums land in rows of the scratch block that are never copied out.
     */
    private static void packRows(float[] a, int aOff, int k, int r0, int r1, int k0, int kc, float[] packed) {
        for (int i = r0; i < r1; i++) {
            int r = i - r0;
            int dst = r / MR * MR * kc + r % MR;
            int src = aOff + i * k + k0;
            for (int q = 0; q < kc; q++) {
                packed[dst + q * MR] = a[src + q];
            }
        }
    }

    private static void copyBlock(float[] from, int fromOff, int fromStride, float[] to, int toOff, int toStride,
            int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(from, fromOff + r * fromStride, to, toOff + r * toStride, cols);
        }
    }

    /**
     * The register block: {@code C[4, NR] (+)= A sliver x B panel} over {@code kc} steps of k, C at
     * {@code c[cOff]} with row stride {@code ldc}; starts from zero unless {@code accumulate}.
     */
    private static void block(float[] packedA, int sliver, float[] packedB, int panel, int kc, float[] c, int cOff,
            int ldc, boolean accumulate) {
        int c1 = cOff + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector acc00;
        FloatVector acc01;
        FloatVector acc02;
        FloatVector acc10;
        FloatVector acc11;
        FloatVector acc12;
        FloatVector acc20;
        FloatVector acc21;
        FloatVector acc22;
        FloatVector acc30;
        FloatVector acc31;
        FloatVector acc32;
        if (accumulate) {
            acc00 = FloatVector.fromArray(SPECIES, c, cOff);
            acc01 = FloatVector.fromArray(SPECIES, c, cOff + LANES);
            acc02 = FloatVector.fromArray(SPECIES, c, cOff + 2 * LANES);
            acc10 = FloatVector.fromArray(SPECIES, c, c1);
            acc11 = FloatVector.fromArray(SPECIES, c, c1 + LANES);
            acc12 = FloatVector.fromArray(SPECIES, c, c1 + 2 * LANES);
            acc20 = FloatVector.fromArray(SPECIES, c, c2);
            acc21 = FloatVector.fromArray(SPECIES, c, c2 + LANES);
            acc22 = FloatVector.fromArray(SPECIES, c, c2 + 2 * LANES);
            acc30 = FloatVector.fromArray(SPECIES, c, c3);
            acc31 = FloatVector.fromArray(SPECIES, c, c3 + LANES);
            acc32 = FloatVector.fromArray(SPECIES, c, c3 + 2 * LANES);
        } else {
            FloatVector zero = FloatVector.zero(SPECIES);
            acc00 = zero;
            acc01 = zero;
            acc02 = zero;
            acc10 = zero;
            acc11 = zero;
            acc12 = zero;
            acc20 = zero;
            acc21 = zero;
            acc22 = zero;
            acc30 = zero;
            acc31 = zero;
            acc32 = zero;
        }
        for (int q = 0; q < kc; q++) {
            int bq = panel + q * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, packedB, bq);
            FloatVector b1 = FloatVector.fromArray(SPECIES, packedB, bq + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, packedB, bq + 2 * LANES);
            int aq = sliver + q * MR;
            FloatVector a0 = FloatVector.broadcast(SPECIES, packedA[aq]);
            acc00 = a0.fma(b0, acc00);
            acc01 = a0.fma(b1, acc01);
            acc02 = a0.fma(b2, acc02);
            FloatVector a1 = FloatVector.broadcast(SPECIES, packedA[aq + 1]);
            acc10 = a1.fma(b0, acc10);
            acc11 = a1.fma(b1, acc11);
            acc12 = a1.fma(b2, acc12);
            FloatVector a2 = FloatVector.broadcast(SPECIES, packedA[aq + 2]);
            acc20 = a2.fma(b0, acc20);
            acc21 = a2.fma(b1, acc21);
            acc22 = a2.fma(b2, acc22);
            FloatVector a3 = FloatVector.broadcast(SPECIES, packedA[aq + 3]);
            acc30 = a3.fma(b0, acc30);
            acc31 = a3.fma(b1, acc31);
            acc32 = a3.fma(b2, acc32);
        }
        acc00.intoArray(c, cOff);
        acc01.intoArray(c, cOff + LANES);
        acc02.intoArray(c, cOff + 2 * LANES);
        acc10.intoArray(c, c1);
        acc11.intoArray(c, c1 + LANES);
        acc12.intoArray(c, c1 + 2 * LANES);
        acc20.intoArray(c, c2);
        acc21.intoArray(c, c2 + LANES);
        acc22.intoArray(c, c2 + 2 * LANES);
        acc30.intoArray(c, c3);
        acc31.intoArray(c, c3 + LANES);
        acc32.intoArray(c, c3 + 2 * LANES);
    }
}
