package io.rdustudio.dfk.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.reflect.Method;
import java.util.List;

import org.eclipse.emf.ecore.util.Diagnostician;
import org.eclipse.xtext.validation.Check;
import org.junit.jupiter.api.Test;

import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.tests.DfkTester;

/** DFK files are validated at their root; what the checks find deep inside bodies is still reported. */
class DfkDiagnosticianTest {

    @Test
    void everyDfkCheckIsACheckOfTheWholeFile() {
        // a @Check on a nested type (a Call, a Statement) would never run: the diagnostician stops at the root
        for (Class<?> validator : List.of(DfkValidator.class, DfkAnalysisValidator.class)) {
            for (Method m : validator.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Check.class)) {
                    assertEquals(List.of(Model.class), List.of(m.getParameterTypes()),
                            validator.getSimpleName() + "." + m.getName() + " must check the file's Model");
                }
            }
        }
        assertInstanceOf(DfkDiagnostician.class, DfkTester.instance(Diagnostician.class));
    }

    @Test
    void problemsDeepInsideKernelBodiesAndTheScheduleAreReported() {
        List<String> issues = DfkTester.of("""
                input x: bf16[4, 8]
                weight w: bf16[16, 8]
                output y: bf16[4, 8]
                kernel k(a: bf16[4, 8], b: bf16[16, 8]) -> (c: bf16[4, 8]) {
                  t = relu(a)
                  c = matmul(t, b) + bias
                }
                schedule {
                  y = k(x, w)
                }
                """).issues();

        assertEquals(List.of(
                "6:7 error: matmul: inner dimensions differ: a is bf16[4, 8] (K = 8) but b is bf16[16, 8] (K = 16)",
                "6:22 error: unknown name 'bias'; declare it with let, as a tensor or parameter, or define it in an earlier statement"),
                issues);
    }
}
