package io.rdustudio.core.analysis.cost;

import static io.rdustudio.core.analysis.cost.Ir.bf16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.OpAttributes;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;

class CostModelTest {

    private final TargetProfile sn40l = TargetProfiles.load("sn40l");
    private final CostModel peak = new CostModel(sn40l, CostAssumptions.PEAK);
    private final CostModel model = new CostModel(sn40l);

    /** y = relu(x @ w) with x bf16[64, 128], w bf16[128, 256]. */
    private final Kernel gemmRelu = Ir.kernel("gemm_relu")
            .in("x", bf16(64, 128)).in("w", bf16(128, 256)).out("y", bf16(64, 256))
            .op("h", OpKind.MATMUL, bf16(64, 256), "x", "w")
            .op("y", OpKind.RELU, bf16(64, 256), "h")
            .build();

    @Test
    void aFusedKernelReadsItsInputsAndWritesItsOutputsOnly() {
        KernelCost cost = peak.kernelCost(gemmRelu, ParamTiers.ALL_HBM);

        assertEquals(2.0 * 64 * 256 * 128, cost.work().gemmFlops());
        assertEquals(64 * 256, cost.work().simdFlops());
        assertEquals(4_210_688, cost.flops());
        assertEquals(64 * 128 * 2 + 128 * 256 * 2 + 64 * 256 * 2, cost.bytes(MemoryChannel.HBM));
        assertEquals(114_688, cost.offChipBytes());
        assertEquals(4_210_688 / 114_688.0, cost.intensity(), 1e-12);
        assertEquals(0, cost.bytes(MemoryChannel.DDR));
    }

    @Test
    void everyOperatorAloneMaterialisesItsIntermediates() {
        List<KernelCost> parts = peak.unfused(gemmRelu, ParamTiers.ALL_HBM);

        assertEquals(2, parts.size());
        assertEquals(16_384 + 65_536 + 32_768, parts.get(0).offChipBytes(), "matmul reads x, w and writes h");
        assertEquals(32_768 + 32_768, parts.get(1).offChipBytes(), "relu reads h and writes y");
        KernelCost fused = peak.kernelCost(gemmRelu, ParamTiers.ALL_HBM);
        assertEquals(fused.ops().get(0).unfused().offChipBytes(), parts.get(0).offChipBytes());
    }

    @Test
    void rooflineTimeIsTheLargestTermAtPeak() {
        KernelCost cost = peak.kernelCost(gemmRelu, ParamTiers.ALL_HBM);

        double compute = (4_194_304 / 613.46e9 + 16_384 / 307.2e9) / 1040;
        double hbm = 114_688 / 1.9e12;
        assertEquals(compute, cost.terms().get(Limiter.COMPUTE), compute * 1e-12);
        assertEquals(hbm, cost.terms().get(Limiter.HBM), hbm * 1e-12);
        assertEquals(Math.max(compute, hbm), cost.time().nominal(), 1e-18);
        assertEquals(Limiter.HBM, cost.bound(), "36.7 FLOP/B is far below the 336 FLOP/B ridge");
    }

    @Test
    void theErrorBandBracketsTheNominalTime() {
        KernelCost cost = model.kernelCost(gemmRelu, ParamTiers.ALL_HBM);

        assertTrue(cost.time().low() < cost.time().nominal());
        assertTrue(cost.time().nominal() < cost.time().high());
        double hbm = 114_688 / (1.9e12 * 0.85);
        assertEquals(hbm, cost.time().nominal(), hbm * 1e-12);
        assertEquals(114_688 / (2.0e12 * 0.95), cost.time().low(), 1e-15);
        assertEquals(114_688 / (1.8e12 * 0.7), cost.time().high(), 1e-15);
    }

    @Test
    void aTensorInDdrIsReadFromDdr() {
        KernelCost cost = peak.kernelCost(gemmRelu, p -> p.name().equals("w") ? Tier.DDR : Tier.HBM);

        assertEquals(65_536, cost.bytes(MemoryChannel.DDR));
        assertEquals(16_384 + 32_768, cost.bytes(MemoryChannel.HBM));
        assertEquals(Limiter.DDR, cost.bound());
    }

    @Test
    void transcendentalsRunOnThePcuTail() {
        Kernel k = Ir.kernel("soft").in("x", bf16(8, 1024)).out("y", bf16(8, 1024))
                .op("y", OpKind.SOFTMAX, bf16(8, 1024), "x").build();

        OpWork work = peak.kernelCost(k, ParamTiers.ALL_HBM).work();

        assertEquals(4 * 8192, work.simdFlops());
        assertEquals(8192, work.transcendentals());
        assertEquals(0, work.gemmFlops());
    }

