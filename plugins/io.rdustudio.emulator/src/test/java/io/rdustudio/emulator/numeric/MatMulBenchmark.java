package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.DType;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The numerical-mode speed benchmark of issue 4: a BF16-emulated matmul (BF16 operands, FP32
 * accumulation, BF16 result), 1024 x 1024 x 1024 unless given {@code N} or {@code MxKxN}, on the kernel
 * {@link MatMul} selects in this JVM, then on the scalar fallback when that is another kernel. Prints
 * which kernel and how many threads, then the best GFLOP/s of {@code runs} timed runs after
 * {@code warmups} untimed ones per kernel, as {@code java selected ... GFLOP/s: X} and
 * {@code java scalar fallback ... GFLOP/s: Y}, and checks that both kernels gave the same bits.
 * {@code benchmarks/matmul-vs-numpy.sh} runs it next to NumPy.
 */
public final class MatMulBenchmark {

    private MatMulBenchmark() {
    }

    public static void main(String[] args) {
        String[] shape = (args.length > 0 ? args[0] : "1024").split("x");
        int m = Integer.parseInt(shape[0]);
        int k = shape.length == 3 ? Integer.parseInt(shape[1]) : m;
        int n = shape.length == 3 ? Integer.parseInt(shape[2]) : m;
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        SplittableRandom random = new SplittableRandom(1);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = Bf16.round((float) random.nextDouble(-1, 1));
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = Bf16.round((float) random.nextDouble(-1, 1));
        }
        MatMul.Kernel selected = MatMul.selected();
        System.out.printf(Locale.ROOT, "java: selected kernel %s, %d threads%n", selected.description(),
                MatMul.threads());
        float[] fast = time("selected", selected, a, b, m, k, n, warmups, runs);
        if (selected != MatMul.scalar()) {
            float[] scalar = time("scalar fallback", MatMul.scalar(), a, b, m, k, n, warmups, runs);
            if (!Arrays.equals(fast, scalar)) {
                throw new AssertionError("the selected and the scalar kernel gave different results");
            }
            System.out.println("java: both kernels gave the same bits");
        }
    }

    private static float[] time(String label, MatMul.Kernel kernel, float[] a, float[] b, int m, int k, int n,
            int warmups, int runs) {
        float[] c = new float[m * n];
        for (int w = 0; w < warmups; w++) {
            kernel.multiply(a, 0, b, 0, false, c, 0, m, k, n, DType.BF16, MatMul.threads());
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            kernel.multiply(a, 0, b, 0, false, c, 0, m, k, n, DType.BF16, MatMul.threads());
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        double gflops = 2.0 * m * k * n / best / 1e9;
        System.out.printf(Locale.ROOT, "java %s, %s: %dx%dx%d bf16-emulated matmul, best %.2f ms, GFLOP/s: %.1f%n",
                label, kernel.description(), m, k, n, best * 1e3, gflops);
        return c;
    }
}
