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
 * <li>B is packed once per matmul into panels of {@code K_BLOCK x NR} (zero-padded past N), one array
 * each (24 KiB at 16 lanes, so a panel stays in L1 while the row block passes over it), which also
 * turns {@code transpose_b} into a packing order.
 * <li>C is computed in tiles of {@value #ROW_BLOCK} rows; for each K block a tile packs its rows of A
 * into slivers of {@value #MR} rows, interleaved by k, which stay in L2. Between K blocks the partial
 * sums are held in C in FP32, so blocking does not change them; a tile rounds its part of C once,
 * after the last block.
 * <li>Edge blocks (fewer than {@value #MR} rows or {@code NR} columns) run the same kernel on a
 * scratch block and copy the valid part, so there is one kernel and no masked arithmetic.
 * </ul>
 * Tiles (and B's panels) spread over the cores with {@link MatMul#forEachTile}; each tile allocates
 * its two scratch arrays once, nothing is allocated per element.
 */
final class VectorMatMul implements MatMul.Kernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    static final int MR = 4;
    static final int NR = 3 * LANES;
    static final int K_BLOCK = 128;
    static final int ROW_BLOCK = 64;

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
        int kBlocks = (k + K_BLOCK - 1) / K_BLOCK;
        int strips = (n + NR - 1) / NR;
        float[][] panels = new float[strips * kBlocks][];
        MatMul.forEach(strips, MatMul.isParallel(m, n, k, threads),
                s -> packStrip(b, bOff, transposeB, k, n, s, kBlocks, panels));
        MatMul.forEachTile(m, n, k, ROW_BLOCK, NR, threads,
                (r0, r1, j0, j1) -> tile(a, aOff, k, panels, kBlocks, c, cOff, n, r0, r1, j0, j1, resultType));
    }

    /** Panels {@code [s kBlocks, (s + 1) kBlocks)}: B's columns {@code [s NR, s NR + NR)}, by K block, k-major. */
    private static void packStrip(float[] b, int bOff, boolean transposeB, int k, int n, int s, int kBlocks,
            float[][] panels) {
        int j = s * NR;
        int cols = Math.min(NR, n - j);
        for (int kb = 0; kb < kBlocks; kb++) {
            int k0 = kb * K_BLOCK;
            int kc = Math.min(K_BLOCK, k - k0);
            float[] panel = new float[kc * NR];
            if (transposeB) {
                for (int jj = 0; jj < cols; jj++) {
                    int src = bOff + (j + jj) * k + k0;
                    for (int q = 0; q < kc; q++) {
                        panel[q * NR + jj] = b[src + q];
                    }
                }
            } else {
                for (int q = 0; q < kc; q++) {
                    System.arraycopy(b, bOff + (k0 + q) * n + j, panel, q * NR, cols);
                }
            }
            panels[s * kBlocks + kb] = panel;
        }
    }

    private static void tile(float[] a, int aOff, int k, float[][] panels, int kBlocks, float[] c, int cOff, int n,
            int r0, int r1, int j0, int j1, DType resultType) {
        int slivers = (r1 - r0 + MR - 1) / MR;
        float[] packedA = new float[slivers * MR * Math.min(K_BLOCK, k)];
        float[] edge = new float[MR * NR];
        for (int kb = 0; kb < kBlocks; kb++) {
            int k0 = kb * K_BLOCK;
            int kc = Math.min(K_BLOCK, k - k0);
            packRows(a, aOff, k, r0, r1, k0, kc, packedA);
            boolean accumulate = kb > 0;
            for (int j = j0; j < j1; j += NR) {
                float[] panel = panels[j / NR * kBlocks + kb];
                int cols = Math.min(NR, n - j);
                for (int i = r0; i < r1; i += MR) {
                    int rows = Math.min(MR, r1 - i);
                    int sliver = (i - r0) * kc;
                    int at = cOff + i * n + j;
                    if (rows == MR && cols == NR) {
                        block(packedA, sliver, panel, kc, c, at, n, accumulate);
                    } else {
                        if (accumulate) {
                            copyBlock(c, at, n, edge, 0, NR, rows, cols);
                        }
                        block(packedA, sliver, panel, kc, edge, 0, NR, accumulate);
                        copyBlock(edge, 0, NR, c, at, n, rows, cols);
                    }
                }
            }
        }
        for (int i = r0; i < r1; i++) {
            Tensor.roundInPlace(resultType, c, cOff + i * n + j0, cOff + i * n + j1);
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
    private static void block(float[] packedA, int sliver, float[] panel, int kc, float[] c, int cOff, int ldc,
            boolean accumulate) {
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
            int bq = q * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, panel, bq);
            FloatVector b1 = FloatVector.fromArray(SPECIES, panel, bq + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, panel, bq + 2 * LANES);
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
