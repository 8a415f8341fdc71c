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
}
