package io.rdustudio.dfk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.rdustudio.dfk.tests.DfkTester;

class ValidationTest {

    private static final String PROJ = """
            let D = 64
            input x: bf16[8, D]
            weight w: bf16[D, D]
            output y: bf16[8, D]
            kernel proj(a: bf16[8, D], b: bf16[D, D]) -> (c: bf16[8, D]) {
              c = matmul(a, b)
            }
            schedule { y = proj(x, w) }
            """;

    private static void assertIssues(String dfk, String... expected) {
        assertEquals(List.of(expected), DfkTester.of(dfk).issues());
    }

    private static void assertHasIssue(String dfk, String expected) {
        List<String> issues = DfkTester.of(dfk).issues();
        assertTrue(issues.stream().anyMatch(i -> i.contains(expected)), "expected an issue containing <" + expected
                + "> but got " + issues);
    }

    @Test
    void cleanProgramHasNoIssues() {
        assertIssues(PROJ);
    }

    @Test
    void matmulShapeMismatchNamesBothShapes() {
        assertIssues(PROJ.replace("c = matmul(a, b)", "c = matmul(b, a)"),
                "6:7 error: matmul: inner dimensions differ: a is bf16[64, 64] (K = 64) but b is bf16[8, 64] (K = 8)");
    }

    @Test
    void unknownNameIsReported() {
        assertHasIssue(PROJ.replace("matmul(a, b)", "matmul(a, q)"), "6:17 error: unknown name 'q'");
    }

    @Test
    void unknownOperatorIsReported() {
        assertHasIssue(PROJ.replace("matmul(a, b)", "matmol(a, b)"), "unknown operator, kernel or fn 'matmol'");
    }

    @Test
    void argumentShapeMismatchNamesBothTypes() {
        assertHasIssue(PROJ.replace("weight w: bf16[D, D]", "weight w: bf16[D, 32]"),
                "argument w of kernel proj is bf16[64, 32] but parameter b expects bf16[64, 64]");
    }

    @Test
    void inexactDivisionInShapeIsAnError() {
        assertHasIssue(PROJ.replace("input x: bf16[8, D]", "input x: bf16[8, D / 3]"), "64 / 3 is not exact");
    }

    @Test
    void negativeDimensionIsAnError() {
        assertHasIssue(PROJ.replace("input x: bf16[8, D]", "input x: bf16[-8, D]"), "dimension -8 of x must be positive");
    }

    @Test
    void hugeShapeIsAnErrorNotACrash() {
        assertHasIssue(PROJ.replace("input x: bf16[8, D]", "input x: bf16[1099511627776, 1099511627776, 1099511627776]"),
                "more bytes than fit in 64 bits");
    }

    @Test
    void outputNeverProduced() {
        assertHasIssue(PROJ.replace("schedule { y = proj(x, w) }", "output z: bf16[8, D]\nschedule { y = proj(x, w) }"),
                "output z is never produced");
    }

    @Test
    void writingATensorTwiceInOneIteration() {
        assertHasIssue(PROJ.replace("schedule { y = proj(x, w) }", "schedule { y = proj(x, w)\n y = proj(x, w) }"),
                "y is written twice in one iteration");
    }

    @Test
    void writingInsideALoopIsOncePerIteration() {
        assertIssues("""
                let L = 4
                input x: bf16[8, 64]
                weight w: bf16[L, 64, 64]
                local h: bf16[8, 64]
                output y: bf16[8, 64]
                kernel proj(a: bf16[8, 64], b: bf16[64, 64]) -> (c: bf16[8, 64]) { c = matmul(a, b) }
                schedule {
                  h = proj(x, w[0])
                  for l in 1..L { h = proj(h, w[l]) }
                  y = proj(h, w[0])
                }
                """);
    }

    @Test
    void indexOutOfRangeInLoop() {
        assertHasIssue("""
                let L = 4
                input x: bf16[8, 64]
                weight w: bf16[L, 64, 64]
                output y: bf16[L, 8, 64]
                kernel proj(a: bf16[8, 64], b: bf16[64, 64]) -> (c: bf16[8, 64]) { c = matmul(a, b) }
                schedule { for l in 0..L { y[l] = proj(x, w[l + 1]) } }
                """, "index l + 1 reaches 4 but axis 0 of w has size 4");
    }

    @Test
    void usedBeforeWritten() {
        assertHasIssue(PROJ.replace("schedule { y = proj(x, w) }", "local h: bf16[8, D]\nschedule { y = proj(h, w) }"),
                "h is read before any step writes it");
    }

    @Test
    void inputsAreReadOnly() {
        assertHasIssue(PROJ.replace("y = proj(x, w)", "x = proj(x, w)"), "x is an input and read-only");
    }

    @Test
    void unusedWeightIsAWarning() {
        assertHasIssue(PROJ.replace("weight w: bf16[D, D]", "weight w: bf16[D, D]\nweight unused: bf16[4]"),
                "warning: weight unused is never used");
    }

    @Test
    void kernelOutputNotWritten() {
        assertHasIssue(PROJ.replace("c = matmul(a, b)", "t = matmul(a, b)"), "output c of kernel proj is never written");
    }

    @Test
    void valuesAreAssignedOnce() {
        assertHasIssue(PROJ.replace("c = matmul(a, b)", "t = matmul(a, b)\n t = relu(t)\n c = t"),
                "value t is already defined");
    }

