package io.rdustudio.core.analysis.fusion;

import static io.rdustudio.core.analysis.cost.Ir.bf16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import io.rdustudio.core.analysis.cost.CostAssumptions;
import io.rdustudio.core.analysis.cost.CostModel;
import io.rdustudio.core.analysis.cost.Ir;
import io.rdustudio.core.analysis.cost.Limiter;
import io.rdustudio.core.analysis.cost.MemoryChannel;
import io.rdustudio.core.analysis.cost.ParamTiers;
import io.rdustudio.core.analysis.cost.TensorTiers;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelHints;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Orchestration;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Role;
import io.rdustudio.core.ir.Schedule;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.Step;
import io.rdustudio.core.ir.TensorDecl;
import io.rdustudio.core.ir.TensorRef;
import io.rdustudio.core.target.TargetProfiles;

class FusionAnalysisTest {

    private final CostModel peak = new CostModel(TargetProfiles.load("sn40l"), CostAssumptions.PEAK);

    private static SourceLocation at(int line) {
        return new SourceLocation("mem:/p.dfk", line * 10, 4, line, 1);
    }

    private static TensorRef ref(String tensor) {
        return new TensorRef(tensor, List.of(), at(1));
    }

    /** a: h = x @ w; b: y = relu(h). Two kernels, h a local tensor between them. */
    private Program twoKernels() {
        Kernel a = Ir.kernel("a").in("x", bf16(64, 128)).in("w", bf16(128, 256)).out("h", bf16(64, 256))
                .op("h", OpKind.MATMUL, bf16(64, 256), "x", "w").build();
        Kernel b = Ir.kernel("b").in("h", bf16(64, 256)).out("y", bf16(64, 256))
                .op("y", OpKind.RELU, bf16(64, 256), "h").build();
        Map<String, Kernel> kernels = new LinkedHashMap<>();
        kernels.put("a", a);
        kernels.put("b", b);
        List<TensorDecl> tensors = List.of(
                new TensorDecl("x", Role.INPUT, bf16(64, 128), Optional.empty(), at(1)),
                new TensorDecl("w", Role.WEIGHT, bf16(128, 256), Optional.empty(), at(2)),
                new TensorDecl("h", Role.LOCAL, bf16(64, 256), Optional.empty(), at(3)),
                new TensorDecl("y", Role.OUTPUT, bf16(64, 256), Optional.empty(), at(4)));
        Schedule schedule = new Schedule(1, Orchestration.HARDWARE, List.of(
                new Step.KernelCall("a", List.of(ref("x"), ref("w")), List.of(ref("h")), at(10)),
                new Step.KernelCall("b", List.of(ref("h")), List.of(ref("y")), at(11))), at(9));
        return new Program("p", "mem:/p.dfk", Map.of(), tensors, kernels, Optional.of(schedule));
    }

    @Test
    void mergingTwoCallsKeepsTheTensorBetweenThemOnChip() {
        FusionReport report = FusionAnalysis.analyse(twoKernels(), peak, TensorTiers.NONE, () -> false);

        assertTrue(report.complete());
        assertEquals(16_384 + 65_536 + 32_768 + 32_768 + 32_768, report.asWritten().offChipBytes());
        assertEquals(16_384 + 65_536 + 32_768, report.largest().offChipBytes(), "h neither written nor read");
        assertEquals(report.asWritten().offChipBytes(), report.unfused().offChipBytes(), "one operator per kernel already");
        assertEquals(report.asWritten().flops(), report.largest().flops());
        assertEquals(1, report.largest().launches());
    }

