package io.rdustudio.emulator.timing;

import static io.rdustudio.emulator.numeric.Ir.at;
import static io.rdustudio.emulator.numeric.Ir.bf16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

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
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.emulator.numeric.Ir;

class TimingEmulatorTest {

    private static final TargetProfile SN40L = TargetProfiles.load("sn40l");
    private static final TargetProfile NODE = TargetProfiles.load("sn40l-node");

    // ---- building programs ----

    private static TensorRef ref(String tensor) {
        return new TensorRef(tensor, List.of(), at(1));
    }

    private static Step.KernelCall call(Kernel k, String... tensors) {
        int ins = k.inputs().size();
        List<TensorRef> in = new ArrayList<>();
        List<TensorRef> out = new ArrayList<>();
        for (int i = 0; i < tensors.length; i++) {
            (i < ins ? in : out).add(ref(tensors[i]));
        }
        return new Step.KernelCall(k.instanceName(), in, out, at(1));
    }

    private static Program program(int sockets, Orchestration o, Map<String, TensorType> tensors, List<Kernel> kernels,
            List<Step> steps) {
        List<TensorDecl> decls = new ArrayList<>();
        tensors.forEach((n, t) -> decls.add(new TensorDecl(n, n.startsWith("w") ? Role.WEIGHT
                : n.startsWith("y") ? Role.OUTPUT : Role.INPUT, t, Optional.empty(), at(1))));
        Map<String, Kernel> ks = new LinkedHashMap<>();
        kernels.forEach(k -> ks.put(k.instanceName(), k));
        return new Program("test", "test.dfk", Map.of(), decls, ks, Optional.of(new Schedule(sockets, o, steps, at(1))));
    }

    /** x[m, k] @ w[k, n] -> relu -> y: a heavy matmul stage and a light relu stage. */
    static Program matmulRelu(long m, long k, long n) {
        Kernel kernel = Ir.kernel("mm").in("x", bf16(m, k)).in("w", bf16(k, n)).out("y", bf16(m, n))
                .op("h", OpKind.MATMUL, null, "x", "w").op("y", OpKind.RELU, null, "h").build();
        Map<String, TensorType> t = new LinkedHashMap<>();
        t.put("x", bf16(m, k));
        t.put("w", bf16(k, n));
        t.put("y", bf16(m, n));
        return program(1, Orchestration.SOFTWARE, t, List.of(kernel), List.of(call(kernel, "x", "w", "y")));
    }

    /** A decode-like step: 32 calls of one small layer kernel in a loop. */
    static Program decodeLike() {
        return decodeLike(32);
    }

    static Program decodeLike(long layers) {
        return decodeLike(layers, "y");
    }

    /** {@code out} = "x" makes the layer's output the next layer's input: a loop-carried value. */
    static Program decodeLike(long layers, String out) {
        Kernel layer = Ir.kernel("layer").in("x", bf16(1, 4096)).in("w", bf16(4096, 4096)).out("y", bf16(1, 4096))
                .op("h", OpKind.MATMUL, null, "x", "w").op("y", OpKind.RELU, null, "h").build();
        Map<String, TensorType> t = new LinkedHashMap<>();
        t.put("x", bf16(1, 4096));
        t.put("w", bf16(4096, 4096));
        t.put("y", bf16(1, 4096));
        t.put("tokens", Ir.int32(1));
        Step loop = new Step.Loop("l", 0, layers, List.of(call(layer, "x", "w", out)), at(1));
        return program(1, Orchestration.SOFTWARE, t, List.of(layer), List.of(loop));
    }

    /** Row-parallel matmul on p sockets: x[m, k/p] @ w[k/p, n] -> allreduce -> y. */
    static Program tensorParallel(int p) {
        long m = 512, k = 65536, n = 4096;
        Kernel kernel = Ir.kernel("tp").tp(p).in("x", bf16(m, k / p)).in("w", bf16(k / p, n)).out("y", bf16(m, n))
                .op("h", OpKind.MATMUL, null, "x", "w").op("y", OpKind.ALLREDUCE, null, "h").build();
        Map<String, TensorType> t = new LinkedHashMap<>();
        t.put("x", bf16(m, k / p));
        t.put("w", bf16(k / p, n));
        t.put("y", bf16(m, n));
        return program(p, Orchestration.HARDWARE, t, List.of(kernel), List.of(call(kernel, "x", "w", "y")));
    }

    static String trace(TimingResult r) throws IOException {
        StringWriter w = new StringWriter();
        TraceWriter.write(r, w);
        return w.toString();
    }

    // ---- tests ----