    @Test
    void shapeParametersAreInferredAtEachCall() {
        var result = DfkTester.of("""
                input x: bf16[8, 64]
                input z: bf16[16, 64]
                weight w: bf16[64, 64]
                output y: bf16[8, 64]
                output u: bf16[16, 64]
                kernel proj<T>(a: bf16[T, 64], b: bf16[64, 64]) -> (c: bf16[T, 64]) { c = matmul(a, b) }
                schedule { y = proj(x, w)
                  u = proj(z, w) }
                """).lowered();
        assertEquals(List.of(), result.diagnostics());
        assertEquals(List.of("proj<T=8>", "proj<T=16>"), List.copyOf(result.program().kernels().keySet()));
    }

    @Test
    void fnsAreInlinedAndTopkGivesTwoValues() {
        var tester = DfkTester.of("""
                input x: bf16[8, 64]
                output v: bf16[8, 2]
                output i: int32[8, 2]
                fn scaled<T>(a: bf16[T, 64]) -> (b: bf16[T, 64]) { b = a * 0.5 }
                kernel route(a: bf16[8, 64]) -> (vals: bf16[8, 2], idx: int32[8, 2]) {
                  s = softmax(scaled(a), axis=-1)
                  vals, idx = topk(s, k=2)
                }
                schedule { v, i = route(x) }
                """);
        assertEquals(List.of(), tester.issues());
        var ops = tester.lowered().program().kernels().get("route").operations();
        assertEquals(List.of("CONST", "MUL", "SOFTMAX", "TOPK"), ops.stream().map(o -> o.kind().name()).toList());
    }

    @Test
    void tensorParallelKernelIsSplitWithAnAllreduce() {
        var tester = DfkTester.of("""
                let D = 64
                let F = 256
                input x: bf16[8, D]
                weight w1: bf16[D, F]
                weight w2: bf16[F, D]
                output y: bf16[8, D]
                kernel mlp(a: bf16[8, D], u: bf16[D, F], d: bf16[F, D]) -> (c: bf16[8, D]) with tp = 8 {
                  c = matmul(silu(matmul(a, u)), d)
                }
                schedule with sockets = 8 { y = mlp(x, w1, w2) }
                """);
        assertEquals(List.of(), tester.issues());
        var kernel = tester.lowered().program().kernels().get("mlp");
        assertEquals("bf16[64, 32]", kernel.params().get(1).type().toString());
        assertEquals(1, kernel.operations().stream().filter(o -> o.kind().name().equals("ALLREDUCE")).count());
    }

    @Test
    void tensorParallelDegreeAboveSocketsIsAnError() {
        assertHasIssue(PROJ.replace(") {\n  c =", ") with tp = 8 {\n  c ="), "split over tp = 8 sockets but the schedule runs on 1");
    }

    @Test
    void tooManyStagesForOneSocket() {
        StringBuilder body = new StringBuilder("  t0 = relu(a)\n");
        for (int i = 1; i < 1100; i++) {
            body.append("  t").append(i).append(" = relu(t").append(i - 1).append(")\n");
        }
        body.append("  c = relu(t1099)\n");
        assertHasIssue("""
                input x: bf16[8, 64]
                output y: bf16[8, 64]
                kernel deep(a: bf16[8, 64]) -> (c: bf16[8, 64]) {
                """ + body + "}\nschedule { y = deep(x) }\n",
                "kernel deep needs 1,101 PCUs (one per stage), a socket of sn40l has 1,040; split it after operation 1,040"
                        + " (relu at line 1043)");
    }

    @Test
    void stageBuffersBeyondSramAreAnError() {
        assertHasIssue("""
                input x: fp32[65536, 65536]
                output y: fp32[65536, 65536]
                kernel big(a: fp32[65536, 65536]) -> (c: fp32[65536, 65536]) with tile = 4096 {
                  t = exp(a)
                  c = relu(t)
                }
                schedule { y = big(x) }
                """, "of SRAM");
    }

    @Test
    void importsResolveAndCyclesAreReported() {
        DfkTester tester = new DfkTester()
                .file("lib/blocks.dfk", """
                        let D = 64
                        fn twice<T>(a: bf16[T, D]) -> (b: bf16[T, D]) { b = a + a }
                        """)
                .file("main.dfk", """
                        import "lib/blocks.dfk"
                        input x: bf16[8, D]
                        output y: bf16[8, D]
                        kernel k(a: bf16[8, D]) -> (c: bf16[8, D]) { c = twice(a) }
                        schedule { y = k(x) }
                        """)
                .file("a.dfk", "import \"b.dfk\"\nlet A = 1\n")
                .file("b.dfk", "import \"a.dfk\"\nlet B = A\n");
        assertEquals(List.of(), tester.issues("main.dfk"));
        assertTrue(tester.issues("a.dfk").stream().anyMatch(i -> i.contains("import cycle: a.dfk -> b.dfk -> a.dfk")),
                tester.issues("a.dfk").toString());
    }

    @Test
    void stateTensorsAreUpdatedThroughStateParameters() {
        assertIssues("""
                input k: bf16[1, 64]
                state cache: bf16[16, 64]
                output y: bf16[16, 64]
                kernel append(x: bf16[1, 64], state c: bf16[16, 64]) -> (o: bf16[16, 64]) {
                  c = update(c, x, axis=0, at=3)
                  o = relu(c)
                }
                schedule { y = append(k, cache) }
                """);
    }

    @Test
    void aKernelNamedLikeAnOperatorIsAWarning() {
        assertHasIssue(PROJ.replace("proj", "softmax"), "warning: kernel softmax hides the built-in operator");
    }
}
