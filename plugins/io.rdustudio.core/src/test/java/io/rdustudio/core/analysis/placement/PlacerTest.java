package io.rdustudio.core.analysis.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelHints;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.OpAttributes;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.ParamMode;
import io.rdustudio.core.ir.Shape;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Value;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;

class PlacerTest {

    private static final SourceLocation HERE = SourceLocation.UNKNOWN;
    private static final TargetProfile SN40L = TargetProfiles.load("sn40l");

    private static TensorType bf16(long... dims) {
        return new TensorType(DType.BF16, Shape.of(dims));
    }

    /** Monarch in miniature: gemm0 = f @ x; t = gemm0 * tw; y = f @ transpose(t). */
    static Kernel monarch(int pcuBudget) {
        List<KernelParam> params = List.of(new KernelParam("x", ParamMode.IN, bf16(6144, 32, 32), HERE),
                new KernelParam("f", ParamMode.IN, bf16(32, 32), HERE),
                new KernelParam("tw", ParamMode.IN, bf16(32, 32), HERE),
                new KernelParam("y", ParamMode.OUT, bf16(6144, 32, 32), HERE));
        List<Operation> ops = List.of(
                new Operation(OpKind.MATMUL, List.of("f", "x"), List.of(new Value("g0", bf16(6144, 32, 32))),
                        OpAttributes.NONE, HERE),
                new Operation(OpKind.MUL, List.of("g0", "tw"), List.of(new Value("tw0", bf16(6144, 32, 32))),
                        OpAttributes.NONE, HERE),
                new Operation(OpKind.TRANSPOSE, List.of("tw0"), List.of(new Value("t", bf16(6144, 32, 32))),
                        OpAttributes.NONE, HERE),
                new Operation(OpKind.MATMUL, List.of("f", "t"), List.of(new Value("y", bf16(6144, 32, 32))),
                        OpAttributes.NONE, HERE));
        KernelHints hints = new KernelHints(1, pcuBudget > 0 ? OptionalInt.of(pcuBudget) : OptionalInt.empty(),
                OptionalLong.empty());
        return new Kernel("monarch", "monarch", params, ops, hints, HERE);
    }

    /** A chain of {@code n} element-wise stages over [rows, 4096]. */
    static Kernel chain(int n, long rows) {
        List<KernelParam> params = List.of(new KernelParam("in", ParamMode.IN, bf16(rows, 4096), HERE),
                new KernelParam("out", ParamMode.OUT, bf16(rows, 4096), HERE));
        List<Operation> ops = new ArrayList<>();
        String prev = "in";
        for (int i = 0; i < n; i++) {
            String name = i == n - 1 ? "out" : "v" + i;
            ops.add(new Operation(i % 3 == 0 ? OpKind.EXP : OpKind.ADD, i % 3 == 0 ? List.of(prev) : List.of(prev, "in"),
                    List.of(new Value(name, bf16(rows, 4096))), OpAttributes.NONE, HERE));
            prev = name;
        }
        return new Kernel("chain", "chain", params, ops, KernelHints.NONE, HERE);
    }

    @Test
    void pcusFollowWorkAndEveryStageGetsOne() {
        Placement p = Placer.place(monarch(0), SN40L);
        assertTrue(p.ok(), p.diagnostics().toString());
        List<Placement.Group> stages = p.groups().stream().filter(g -> g.kind() == Placement.UnitKind.PCU).toList();
        assertEquals(List.of("matmul", "mul", "matmul"), stages.stream().map(Placement.Group::operator).toList(),
                "the transpose is an access pattern, not a stage");
        assertEquals(1040, stages.stream().mapToInt(Placement.Group::units).sum());
        // Each GEMM does 64 FLOPs per output element, the multiply one: 64 : 1 : 64.
        assertTrue(stages.get(0).units() > 500 && stages.get(2).units() > 500, stages.toString());
        assertTrue(stages.get(1).units() >= 1 && stages.get(1).units() < 20, stages.toString());
        assertEquals(1.0, p.pcuUtilisation(), 1e-9);
    }

    @Test
    void buffersGetPmusForCapacityAndBandwidth() {
        Placement p = Placer.place(monarch(0), SN40L);
        for (Placement.Group g : p.groups()) {
            if (g.kind() == Placement.UnitKind.PMU) {
                assertEquals((g.bytes() + 524287) / 524288, g.unitsForCapacity(), g.toString());
                assertEquals(Math.max(g.unitsForCapacity(), g.unitsForBandwidth()), g.units(), g.toString());
            }
        }
        long pmus = p.units().stream().filter(u -> u.kind() == Placement.UnitKind.PMU).count();
        assertEquals(pmus / 1040.0, p.pmuUtilisation(), 1e-9);
    }

