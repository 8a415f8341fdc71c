package io.rdustudio.dfk.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.xtext.resource.XtextResource;
import org.junit.jupiter.api.Test;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.cost.Limiter;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.dfk.lowering.DfkAnalyses;
import io.rdustudio.dfk.tests.DfkTester;

/** The analysis facade on DFK programs, and its per-resource cache. */
class ProgramAnalysisTest {

    private static final String TWO_KERNELS = """
            let D = 64
            input x: bf16[8, D]
            weight w: bf16[D, D]
            output y: bf16[8, D]
            local t: bf16[8, D]
            kernel a(p: bf16[8, D], q: bf16[D, D]) -> (r: bf16[8, D]) {
              r = matmul(p, q)
            }
            kernel b(p: bf16[8, D]) -> (r: bf16[8, D]) {
              r = relu(p)
            }
            schedule {
              t = a(x, w)
              y = b(t)
            }
            """;

    private static Program program(String text) {
        return DfkTester.of(text).lowered().program();
    }

    @Test
    void runsEveryStepInOrder() {
        ProgramAnalysis.Result r = ProgramAnalysis.analyse(program(TWO_KERNELS), TargetProfiles.load("sn40l"), () -> false);

        assertFalse(r.cancelled());
        assertTrue(r.memory().orElseThrow().fits());
        assertEquals(Tier.HBM, r.tensorTiers().tierOf(r.program(), "t"), "the plan's tier");
        assertEquals(2, r.cost().orElseThrow().calls().size());
        assertEquals(1, r.fusion().orElseThrow().hints().size(), "a and b merge");
        assertEquals(2, r.bandwidth().size());
        assertEquals(Limiter.HBM, r.cost().get().calls().get(0).perCall().bound());
        assertFalse(r.hasErrors(), r.diagnostics().toString());
    }

    @Test
    void cancellationGivesAPartialResult() {
        AtomicInteger asked = new AtomicInteger();
        ProgramAnalysis.Result r = ProgramAnalysis.analyse(program(TWO_KERNELS), TargetProfiles.load("sn40l"),
                () -> asked.incrementAndGet() > 3);

        assertTrue(r.cancelled());
        assertTrue(r.bandwidth().isEmpty());
        assertTrue(r.fusion().isEmpty() || !r.fusion().get().complete());
    }

    @Test
    void aGpuProfileIsADiagnosticNotAnException() {
        ProgramAnalysis.Result r = ProgramAnalysis.analyse(program(TWO_KERNELS), TargetProfiles.load("dgx-a100"),
                () -> false);

        assertTrue(r.cost().isEmpty());
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.severity() == Severity.ERROR
                && d.message().contains("choose sn40l or sn40l-node")), r.diagnostics().toString());
    }

    @Test
    void aFailingStepBecomesADiagnosticAtTheScheduleAndTheRestRuns() {
        Program p = program(TWO_KERNELS);
        AtomicInteger asked = new AtomicInteger();
        // the first question is the memory planner's: make that step throw
        ProgramAnalysis.Result r = ProgramAnalysis.analyse(p, TargetProfiles.load("sn40l"), () -> {
            if (asked.getAndIncrement() == 0) {
                throw new IllegalStateException("boom");
            }
            return false;
        });

        assertTrue(r.memory().isEmpty());
        assertTrue(r.cost().isPresent(), "the cost ran with the declared tiers");
        assertEquals(1, r.diagnostics().stream().filter(d -> d.code().equals(ProgramAnalysis.FAILED_CODE)
                && d.message().startsWith("the memory plan failed on this program (boom)")
                && d.location().equals(p.schedule().get().location())).count(), r.diagnostics().toString());
    }

    @Test
    void cachedPerResourceStateAndProfile() throws IOException {
        DfkTester tester = DfkTester.of(TWO_KERNELS);
        XtextResource resource = (XtextResource) tester.resource("main.dfk");
        DfkAnalyses analyses = DfkTester.instance(DfkAnalyses.class);

        ProgramAnalysis.Result first = analyses.of(resource);
        assertSame(first, analyses.of(resource), "an unchanged resource answers from the cache");

        int offset = TWO_KERNELS.indexOf("r = relu(p)");
        resource.update(offset, "r = relu(p)".length(), "r = relu(p) ");
        ProgramAnalysis.Result edited = analyses.of(resource);
        assertNotSame(first, edited, "an edit recomputes");
        assertSame(edited, analyses.of(resource));

        resource.reparse(TWO_KERNELS);
        assertNotSame(edited, analyses.of(resource), "a reparse recomputes");
    }
}
