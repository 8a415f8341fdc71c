package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.DType;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The numerical-mode speed benchmark of issue 4: a 1024 x 1024 x 1024 BF16-emulated matmul (BF16
 * operands, FP32 accumulation, BF16 result) on the emulator's fast path. Prints the best GFLOP/s of
 * {@code runs} timed runs after {@code warmups} untimed ones, as {@code java GFLOP/s: X}.
 * {@code benchmarks/matmul-vs-numpy.sh} runs it next to NumPy.
 */
public final class MatMulBenchmark {

    private MatMulBenchmark() {
    }

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        SplittableRandom random = new SplittableRandom(1);
        float[] a = new float[size * size];
        float[] b = new float[size * size];
        for (int i = 0; i < a.length; i++) {
            a[i] = Bf16.round((float) random.nextDouble(-1, 1));
            b[i] = Bf16.round((float) random.nextDouble(-1, 1));
        }
        float[] c = new float[size * size];
        for (int w = 0; w < warmups; w++) {
            MatMul.multiply(a, 0, b, 0, false, c, 0, size, size, size, DType.BF16);
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            MatMul.multiply(a, 0, b, 0, false, c, 0, size, size, size, DType.BF16);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        double gflops = 2.0 * size * size * size / best / 1e9;
        System.out.printf(Locale.ROOT, "java %dx%dx%d bf16-emulated matmul: best %.2f ms, GFLOP/s: %.1f%n", size, size,
                size, best * 1e3, gflops);
    }
}