    @Test
    void everyUnitHasItsOwnPosition() {
        Placement p = Placer.place(monarch(0), SN40L);
        Set<String> taken = new HashSet<>();
        for (Placement.Unit u : p.units()) {
            assertTrue(u.x() >= 0 && u.x() < 40 && u.y() >= 0 && u.y() < 26, u.toString());
            assertTrue(taken.add(u.kind() + "@" + u.x() + "," + u.y()), "two units at " + u);
        }
    }

    @Test
    void beatsRowMajorAndRandomPlacement() {
        for (Kernel k : List.of(monarch(0), monarch(64), chain(40, 4096), chain(7, 64))) {
            Placement p = Placer.place(k, SN40L);
            assertTrue(p.wireLengthByteHops() < p.rowMajorByteHops(), k.name() + ": " + p.wireLengthByteHops() + " vs "
                    + p.rowMajorByteHops());
            assertTrue(p.wireLengthByteHops() < p.randomByteHops(), k.name());
        }
    }

    @Test
    void reportsRoutesLinksAndDieCrossing() {
        Placement p = Placer.place(monarch(0), SN40L);
        assertFalse(p.longestRoutes().isEmpty());
        assertFalse(p.mostLoadedLinks().isEmpty());
        for (int i = 1; i < p.longestRoutes().size(); i++) {
            assertTrue(p.longestRoutes().get(i - 1).hops() >= p.longestRoutes().get(i).hops());
        }
        for (int i = 1; i < p.mostLoadedLinks().size(); i++) {
            assertTrue(p.mostLoadedLinks().get(i - 1).load() >= p.mostLoadedLinks().get(i).load());
        }
        // 1040 PCUs fill both dies, so some stream must cross.
        assertTrue(p.dieCrossingBytes() > 0);
        assertTrue(p.pipelineSeconds() > 0);
    }

    @Test
    void isDeterministic() {
        assertEquals(PlacementJson.toJson(Placer.place(monarch(64), SN40L)),
                PlacementJson.toJson(Placer.place(monarch(64), SN40L)));
    }

    @Test
    void tooManyStagesIsAnErrorNotAnException() {
        Placement p = Placer.place(chain(10, 64), SN40L.at(SN40L.corner()), DefaultWorkEstimator.INSTANCE,
                Placer.Options.DEFAULT, () -> false);
        assertTrue(p.ok());
        Kernel budgeted = chain(10, 64);
        budgeted = new Kernel(budgeted.name(), budgeted.instanceName(), budgeted.params(), budgeted.operations(),
                new KernelHints(1, OptionalInt.of(5), OptionalLong.empty()), HERE);
        Placement over = Placer.place(budgeted, SN40L);
        assertFalse(over.ok());
        assertEquals(Severity.ERROR, over.diagnostics().get(0).severity());
        assertTrue(over.units().isEmpty());
    }

    @Test
    void cancellationKeepsTheGreedyPlacement() {
        Placement p = Placer.place(monarch(0), SN40L, DefaultWorkEstimator.INSTANCE, Placer.Options.DEFAULT, () -> true);
        assertTrue(p.cancelled());
        assertFalse(p.units().isEmpty());
        assertTrue(p.diagnostics().stream().anyMatch(d -> d.code().equals("dfk.cancelled")));
    }

    @Test
    void aCustomWorkEstimatorChangesTheShares() {
        Placement p = Placer.place(monarch(0), SN40L, (k, op) -> 1.0, Placer.Options.DEFAULT, () -> false);
        List<Integer> units = p.groups().stream().filter(g -> g.kind() == Placement.UnitKind.PCU)
                .map(Placement.Group::units).toList();
        assertEquals(List.of(347, 347, 346), units);
    }

    @Test
    void svgIsSelfContainedWithALegendAndTheDieBoundary() {
        String svg = PlacementSvg.render(Placer.place(monarch(64), SN40L));
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assertTrue(svg.contains("stroke-dasharray"), "die boundary");
        assertTrue(svg.contains("matmul g0"), "legend");
        assertFalse(svg.contains("href"), "no external references");
    }
}