    @Test
    void fillAndDrainAppearInTheTrace() throws IOException {
        TimingResult r = TimingEmulator.run(matmulRelu(8192, 4096, 4096), SN40L, TimingOptions.DEFAULT);
        TimingResult.CallRecord c = r.calls().get(0);
        assertTrue(c.fill() > 0 && c.drain() > 0 && c.steady() > c.fill(), c.toString());

        JsonObject json = JsonParser.parseString(trace(r)).getAsJsonObject();
        List<String> names = new ArrayList<>();
        for (JsonElement e : json.getAsJsonArray("traceEvents")) {
            names.add(e.getAsJsonObject().get("name").getAsString());
        }
        assertTrue(names.contains("fill"), names.toString());
        assertTrue(names.contains("steady"), names.toString());
        assertTrue(names.contains("drain"), names.toString());
        assertTrue(names.contains("launch mm"), names.toString());
        assertTrue(names.contains("thread_name") && names.contains("process_name"));
    }

    @Test
    void shrinkingOneStageBufferChangesTheTime() {
        Program p = matmulRelu(8192, 4096, 4096);
        TimingResult doubleBuffered = TimingEmulator.run(p, SN40L, TimingOptions.DEFAULT);
        TimingResult single = TimingEmulator.run(p, SN40L, TimingOptions.DEFAULT.withBufferTiles(Map.of("h", 1L)));
        double a = doubleBuffered.calls().get(0).execution();
        double b = single.calls().get(0).execution();
        System.out.printf(Locale.ROOT, "h double-buffered %.3g s, single tile %.3g s%n", a, b);
        assertTrue(b > 1.1 * a, a + " vs " + b);
    }

    @Test
    void deterministic() throws IOException {
        Program p = decodeLike();
        TimingResult a = TimingEmulator.run(p, SN40L, TimingOptions.DEFAULT);
        TimingResult b = TimingEmulator.run(p, SN40L, TimingOptions.DEFAULT);
        assertEquals(a, b);
        assertEquals(trace(a), trace(b));
    }

    @Test
    void hardwareOrchestrationIsFasterOnDecode() {
        Program p = decodeLike();
        TimingResult so = TimingEmulator.run(p, SN40L, TimingOptions.DEFAULT.withOrchestration(Orchestration.SOFTWARE));
        TimingResult ho = TimingEmulator.run(p, SN40L, TimingOptions.DEFAULT.withOrchestration(Orchestration.HARDWARE));
        System.out.printf(Locale.ROOT, "decode-like: SO %.3g s (%d launches), HO %.3g s (%d launches)%n",
                so.totalSeconds(), so.launches(), ho.totalSeconds(), ho.launches());
        assertEquals(32, so.launches());
        assertEquals(1, ho.launches(), "kernel looping: the 32 calls become one launch");
        assertEquals(32, ho.calls().get(0).iterations());
        assertTrue(ho.totalSeconds() < so.totalSeconds());
        assertTrue(so.launchOverheadSeconds() > ho.launchOverheadSeconds());
        assertEquals(1, so.tokens());
        assertTrue(so.tokensPerSecond().isPresent());
    }

    @Test
    void unfusedPaysALaunchPerOperator() {
        Program p = matmulRelu(4096, 4096, 4096);
        TimingResult fused = TimingEmulator.run(p, SN40L, TimingOptions.DEFAULT);
        TimingResult unfused = TimingEmulator.run(p, SN40L, TimingOptions.DEFAULT.withUnfused(true));
        assertEquals(1, fused.launches());
        assertEquals(2, unfused.launches());
        assertTrue(unfused.totalSeconds() > fused.totalSeconds());
        assertTrue(unfused.bandwidthFraction().get(io.rdustudio.core.analysis.cost.MemoryChannel.HBM) > 0);
    }

    /**
     * The scaling study (issue 4, "Several sockets"; figures in docs/emulator.md): one row-parallel
     * matmul split over 1, 2, 4 and 8 sockets. Each socket's matmul shrinks as 1/p while the
     * allreduce of the [512, 4096] result grows as 2 (p - 1)/p of it plus 2 (p - 1) hops: the
     * collective's share rises with every doubling (it streams alongside the matmul, so the call takes
     * the longer of the two), and the call's bound moves from the matmul to the P2P allreduce between
     * 4 and 8 sockets: 8 sockets are slower than 4.
     */
    @Test
    void collectivesGrowWithSocketsAndDominateAtEight() {
        double previousShare = -1;
        double one = 0;
        List<String> bounds = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        for (int p : new int[] { 1, 2, 4, 8 }) {
            TimingResult r = TimingEmulator.run(tensorParallel(p), NODE, TimingOptions.DEFAULT);
            TimingResult.CallRecord c = r.calls().get(0);
            double share = c.collective() / c.execution();
            one = p == 1 ? c.execution() : one;
            System.out.printf(Locale.ROOT, "tp=%d: %.4g ms, %.2fx of one socket's speed, collective %.4g ms (%.0f%% of"
                    + " the call), bound %s%n", p, 1e3 * c.execution(), one / c.execution(), 1e3 * c.collective(),
                    100 * share, c.bound());
            assertTrue(share > previousShare, "p=" + p + " share " + share + " after " + previousShare);
            previousShare = share;
            bounds.add(c.bound());
            seconds.add(c.execution());
        }
        assertEquals(List.of(false, false, false, true), bounds.stream().map(b -> b.startsWith("P2P allreduce")).toList(),
                "the allreduce becomes the bound at 8 sockets: " + bounds);
        assertTrue(seconds.get(1) < seconds.get(0) && seconds.get(2) < seconds.get(1), "up to 4 sockets, faster: " + seconds);
        assertTrue(seconds.get(3) > seconds.get(2), "past the crossover more sockets cost time: " + seconds);
    }

