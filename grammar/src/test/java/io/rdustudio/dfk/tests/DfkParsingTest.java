package io.rdustudio.dfk.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.rdustudio.dfk.dfk.Kernel;
import io.rdustudio.dfk.dfk.Loop;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.Schedule;

/**
 * The parser on the constructs whose lexing is delicate: ranges next to numbers ({@code 0..L}),
 * decimals with exponents, digit separators, both comment styles. (This file also keeps the
 * Xtext generator from writing its placeholder test here.)
 */
class DfkParsingTest {

    @Test
    void rangesDecimalsSeparatorsAndComments() {
        Model model = DfkTester.of("""
                # hash comment
                let L = 32_000 // slash comment
                let eps = 1e-5
                let half = 0.5
                input x: fp32[4]
                output y: fp32[4]
                kernel k(a: fp32[4]) -> (b: fp32[4]) { b = a * half + eps }
                schedule { for l in 0..2 { } y = k(x) }
                """).model();
        assertTrue(model.eResource().getErrors().isEmpty(), model.eResource().getErrors().toString());
        Schedule schedule = (Schedule) model.getElements().get(model.getElements().size() - 1);
        assertTrue(schedule.getSteps().get(0) instanceof Loop);
        assertEquals("k", ((Kernel) model.getElements().get(5)).getName());
    }

    @Test
    void namesThatBeginWithAKeywordAreNames() {
        DfkTester tester = DfkTester.of("""
                let inner = 3
                let format = 4
                let schedules = 2
                let input_rows = inner * format * schedules
                input weights: fp32[input_rows]
                output infer: fp32[input_rows]
                kernel forward(stateful: fp32[input_rows]) -> (hbm_copy: fp32[input_rows]) { hbm_copy = stateful * 2 }
                schedule { infer = forward(weights) }
                """);
        assertEquals(java.util.List.of(), tester.issues());
        assertEquals(24L, tester.lowered().program().constants().get("input_rows"));
    }

    @Test
    void decimalsInEveryFormAndRangesNextToThem() {
        DfkTester tester = DfkTester.of("""
                let a = 0.08838834764831845
                let b = 2.5e3
                let c = 1e-5
                let d = 1E+2
                let e = 3.0e-1
                input x: fp32[4]
                output y: fp32[4]
                kernel k(v: fp32[4]) -> (w: fp32[4]) { w = v * a + b * c - d * e }
                schedule { for l in 0..2 { } for m in 1..3 { } y = k(x) }
                """);
        assertEquals(java.util.List.of(), tester.issues());
        io.rdustudio.dfk.dfk.Model model = tester.model();
        java.util.List<String> written = org.eclipse.xtext.EcoreUtil2
                .getAllContentsOfType(model, io.rdustudio.dfk.dfk.FloatLiteral.class).stream()
                .map(io.rdustudio.dfk.dfk.FloatLiteral::getValue).toList();
        assertEquals(java.util.List.of("0.08838834764831845", "2.5e3", "1e-5", "1E+2", "3.0e-1"), written);
    }

    @Test
    void aDecimalWithSpacesInsideIsASyntaxError() {
        DfkTester tester = DfkTester.of("""
                let a = 0 . 5
                """);
        assertTrue(tester.issues().stream().anyMatch(i -> i.startsWith("1:") && i.contains("error")), tester.issues().toString());
    }
}
