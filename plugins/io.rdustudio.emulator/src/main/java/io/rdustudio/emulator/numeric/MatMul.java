package io.rdustudio.emulator.numeric;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.rdustudio.core.ir.DType;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The matmul fast path: {@code C[M, N] = A[M, K] B[K, N]} on row-major {@code float} storage, FP32
 * accumulation, one rounding to the result's element type per element of C.
 *
 * <p>Two implementations compute the same bits: {@link VectorMatMul} on the JDK's Vector API, and
 * {@link ScalarMatMul}, plain Java that C2 auto-vectorises. The Vector API is the incubator module
 * {@code jdk.incubator.vector} on Java 17, present only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code dfk} launcher passes it for the commands that
 * run the emulator). {@link #selected()} is chosen once: the vector kernel when that module is in the
 * boot layer and C2 compiles (interpreted or C1-compiled, the Vector API allocates an object per
 * operation and runs hundreds of times slower than the scalar kernel), the scalar kernel otherwise.
 * {@code VectorMatMul} is loaded by name only in the first case, so a plain {@code java -jar} never
 * touches a class that links against the module.
 *
 * <p>Determinism, the contract both kernels keep: every element of C sums its K products in the
 * order {@code k = 0, 1, ...}, one FP32 fused multiply-add each starting from +0, and is rounded once
 * when its last product is in. Tiling, K blocking (a partial sum is stored in FP32 between blocks),
 * the thread count and the kernel do not change that order, so they do not change the result: the
 * same inputs give the same bits everywhere (a NaN result is a NaN on both kernels; which NaN payload
 * survives when several meet is left open, as IEEE 754 leaves it).
 */
final class MatMul {

    /** One implementation of {@link MatMul#multiply}. */
    interface Kernel {

        /** What runs, for benchmark output ({@code "vector (16 x 32-bit lanes, 4 x 48 register block)"}). */
        String description();

        /**
         * Writes {@code round(A B)} to {@code c[cOff, cOff + m n)}, splitting the work for
         * {@code threads} threads (the split never changes the result).
         */
        void multiply(float[] a, int aOff, float[] b, int bOff, boolean transposeB, float[] c, int cOff, int m, int k,
                int n, DType resultType, int threads);
    }

    /** A rectangle of C: rows {@code [r0, r1)}, columns {@code [j0, j1)}. */
    @FunctionalInterface
    interface TileTask {
        void compute(int r0, int r1, int j0, int j1);
    }

    /** The system module that holds the Vector API on Java 17. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Below this many multiply-adds a matmul runs on the calling thread. */
    private static final long PARALLEL_THRESHOLD = 1L << 18;
    private static final Kernel SCALAR = new ScalarMatMul();
    private static final Optional<Kernel> VECTOR = loadVectorKernel();
    private static final Kernel SELECTED = VECTOR.isPresent() && c2Compiles() ? VECTOR.get() : SCALAR;

    private MatMul() {
    }

    /**
     * Writes {@code round(A B)} to {@code c[cOff, cOff + m n)} with the {@link #selected()} kernel on
     * every available core. A is {@code m x k} at {@code aOff}; B is {@code k x n} at {@code bOff}, or
     * {@code n x k} when {@code transposeB}.
     */
    static void multiply(float[] a, int aOff, float[] b, int bOff, boolean transposeB, float[] c, int cOff, int m,
            int k, int n, DType resultType) {
        SELECTED.multiply(a, aOff, b, bOff, transposeB, c, cOff, m, k, n, resultType, threads());
    }

    /** The kernel {@link #multiply} uses in this JVM. */
    static Kernel selected() {
        return SELECTED;
    }

    static Kernel scalar() {
        return SCALAR;
    }

    /** The Vector API kernel, when this JVM has the module (whether or not it is selected). */
    static Optional<Kernel> vector() {
        return VECTOR;
    }

    /** The threads a matmul spreads over: the calling thread and the common fork-join pool's. */
    static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static Optional<Kernel> loadVectorKernel() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of((Kernel) Class.forName(MatMul.class.getPackageName() + ".VectorMatMul")
                    .getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            // a JDK whose incubating API no longer fits the kernel: the scalar kernel gives the same
            // bits (MatMulTest fails if the kernel does not load on the JDK the build uses)
            return Optional.empty();
        }
    }

    /**
     * Whether HotSpot's optimising compiler C2 compiles this JVM's hot code: not with {@code -Xint},
     * nor with {@code -XX:TieredStopAtLevel} below 4 (C1 only). Another VM is assumed to optimise.
     */
    private static boolean c2Compiles() {
        if (System.getProperty("java.vm.info", "").contains("interpreted")) {
            return false;
        }
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return !Boolean.parseBoolean(vm.getVMOption("TieredCompilation").getValue())
                    || Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) >= 4;
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }

    /**
     * Runs {@code task} over tiles that cover C exactly once: row blocks of {@code rowBlock} rows and,
     * when there are too few of them to keep {@code threads} threads busy, column chunks whose starts
     * are multiples of {@code columnUnit}. Tiles run in parallel when the matmul is large enough.
     */
    static void forEachTile(int m, int n, int k, int rowBlock, int columnUnit, int threads, TileTask task) {
        if (m == 0 || n == 0) {
            return;
        }
        int rowBlocks = (m + rowBlock - 1) / rowBlock;
        boolean parallel = (long) m * n * k >= PARALLEL_THRESHOLD && threads > 1;
        int units = (n + columnUnit - 1) / columnUnit;
        int columnChunks = 1;
        if (parallel && rowBlocks < 2 * threads) {
            columnChunks = Math.max(1, Math.min(units, (2 * threads + rowBlocks - 1) / rowBlocks));
        }
        int chunks = columnChunks;
        IntStream tiles = IntStream.range(0, rowBlocks * chunks);
        (parallel && rowBlocks * chunks > 1 ? tiles.parallel() : tiles).forEach(t -> {
            int r0 = t / chunks * rowBlock;
            int chunk = t % chunks;
            int j0 = (int) ((long) units * chunk / chunks) * columnUnit;
            int j1 = Math.min(n, (int) ((long) units * (chunk + 1) / chunks) * columnUnit);
            task.compute(r0, Math.min(m, r0 + rowBlock), j0, j1);
        });
    }
}