    @Test
    void gpuBaselineIsNotAScaledCopy() {
        Program compute = matmulRelu(8192, 4096, 4096);
        Program memory = matmulRelu(8192, 64, 64);
        TargetProfile h100 = TargetProfiles.load("dgx-h100");
        double rc = TimingEmulator.run(compute, h100, TimingOptions.DEFAULT).totalSeconds()
                / TimingEmulator.run(compute, SN40L, TimingOptions.DEFAULT).totalSeconds();
        double rm = TimingEmulator.run(memory, h100, TimingOptions.DEFAULT).totalSeconds()
                / TimingEmulator.run(memory, SN40L, TimingOptions.DEFAULT).totalSeconds();
        TimingResult g = TimingEmulator.run(compute, h100, TimingOptions.DEFAULT);
        System.out.printf(Locale.ROOT, "GPU/SN40L: compute-heavy %.3f, memory-light %.3f%n", rc, rm);
        assertTrue(g.gpu());
        assertEquals(2, g.launches(), "one kernel per operator");
        assertTrue(Math.abs(rc / rm - 1) > 0.1, rc + " vs " + rm);
    }

    @Test
    void kernelLoopingWaitsForALoopCarriedValue() {
        TimingOptions ho = TimingOptions.DEFAULT.withOrchestration(Orchestration.HARDWARE);
        TimingResult independent = TimingEmulator.run(decodeLike(32, "y"), SN40L, ho);
        TimingResult carried = TimingEmulator.run(decodeLike(32, "x"), SN40L, ho);
        TimingResult so = TimingEmulator.run(decodeLike(32, "x"), SN40L,
                TimingOptions.DEFAULT.withOrchestration(Orchestration.SOFTWARE));
        System.out.printf(Locale.ROOT, "kernel looping: independent %.4g s, carried %.4g s, SO %.4g s%n",
                independent.totalSeconds(), carried.totalSeconds(), so.totalSeconds());
        assertTrue(carried.totalSeconds() > independent.totalSeconds());
        assertTrue(carried.totalSeconds() < so.totalSeconds());
        // 100 iterations: 8 simulated, the rest extrapolated from the last period
        double t100 = TimingEmulator.run(decodeLike(100, "x"), SN40L, ho).calls().get(0).execution();
        double t200 = TimingEmulator.run(decodeLike(200, "x"), SN40L, ho).calls().get(0).execution();
        double t8 = TimingEmulator.run(decodeLike(8, "x"), SN40L, ho).calls().get(0).execution();
        double t9 = TimingEmulator.run(decodeLike(9, "x"), SN40L, ho).calls().get(0).execution();
        assertTrue(t9 > t8);
        assertEquals((t200 - t100) / 100, t9 - t8, 1e-9 * t200);
    }

    @Test
    void longLoopsAreMultipliedNotUnrolled() {
        TimingResult small = TimingEmulator.run(decodeLike(100), SN40L, TimingOptions.DEFAULT);
        TimingResult large = TimingEmulator.run(decodeLike(50_000), SN40L, TimingOptions.DEFAULT);
        assertEquals(100, small.calls().size());
        assertEquals(2, large.calls().size(), "the first iteration, then one record for the rest");
        assertEquals(50_000, large.launches());
        assertEquals(small.totalSeconds() / 100, large.totalSeconds() / 50_000, 1e-9 * small.totalSeconds());
        assertEquals(small.launchOverheadSeconds() / 100, large.launchOverheadSeconds() / 50_000,
                1e-9 * small.launchOverheadSeconds());
    }

    @Test
    void cancelledRunIsIncomplete() {
        TimingResult r = TimingEmulator.run(decodeLike(), SN40L,
                TimingOptions.DEFAULT.withCancellation(() -> true, f -> { }));
        assertFalse(r.complete());
    }

    @Test
    void pipelineRecurrence() {
        // two stages of 1 s per tile, 4 tiles: double buffering overlaps them (5 s), one slot alternates (8 s)
        var two = List.of(new Pipeline.Stage("a", 1, 0, 2), new Pipeline.Stage("b", 1, 0, 1));
        var one = List.of(new Pipeline.Stage("a", 1, 0, 1), new Pipeline.Stage("b", 1, 0, 1));
        assertEquals(5, Pipeline.run(two, 4).seconds(), 1e-12);
        assertEquals(8, Pipeline.run(one, 4).seconds(), 1e-12);
        Pipeline.Outcome o = Pipeline.run(two, 4);
        assertEquals(2, o.fill(), 1e-12);
        assertEquals(1, o.drain(), 1e-12);
    }
}