    @Test
    void aHintNamesBothCallsAndTheSaving() {
        FusionHint hint = FusionAnalysis.analyse(twoKernels(), peak, TensorTiers.NONE, () -> false).hints().get(0);

        assertEquals(List.of("a", "b"), hint.kernels());
        assertEquals(List.of(10, 11), hint.callLocations().stream().map(SourceLocation::line).toList());
        assertEquals("a_b", hint.mergedName());
        assertEquals(65_536, hint.savedHbmBytes());
        assertTrue(hint.message().startsWith("kernels a and b could be one kernel: intensity 23 -> 37 FLOP/B, est. 1.6x faster,"
                + " saves 65.5 kB of HBM traffic"), hint.message());
        assertTrue(hint.edit().contains("at lines 10 and 11"), hint.edit());
    }

    @Test
    void aPcuBudgetStopsTheMergeAndSaysWhy() {
        Program p = twoKernels();
        Map<String, Kernel> kernels = new LinkedHashMap<>(p.kernels());
        Kernel a = kernels.get("a");
        kernels.put("a", new Kernel(a.name(), a.instanceName(), a.params(), a.operations(),
                new KernelHints(1, OptionalInt.of(1), OptionalLong.empty()), a.location()));
        Program budgeted = new Program(p.name(), p.uri(), p.constants(), p.tensors(), kernels, p.schedule());

        FusionReport report = FusionAnalysis.analyse(budgeted, peak, TensorTiers.NONE, () -> false);

        assertTrue(report.hints().isEmpty());
        assertEquals("the merged kernel would have 2 stages but may use 1 PCUs", report.stops().get(0).reason());
    }

    @Test
    void cancellationReturnsAnIncompleteResult() {
        FusionReport report = FusionAnalysis.analyse(twoKernels(), peak, TensorTiers.NONE, () -> true);

        assertFalse(report.complete());
    }

    @Test
    void pcusAreSharedInProportionToWork() {
        Kernel k = Ir.kernel("k").in("x", bf16(64, 128)).in("w", bf16(128, 256)).out("y", bf16(64, 256))
                .op("h", OpKind.MATMUL, bf16(64, 256), "x", "w")
                .op("y", OpKind.RELU, bf16(64, 256), "h").build();

        ResourceNeeds needs = ResourceNeeds.of(k, peak);

        assertEquals(2, needs.minimumPcus());
        double gemm = needs.stages().get(0).pcuSeconds();
        double relu = needs.stages().get(1).pcuSeconds();
        assertEquals(2.0 * 64 * 256 * 128 / 613.46e9, gemm, 1e-15);
        assertEquals(1040, needs.stages().get(0).pcuShare() + needs.stages().get(1).pcuShare(), 1e-9);
        assertEquals(1 + 1038 * gemm / (gemm + relu), needs.stages().get(0).pcuShare(), 1e-9);
        assertEquals(3, ResourceNeeds.pcusForRate(1.5e12, 613.46e9));
        assertTrue(needs.fits());
    }

    @Test
    void aKernelBeyondTheSocketsPmusIsAnOverrunThatSaysWhereToSplit() {
        // Whole-tensor buffers: a tile of 4096 rows of 131072 bf16 is far more than 520 MiB.
        Ir ir = Ir.kernel("big").in("x", bf16(4096, 131072)).out("y", bf16(4096, 131072));
        ir.op("a", OpKind.NEG, bf16(4096, 131072), "x").op("b", OpKind.NEG, bf16(4096, 131072), "a")
                .op("y", OpKind.NEG, bf16(4096, 131072), "b");
        Kernel k = ir.build();
        Kernel tiled = new Kernel(k.name(), k.instanceName(), k.params(), k.operations(),
                new KernelHints(1, OptionalInt.empty(), OptionalLong.of(1024)), k.location());

        ResourceNeeds needs = ResourceNeeds.of(tiled, peak);

        assertFalse(needs.fits());
        String message = needs.overrun().get().message();
        assertTrue(message.startsWith("kernel big does not fit one socket: its stage buffers need 3,072 PMUs"), message);
        assertTrue(message.contains("split it after operation 1 (neg at line 3)"), message);
    }

