package io.rdustudio.emulator.numeric;

import static io.rdustudio.emulator.numeric.Ir.attrs;
import static io.rdustudio.emulator.numeric.Ir.bf16;
import static io.rdustudio.emulator.numeric.Ir.kernel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Orchestration;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Role;
import io.rdustudio.core.ir.Schedule;
import io.rdustudio.core.ir.Step;
import io.rdustudio.core.ir.TensorDecl;
import io.rdustudio.core.ir.TensorRef;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ops.TensorParallelism;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class NumericRunTest {

    private static TensorDecl decl(String name, Role role, TensorType type) {
        return new TensorDecl(name, role, type, Optional.empty(), Ir.at(1));
    }

    private static TensorRef ref(String tensor) {
        return new TensorRef(tensor, List.of(), Ir.at(1));
    }

    private static TensorRef ref(String tensor, String loopVar, long offset) {
        return new TensorRef(tensor, List.of(new TensorRef.Index(loopVar, offset)), Ir.at(1));
    }

    private static Step.KernelCall call(String kernel, List<TensorRef> in, List<TensorRef> out) {
        return new Step.KernelCall(kernel, in, out, Ir.at(1));
    }

    private static Program program(List<TensorDecl> tensors, List<Kernel> kernels, List<Step> steps) {
        Map<String, Kernel> byName = new LinkedHashMap<>();
        kernels.forEach(k -> byName.put(k.instanceName(), k));
        return new Program("p", "test.dfk", Map.of(), tensors, byName,
                Optional.of(new Schedule(1, Orchestration.HARDWARE, steps, Ir.at(1))));
    }

    @Test
    void fusedAndUnfusedRunsGiveIdenticalBits() {
        TensorType x = bf16(48, 96);
        TensorType w = bf16(96, 80);
        TensorType h = bf16(48, 80);
        Kernel fused = kernel("fused").in("x", x).in("w", w).out("y", h)
                .op("m", OpKind.MATMUL, null, "x", "w").op("y", OpKind.GELU, null, "m").build();
        Kernel first = kernel("first").in("x", x).in("w", w).out("m", h).op("m", OpKind.MATMUL, null, "x", "w").build();
        Kernel second = kernel("second").in("m", h).out("y", h).op("y", OpKind.GELU, null, "m").build();
        List<TensorDecl> tensors = List.of(decl("x", Role.INPUT, x), decl("w", Role.WEIGHT, w),
                decl("mid", Role.LOCAL, h), decl("y", Role.OUTPUT, h));
        Program one = program(tensors, List.of(fused), List.of(call("fused", List.of(ref("x"), ref("w")), List.of(ref("y")))));
        Program two = program(tensors, List.of(first, second), List.of(
                call("first", List.of(ref("x"), ref("w")), List.of(ref("mid"))),
                call("second", List.of(ref("mid")), List.of(ref("y")))));
        Tensor a = new NumericRun(one).seed(7).execute().outputs().get("y");
        Tensor b = new NumericRun(two).seed(7).execute().outputs().get("y");
        assertArrayEquals(a.toDoubleArray(), b.toDoubleArray());
        assertTrue(a.toDoubleArray()[0] != 0, "the run computed something");
    }

    @Test
    void loopsSelectLayersAndWriteIndexedTargetsAndState() {
        TensorType row = bf16(1, 4);
        Kernel step = kernel("step").in("x", row).in("w", bf16(4, 4)).state("c", bf16(3, 4)).out("y", row)
                .op("y", OpKind.MATMUL, null, "x", "w")
                .op("c", OpKind.UPDATE, attrs().integer("axis", 0).integer("at", 1).build(), "c", "y").build();
        List<TensorDecl> tensors = List.of(decl("x_in", Role.INPUT, row), decl("w", Role.WEIGHT, bf16(2, 4, 4)),
                decl("cache", Role.STATE, bf16(2, 3, 4)), decl("x", Role.LOCAL, row), decl("ys", Role.OUTPUT, bf16(2, 1, 4)));
        Program p = program(tensors, List.of(step), List.of(
                call("step", List.of(ref("x_in"), ref("w", null, 0), ref("cache", null, 0)),
                        List.of(ref("cache", null, 0), ref("x"))),
                new Step.Loop("l", 1, 2, List.of(call("step", List.of(ref("x"), ref("w", "l", 0), ref("cache", "l", 0)),
                        List.of(ref("cache", "l", 0), ref("ys", "l", 0)))), Ir.at(1))));
        Tensor xIn = Tensor.of(row, 1, 0, 0, 0);
        Tensor w = Tensor.zeros(bf16(2, 4, 4));
        for (int i = 0; i < 4; i++) {
            w.set(i * 4 + i, 2);
            w.set(16 + i * 4 + (3 - i), 1);
        }
        List<long[]> progress = new ArrayList<>();
        NumericRun.Result r = new NumericRun(p).inputs(Map.of("x_in", xIn, "w", w))
                .onProgress((done, total) -> progress.add(new long[] {done, total})).execute();
        // layer 0 doubles x: [2, 0, 0, 0]; layer 1 reverses it into ys[1]
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 0, 2}, r.outputs().get("ys").toDoubleArray());
        Tensor cache = r.states().get("cache");
        assertArrayEquals(new double[] {2, 0, 0, 0}, cache.slice(0, 1).toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 0, 2}, cache.slice(1, 1).toDoubleArray());
        assertEquals(2, r.kernelCalls());
        assertArrayEquals(new long[] {2, 2}, progress.get(progress.size() - 1));
    }

    @Test
    void aTensorParallelKernelComputesTheUnsplitValues() {
        TensorType x = bf16(4, 64);
        Kernel whole = kernel("mlp").in("x", x).in("w1", bf16(64, 128)).in("w2", bf16(128, 64)).out("y", x)
                .op("h", OpKind.MATMUL, null, "x", "w1").op("g", OpKind.SILU, null, "h")
                .op("y", OpKind.MATMUL, null, "g", "w2").build();
        TensorParallelism.Result split = TensorParallelism.split(whole, 4);
        assertTrue(!split.hasErrors(), () -> split.diagnostics().toString());
        List<TensorDecl> tensors = List.of(decl("x", Role.INPUT, x), decl("w1", Role.WEIGHT, bf16(64, 128)),
                decl("w2", Role.WEIGHT, bf16(128, 64)), decl("y", Role.OUTPUT, x));
        List<Step> steps = List.of(call("mlp", List.of(ref("x"), ref("w1"), ref("w2")), List.of(ref("y"))));
        double[] one = new NumericRun(program(tensors, List.of(whole), steps)).seed(3).execute().outputs().get("y")
                .toDoubleArray();
        double[] four = new NumericRun(program(tensors, List.of(split.kernel()), steps)).seed(3).execute().outputs()
                .get("y").toDoubleArray();
        // the split sums four partial products, each rounded to BF16, instead of one: a few BF16 roundings apart
        for (int i = 0; i < one.length; i++) {
            assertEquals(one[i], four[i], 4 * Bf16.UNIT_ROUNDOFF * (Math.abs(one[i]) + 0.01), "element " + i);
        }
    }

    @Test
    void aProgramOverTheBudgetIsRefusedWithWhatItNeeds() {
        TensorType big = bf16(1024, 1024);
        Kernel k = kernel("k").in("x", big).out("y", big).op("y", OpKind.NEG, null, "x").build();
        Program p = program(List.of(decl("x", Role.INPUT, big), decl("y", Role.OUTPUT, big)), List.of(k),
                List.of(call("k", List.of(ref("x")), List.of(ref("y")))));
        NumericException e = assertThrows(NumericException.class,
                () -> new NumericRun(p).memoryBudgetBytes(1 << 20).execute());
        assertTrue(e.getMessage().contains("needs about 24.0 MiB"), e.getMessage());
        assertTrue(e.getMessage().contains("--timing-only"), e.getMessage());
        assertTrue(e.getMessage().contains("budget is 1.0 MiB"), e.getMessage());
        assertEquals(24L << 20, NumericRun.requiredBytes(p));
    }

    @Test
    void theFirstOperatorToProduceNaNIsReportedWithItsLocation() {
        TensorType t = bf16(2, 3);
        Kernel k = kernel("k").in("x", t).out("y", t)
                .op("m", OpKind.MASK, attrs().integer("causal", 1).build(), "x")
                .op("n", OpKind.NEG, null, "x")
                .op("l", OpKind.LOG, null, "n")
                .op("y", OpKind.EXP, null, "l").build();
        Program p = program(List.of(decl("x", Role.INPUT, t), decl("y", Role.OUTPUT, t)), List.of(k),
                List.of(call("k", List.of(ref("x")), List.of(ref("y")))));
        List<String> dumped = new ArrayList<>();
        NumericRun.Result r = new NumericRun(p).inputs(Map.of("x", Tensor.of(t, 1, 2, 3, 4, 5, 6)))
                .onIntermediate(v -> dumped.add(v.value())).execute();
        NonFinite first = r.firstNonFinite().orElseThrow();
        assertEquals("log", first.operator());
        assertEquals("NaN", first.what());
        assertEquals(4, first.location().line());
        assertTrue(first.message().startsWith("test.dfk:4:5: log (value l) in kernel k, call 0, produced NaN"),
                first.message());
        assertEquals(List.of("m", "n", "l", "y"), dumped);
    }

    @Test
    void aCancelledRunStopsBeforeTheNextCall() {
        TensorType t = bf16(2);
        Kernel k = kernel("k").in("x", t).out("y", t).op("y", OpKind.NEG, null, "x").build();
        Program p = program(List.of(decl("x", Role.INPUT, t), decl("y", Role.OUTPUT, t)), List.of(k),
                List.of(new Step.Loop("i", 0, 10, List.of(call("k", List.of(ref("x")), List.of(ref("y")))), Ir.at(1))));
        int[] calls = {0};
        assertThrows(CancellationException.class, () -> new NumericRun(p)
                .onProgress((done, total) -> calls[0] = (int) done).cancelWhen(() -> calls[0] >= 3).execute());
        assertEquals(3, calls[0]);
    }

    @Test
    void givenDataMustHaveTheDeclaredShape() {
        TensorType t = bf16(2, 3);
        Kernel k = kernel("k").in("x", t).out("y", t).op("y", OpKind.NEG, null, "x").build();
        Program p = program(List.of(decl("x", Role.INPUT, t), decl("y", Role.OUTPUT, t)), List.of(k),
                List.of(call("k", List.of(ref("x")), List.of(ref("y")))));
        NumericException e = assertThrows(NumericException.class,
                () -> new NumericRun(p).inputs(Map.of("x", Tensor.zeros(bf16(3, 2)))).execute());
        assertTrue(e.getMessage().contains("has shape [3, 2] but x is declared bf16[2, 3]"), e.getMessage());
    }

    @Test
    void generatedDataIsDeterministicPerSeed() {
        TensorType t = bf16(8);
        Kernel k = kernel("k").in("x", t).out("y", t).op("y", OpKind.NEG, null, "x").build();
        Program p = program(List.of(decl("x", Role.INPUT, t), decl("y", Role.OUTPUT, t)), List.of(k),
                List.of(call("k", List.of(ref("x")), List.of(ref("y")))));
        double[] a = new NumericRun(p).seed(5).execute().outputs().get("y").toDoubleArray();
        double[] b = new NumericRun(p).seed(5).execute().outputs().get("y").toDoubleArray();
        double[] c = new NumericRun(p).seed(6).execute().outputs().get("y").toDoubleArray();
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, c));
    }
}