    @Test
    void rmsnormCountsOneRsqrtPerRow() {
        Kernel k = Ir.kernel("norm").in("x", bf16(16, 4096)).in("g", bf16(4096)).out("y", bf16(16, 4096))
                .op("y", OpKind.RMSNORM, bf16(16, 4096), "x", "g").build();

        OpWork work = peak.kernelCost(k, ParamTiers.ALL_HBM).work();

        assertEquals(4 * 16 * 4096, work.simdFlops());
        assertEquals(16, work.transcendentals());
    }

    @Test
    void layoutOperatorsCostNothingInsideAKernelButMaterialiseWhenAlone() {
        Kernel k = Ir.kernel("t").in("x", bf16(32, 64)).out("y", bf16(64, 32))
                .op("t", OpKind.TRANSPOSE, bf16(64, 32), "x")
                .op("y", OpKind.NEG, bf16(64, 32), "t").build();

        KernelCost fused = peak.kernelCost(k, ParamTiers.ALL_HBM);
        List<KernelCost> parts = peak.unfused(k, ParamTiers.ALL_HBM);

        assertEquals(2 * 4096, fused.offChipBytes());
        assertEquals(0, fused.ops().get(0).flops());
        assertEquals(4 * 4096, parts.get(0).offChipBytes() + parts.get(1).offChipBytes() - 0);
        assertEquals(2 * 4096, parts.get(0).offChipBytes(), "a transpose alone reads and writes its tensor");
    }

    @Test
    void aReshapeAloneIsAViewAndMovesNothing() {
        Kernel k = Ir.kernel("r").in("x", bf16(32, 64)).out("y", bf16(2048))
                .op("r", OpKind.RESHAPE, bf16(2048), "x")
                .op("y", OpKind.NEG, bf16(2048), "r").build();

        List<KernelCost> parts = peak.unfused(k, p -> p.name().equals("x") ? Tier.DDR : Tier.HBM);

        assertEquals(0, parts.get(0).offChipBytes());
        assertEquals(4096, parts.get(1).bytes(MemoryChannel.DDR), "the view reads x where x lives");
    }

    @Test
    void aKvCacheAppendWritesOnlyTheNewRow() {
        Kernel k = Ir.kernel("append").in("k", bf16(1, 128)).state("cache", bf16(1024, 128)).out("s", bf16(1, 1024))
                .op("cache", OpKind.UPDATE, bf16(1024, 128),
                        new OpAttributes.Builder().integer("axis", 0).integer("at", 5).build(), "cache", "k")
                .op("s", OpKind.MATMUL, bf16(1, 1024), new OpAttributes.Builder().integer("transpose_b", 1).build(),
                        "k", "cache")
                .build();

        KernelCost cost = peak.kernelCost(k, ParamTiers.ALL_HBM);

        double reads = 256 + 1024 * 128 * 2;
        double writes = 256 + 2048;
        assertEquals(reads + writes, cost.offChipBytes());
    }

    @Test
    void anAllReduceSendsTwiceItsShareOverTheRing() {
        Kernel k = Ir.kernel("ar").tp(8).in("x", bf16(16, 4096)).out("y", bf16(16, 4096))
                .op("y", OpKind.ALLREDUCE, bf16(16, 4096), "x").build();

        KernelCost cost = peak.kernelCost(k, ParamTiers.ALL_HBM);

        assertEquals(0, cost.flops());
        assertEquals(2 * 7 / 8.0 * 16 * 4096 * 2, cost.bytes(MemoryChannel.P2P));
        assertEquals(Limiter.P2P, cost.bound());
    }

    @Test
    void partitionCutsAKernelAtTheGivenOperations() {
        List<KernelCost> parts = peak.partition(gemmRelu, List.of(1), ParamTiers.ALL_HBM);

        assertEquals(2, parts.size());
        assertEquals(peak.unfused(gemmRelu, ParamTiers.ALL_HBM).get(1).offChipBytes(), parts.get(1).offChipBytes());
    }

    @Test
    void aTimePrintsWithItsBand() {
        assertEquals("1.8 ms (1.5-2.2)", new Estimate(1.8e-3, 1.5e-3, 2.2e-3).formatSeconds());
        assertEquals("120 us (95.5-150)", new Estimate(120e-6, 95.5e-6, 150e-6).formatSeconds());
        assertEquals("2.5 s (2-3)", new Estimate(2.5, 2, 3).formatSeconds());
    }
}
