package io.rdustudio.dfk.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.dfk.tests.DfkTester;

/** The analysis's findings as the editor and {@code dfk check --hints} show them: here, bandwidth bottlenecks. */
class AnalysisFindingsTest {

    /** A matrix-vector product per launch: 32 MiB of weight for 16 MFLOP, far below any tier's ridge point. */
    private static final String MATVEC = """
            input x: bf16[1, 4096]
            weight w: bf16[4096, 4096] @TIER
            output y: bf16[1, 4096]
            kernel gemv(a: bf16[1, 4096], b: bf16[4096, 4096]) -> (c: bf16[1, 4096]) {
              c = matmul(a, b)
            }
            schedule {
              y = gemv(x, w)
            }
            """;

    private static List<AnalysisFindings.Finding> findings(String text) {
        Program program = DfkTester.of(text).lowered().program();
        ProgramAnalysis.Result result = ProgramAnalysis.analyse(program, TargetProfiles.load("sn40l"), () -> false);
        return AnalysisFindings.in(result, program.uri());
    }

    private static List<AnalysisFindings.Finding> bottlenecks(String text) {
        return findings(text).stream().filter(f -> f.code().equals(AnalysisFindings.BANDWIDTH_BOUND)).toList();
    }

    @Test
    void aKernelThatStreamsItsWeightFromDdrIsAWarningAtItsCallThatSuggestsHbm() {
        String text = MATVEC.replace("TIER", "ddr");
        List<AnalysisFindings.Finding> found = bottlenecks(text);

        assertEquals(1, found.size(), found.toString());
        AnalysisFindings.Finding f = found.get(0);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals("y = gemv(x, w)", text.substring(f.offset(), f.offset() + f.length()), "the call it concerns");
        assertTrue(f.message().startsWith("kernel gemv is DDR-bound: its DDR streams need "), f.message());
        assertTrue(f.message().contains("largest stream: b, 32.0 MiB read; place b in HBM if it fits there"), f.message());
    }

    @Test
    void theSameKernelOnHbmIsStillBoundButNotSentAnywhere() {
        List<AnalysisFindings.Finding> found = bottlenecks(MATVEC.replace("TIER", "hbm"));

        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).message().startsWith("kernel gemv is HBM-bound:"), found.get(0).message());
        assertTrue(found.get(0).message().endsWith("largest stream: b, 32.0 MiB read"), found.get(0).message());
    }

    @Test
    void aBottleneckThatCostsLessThanALaunchIsNotWorthAWarning() {
        String tiny = MATVEC.replace("TIER", "hbm").replace("4096", "64");

        assertEquals(List.of(), bottlenecks(tiny), "HBM-bound by nanoseconds; a launch costs 1 us");
    }

    @Test
    void aComputeBoundKernelHasNoBottleneckWarning() {
        String square = """
                input x: bf16[4096, 4096]
                weight w: bf16[4096, 4096]
                output y: bf16[4096, 4096]
                kernel mm(a: bf16[4096, 4096], b: bf16[4096, 4096]) -> (c: bf16[4096, 4096]) {
                  c = matmul(a, b)
                }
                schedule {
                  y = mm(x, w)
                }
                """;

        assertEquals(List.of(), bottlenecks(square));
    }
}