    @Test
    void aLowIntensityKernelNeedsMoreHbmThanTheTierOffers() {
        Kernel k = Ir.kernel("k").in("x", bf16(64, 128)).in("w", bf16(128, 256)).out("y", bf16(64, 256))
                .op("h", OpKind.MATMUL, bf16(64, 256), "x", "w")
                .op("y", OpKind.RELU, bf16(64, 256), "h").build();
        var cost = peak.kernelCost(k, ParamTiers.ALL_HBM);

        BandwidthEstimate bw = BandwidthEstimate.of(cost, ResourceNeeds.of(k, peak), peak);

        assertEquals(Limiter.HBM, bw.bottleneck());
        BandwidthEstimate.TierDemand hbm = bw.tiers().stream().filter(t -> t.channel() == MemoryChannel.HBM).findFirst()
                .orElseThrow();
        assertEquals(114_688 / bw.pipelineSeconds(), hbm.requiredBytesPerSecond(), 1);
        assertEquals((long) Math.ceil(hbm.requiredBytesPerSecond() / 120e9), hbm.concurrentStreams());
        assertEquals(114_688 / 1.9e12, bw.achievedSeconds(), 1e-15);
    }

    private static TensorRef ref(String tensor, String variable, long offset) {
        return new TensorRef(tensor, List.of(new TensorRef.Index(variable, offset)), at(1));
    }

    /**
     * for i in 0..4 { h[i] = a(x[i], w) }; for j in from..to { y[j] = b(h[second]) }, where second is
     * h's index in the second loop; then z = b(y[0]) after the loops when {@code tail}.
     */
    private Program twoLoops(long from, long to, TensorRef second, boolean tail) {
        Kernel a = Ir.kernel("a").in("x", bf16(64, 128)).in("w", bf16(128, 256)).out("h", bf16(64, 256))
                .op("h", OpKind.MATMUL, bf16(64, 256), "x", "w").build();
        Kernel b = Ir.kernel("b").in("h", bf16(64, 256)).out("y", bf16(64, 256))
                .op("y", OpKind.RELU, bf16(64, 256), "h").build();
        Map<String, Kernel> kernels = new LinkedHashMap<>();
        kernels.put("a", a);
        kernels.put("b", b);
        List<TensorDecl> tensors = List.of(
                new TensorDecl("x", Role.INPUT, bf16(4, 64, 128), Optional.empty(), at(1)),
                new TensorDecl("w", Role.WEIGHT, bf16(128, 256), Optional.empty(), at(2)),
                new TensorDecl("h", Role.LOCAL, bf16(4, 64, 256), Optional.empty(), at(3)),
                new TensorDecl("y", Role.OUTPUT, bf16(4, 64, 256), Optional.empty(), at(4)),
                new TensorDecl("z", Role.OUTPUT, bf16(64, 256), Optional.empty(), at(5)));
        List<Step> steps = new java.util.ArrayList<>(List.of(
                new Step.Loop("i", 0, 4, List.of(
                        new Step.KernelCall("a", List.of(ref("x", "i", 0), ref("w")), List.of(ref("h", "i", 0)), at(11))),
                        at(10)),
                new Step.Loop("j", from, to, List.of(
                        new Step.KernelCall("b", List.of(second), List.of(ref("y", "j", 0)), at(13))), at(12))));
        if (tail) {
            steps.add(new Step.KernelCall("b", List.of(new TensorRef("y", List.of(new TensorRef.Index(null, 0)), at(1))),
                    List.of(ref("z")), at(14)));
        }
        Schedule schedule = new Schedule(1, Orchestration.HARDWARE, steps, at(9));
        return new Program("p", "mem:/p.dfk", Map.of(), tensors, kernels, Optional.of(schedule));
    }

