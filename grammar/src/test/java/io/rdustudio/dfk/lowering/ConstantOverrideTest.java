package io.rdustudio.dfk.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Program;
import io.rdustudio.dfk.tests.DfkTester;

/** Lowering a program as if some of its constants had other values (another KV length, another batch). */
class ConstantOverrideTest {

    private static final String DECODE = """
            let S = 4096
            let P = S - 1
            let D = 64
            input x: bf16[1, D]
            state kc: bf16[S, D]
            output y: bf16[1, S]
            kernel attend(q: bf16[1, D], state c: bf16[S, D]) -> (s: bf16[1, S]) {
                c = update(c, q, axis=0, at=P)
                s = matmul(q, c, transpose_b=1)
            }
            schedule { y = attend(x, kc) }
            """;

    @Test
    void anOverriddenConstantChangesEveryShapeAndEveryConstantBuiltOnIt() {
        DfkTester tester = DfkTester.of(DECODE);
        LoweringResult plain = DfkLowering.lower(tester.model());
        LoweringResult shorter = DfkLowering.lower(tester.model(), Map.of("S", 1000L));

        assertEquals(List.of(), errors(shorter), "overriding S lowers cleanly");
        Program program = shorter.program();
        assertEquals(1000L, program.constants().get("S"));
        assertEquals(999L, program.constants().get("P"), "P = S - 1 follows the override");
        assertEquals(List.of(1000L, 64L), program.tensor("kc").orElseThrow().type().shape().dims());
        assertEquals(List.of(4096L, 64L), plain.program().tensor("kc").orElseThrow().type().shape().dims(),
                "the plain lowering is unchanged");
    }

    @Test
    void anOverrideThatBreaksTheProgramIsReportedLikeAnyOtherError() {
        LoweringResult result = DfkLowering.lower(DfkTester.of(DECODE).model(), Map.of("P", 5000L));
        assertTrue(errors(result).stream().anyMatch(m -> m.contains("5000")), () -> "an update past the cache's end: "
                + errors(result));
    }

    @Test
    void anUnknownNameIsAnErrorThatListsTheConstants() {
        LoweringResult result = DfkLowering.lower(DfkTester.of(DECODE).model(), Map.of("KV", 10L));
        assertEquals(List.of("no constant named KV to set; the program's constants: D, P, S"), errors(result));
    }

    private static List<String> errors(LoweringResult result) {
        return result.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR)
                .map(Diagnostic::message).toList();
    }
}