    @Test
    void adjacentLoopsIndexedAlikeAreFusedAndTheirCallsMerged() {
        FusionReport report = FusionAnalysis.analyse(twoLoops(0, 4, ref("h", "j", 0), false), peak, TensorTiers.NONE,
                () -> false);

        assertTrue(report.complete());
        assertEquals(8, report.asWritten().launches());
        assertEquals(4, report.largest().launches(), "one merged launch per iteration of the fused loop");
        assertEquals(report.asWritten().offChipBytes() - 4 * 32_768, report.largest().offChipBytes(), 1e-6,
                "the read of h[j] stays on chip; its write stays (h is indexed)");
        assertEquals(report.asWritten().flops(), report.largest().flops());
        assertTrue(report.stops().isEmpty(), report.stops().toString());
        FusionHint hint = report.hints().get(0);
        assertEquals(List.of("a", "b"), hint.kernels());
        assertEquals(4 * 32_768, hint.savedHbmBytes(), 1e-6);
        assertTrue(hint.edit().startsWith("fuse the loops at lines 10 and 12 into one loop"), hint.edit());
        assertTrue(hint.edit().contains("replace the calls of a and b at lines 11 and 13"), hint.edit());
    }

    @Test
    void loopsWhoseSecondReadsAnotherIterationAreNotFused() {
        FusionReport report = FusionAnalysis.analyse(twoLoops(0, 4, ref("h", "j", -1), false), peak, TensorTiers.NONE,
                () -> false);

        assertTrue(report.hints().isEmpty());
        assertEquals(8, report.largest().launches());
        assertEquals(report.asWritten().offChipBytes(), report.largest().offChipBytes(), 1e-6);
        FusionStop stop = report.stops().get(0);
        assertEquals("a", stop.before());
        assertEquals("b", stop.after());
        assertEquals(12, stop.location().line());
        assertEquals("loop structure: the first loop writes h and the second uses it not indexed alike by the loop"
                + " variable, so iteration i of one would see other iterations of the other", stop.reason());
    }

    @Test
    void loopsWithDifferentRangesAreNotFused() {
        FusionReport report = FusionAnalysis.analyse(twoLoops(0, 8, ref("h", "j", 0), false), peak, TensorTiers.NONE,
                () -> false);

        assertTrue(report.hints().isEmpty());
        assertEquals("loop structure: the loops have different ranges (0..4 and 0..8)", report.stops().get(0).reason());
    }

    @Test
    void aCallAfterALoopIsNotMergedIntoItsBody() {
        FusionReport report = FusionAnalysis.analyse(twoLoops(0, 4, ref("h", "j", 0), true), peak, TensorTiers.NONE,
                () -> false);

        assertEquals(1, report.hints().size(), "the two loops still fuse");
        assertEquals(5, report.largest().launches());
        FusionStop stop = report.stops().get(0);
        assertEquals("b", stop.before());
        assertEquals("b", stop.after());
        assertEquals(14, stop.location().line());
        assertEquals("loop structure: a call outside the loop runs once, the body runs 4 times", stop.reason());
    }

    @Test
    void aCallBeforeALoopIsNotMergedIntoItsBody() {
        Program loops = twoLoops(0, 4, ref("h", "j", 0), false);
        Step.Loop second = (Step.Loop) loops.schedule().get().steps().get(1);
        Step.KernelCall first = new Step.KernelCall("a",
                List.of(new TensorRef("x", List.of(new TensorRef.Index(null, 0)), at(1)), ref("w")),
                List.of(new TensorRef("h", List.of(new TensorRef.Index(null, 0)), at(1))), at(11));
        Program p = new Program(loops.name(), loops.uri(), loops.constants(), loops.tensors(), loops.kernels(),
                Optional.of(new Schedule(1, Orchestration.HARDWARE, List.of(first, second), at(9))));

        FusionReport report = FusionAnalysis.analyse(p, peak, TensorTiers.NONE, () -> false);

        assertTrue(report.hints().isEmpty());
        assertEquals(5, report.largest().launches());
        assertEquals(List.of(new FusionStop("a", "b",
                "loop structure: a call outside the loop runs once, the body runs 4 times", at(12))), report.stops());
    }
}
