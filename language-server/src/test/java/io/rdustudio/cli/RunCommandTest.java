package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rdustudio.emulator.numeric.Npy;
import io.rdustudio.emulator.numeric.Tensor;

/** {@code dfk run}: numerical execution end to end, inputs and outputs as .npy, refusals as clear errors. */
class RunCommandTest {

    private static final String MLP = """
            // two residual layers
            let D = 64
            let L = 2
            input x: bf16[8, D]
            weight w: bf16[L, D, D]
            local h: bf16[8, D]
            output y: bf16[8, D]
            kernel layer(a: bf16[8, D], b: bf16[D, D]) -> (c: bf16[8, D]) { c = silu(matmul(a, b)) + a }
            schedule {
              h = layer(x, w[0])
              y = layer(h, w[1])
            }
            """;

    @TempDir
    Path dir;

    @Test
    void runsAndWritesOutputsAsNpy() throws IOException {
        Path file = Dfk.write(dir, "mlp.dfk", MLP);
        Path out = dir.resolve("out");
        Dfk.Run run = Dfk.run("run", file.toString(), "--out", out.toString(), "--seed", "7").assertNoTrace();
        assertEquals(0, run.exitCode(), run.printed());
        assertTrue(run.out().contains("numerical run: 2 kernel calls"), run.printed());
        Tensor y = Npy.read(out.resolve("y.npy"));
        assertArrayEquals(new int[] { 8, 64 }, y.dims());
        try (var left = Files.list(dir)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".partial-")), "staging folder left behind");
        }
    }

    @Test
    void sameSeedSameNumbersAndInputsFromNpy() throws IOException {
        Path file = Dfk.write(dir, "mlp.dfk", MLP);
        Dfk.run("run", file.toString(), "--out", dir.resolve("a").toString(), "--seed", "3");
        Dfk.run("run", file.toString(), "--out", dir.resolve("b").toString(), "--seed", "3");
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/y.npy")), Files.readAllBytes(dir.resolve("b/y.npy")));

        Dfk.Run fed = Dfk.run("run", file.toString(), "--input", "x=" + dir.resolve("a/y.npy"), "--out",
                dir.resolve("c").toString(), "--seed", "3").assertNoTrace();
        assertEquals(0, fed.exitCode(), fed.printed());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a/y.npy")),
                Files.readAllBytes(dir.resolve("c/y.npy"))), "a different x must give a different y");
    }

    @Test
    void unknownInputNameAndWrongShapeAreUsageErrors() throws IOException {
        Path file = Dfk.write(dir, "mlp.dfk", MLP);
        Dfk.run("run", file.toString(), "--out", dir.resolve("a").toString());
        Dfk.Run unknown = Dfk.run("run", file.toString(), "--input", "nope=" + dir.resolve("a/y.npy")).assertNoTrace();
        assertEquals(DfkCli.EXIT_USAGE, unknown.exitCode(), unknown.printed());
        assertTrue(unknown.err().contains("declares no tensor named nope"), unknown.printed());

        Dfk.Run shape = Dfk.run("run", file.toString(), "--input", "w=" + dir.resolve("a/y.npy")).assertNoTrace();
        assertEquals(DfkCli.EXIT_USAGE, shape.exitCode(), shape.printed());
        assertTrue(shape.err().contains("w"), shape.printed());
    }

    @Test
    void aProgramBeyondTheMemoryBudgetIsRefusedWithTheFigure() throws IOException {
        Path file = Dfk.write(dir, "mlp.dfk", MLP);
        Dfk.Run run = Dfk.run("run", file.toString(), "--memory-budget", "0", "--out", dir.resolve("o").toString())
                .assertNoTrace();
        assertEquals(DfkCli.EXIT_ERRORS_FOUND, run.exitCode(), run.printed());
        assertTrue(run.err().contains("needs about") && run.err().contains("budget"), run.printed());
        assertFalse(Files.exists(dir.resolve("o")), "a refused run writes nothing");
    }

    @Test
    void timingOnlyRunsAnyProgramAndWritesAChromeTrace() throws IOException {
        Path trace = dir.resolve("decode.trace.json");
        Dfk.Run run = Dfk.run("run", "--timing-only", "--trace", trace.toString(), "../examples/llama2_7b_decode.dfk")
                .assertNoTrace();
        assertEquals(0, run.exitCode(), run.printed());
        assertTrue(run.out().contains("emulated time:") && run.out().contains("tokens per second"), run.printed());
        var events = com.google.gson.JsonParser.parseString(Files.readString(trace)).getAsJsonObject()
                .getAsJsonArray("traceEvents");
        assertTrue(events.size() > 0);
        assertTrue(events.toString().contains("\"fill\"") && events.toString().contains("\"drain\""), "fill and drain events");
    }

    @Test
    void compareShowsThePapersThreeConfigurations() {
        Dfk.Run run = Dfk.run("compare", "--format", "json", "../examples/llama2_7b_decode.dfk").assertNoTrace();
        assertEquals(0, run.exitCode(), run.printed());
        var rows = com.google.gson.JsonParser.parseString(run.out()).getAsJsonObject().getAsJsonArray("configurations");
        assertEquals(3, rows.size());
        double unfused = rows.get(0).getAsJsonObject().get("seconds").getAsDouble();
        double fusedSo = rows.get(1).getAsJsonObject().get("seconds").getAsDouble();
        double fusedHo = rows.get(2).getAsJsonObject().get("seconds").getAsDouble();
        assertTrue(unfused > fusedSo && fusedSo > fusedHo, run.out());
        assertTrue(rows.get(2).getAsJsonObject().get("launches").getAsLong()
                < rows.get(0).getAsJsonObject().get("launches").getAsLong());
    }

    private static final String DECODE = "../examples/llama2_7b_decode.dfk";

    private static com.google.gson.JsonObject json(Dfk.Run run) {
        assertEquals(0, run.exitCode(), run.printed());
        return com.google.gson.JsonParser.parseString(run.out()).getAsJsonObject();
    }

    @Test
    void manyDecodeStepsWithAGrowingCacheReportTheirTotalAndTokensPerSecond() {
        var steps = json(Dfk.run("run", "--timing-only", "--steps", "1000", "--vary", "S=3097", "--format", "json", DECODE)
                .assertNoTrace()).getAsJsonObject("steps");
        assertEquals(1000, steps.get("count").getAsLong());
        assertEquals("S", steps.get("constant").getAsString());
        assertEquals(3097, steps.get("from").getAsLong());
        assertEquals(4096, steps.get("to").getAsLong());
        assertEquals(1000, steps.get("tokens").getAsLong());
        double total = steps.get("totalSeconds").getAsDouble();
        assertEquals(1000 / total, steps.get("tokensPerSecond").getAsDouble(), 1e-9 * 1000 / total);
        var later = steps.getAsJsonObject("laterSteps");
        assertEquals("fitted", later.get("timing").getAsString());
        assertTrue(later.get("emulatedSteps").getAsInt() < 60, later.toString());
        assertTrue(later.get("slowestStepSeconds").getAsDouble() > later.get("fastestStepSeconds").getAsDouble(),
                "a longer cache takes longer");
    }

    @Test
    void aFittedRunAgreesWithEmulatingEveryStep() {
        String[] common = { "run", "--timing-only", "--steps", "40", "--vary", "S=4000", "--format", "json", DECODE };
        var fitted = json(Dfk.run(common)).getAsJsonObject("steps");
        String[] every = java.util.Arrays.copyOf(common, common.length + 1);
        every[common.length] = "--every-step";
        var exact = json(Dfk.run(every)).getAsJsonObject("steps");
        assertEquals("every step emulated", exact.getAsJsonObject("laterSteps").get("timing").getAsString());
        assertEquals(39, exact.getAsJsonObject("laterSteps").get("emulatedSteps").getAsInt());
        double a = fitted.get("totalSeconds").getAsDouble();
        double b = exact.get("totalSeconds").getAsDouble();
        assertEquals(b, a, 0.01 * b);
    }

    @Test
    void identicalStepsPayTheProgramLoadsOnce() {
        var once = json(Dfk.run("run", "--timing-only", "--format", "json", DECODE));
        var ten = json(Dfk.run("run", "--timing-only", "--steps", "10", "--format", "json", DECODE)).getAsJsonObject("steps");
        double first = once.getAsJsonObject("timing").get("totalSeconds").getAsDouble();
        assertEquals(first, ten.get("firstStepSeconds").getAsDouble(), 1e-15);
        double total = ten.get("totalSeconds").getAsDouble();
        assertTrue(total < 10 * first && total > 9 * first, total + " vs 10 x " + first);
    }

    @Test
    void stepOptionsThatDoNotGoTogetherAreUsageErrors() {
        record Case(String[] args, String message) {
        }
        List<Case> cases = List.of(
                new Case(new String[] { "--timing-only", "--vary", "S=3097" }, "--vary applies to a multi-step run"),
                new Case(new String[] { "--timing-only", "--every-step" }, "--every-step applies to a multi-step run"),
                new Case(new String[] { "--steps", "5" }, "add --timing-only"),
                new Case(new String[] { "--timing-only", "--steps", "0" }, "--steps must be at least 1"),
                new Case(new String[] { "--timing-only", "--steps", "5", "--vary", "S=1", "--vary", "L=2" },
                        "--vary takes one constant"));
        for (Case c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("run"));
            args.addAll(List.of(c.args()));
            args.add(DECODE);
            Dfk.Run run = Dfk.run(args.toArray(String[]::new)).assertNoTrace();
            assertEquals(DfkCli.EXIT_USAGE, run.exitCode(), run.printed());
            assertTrue(run.err().contains(c.message()), run.printed());
        }
    }

    @Test
    void aConstantTheProgramDoesNotHaveIsReportedWithTheConstantsItHas() {
        Dfk.Run run = Dfk.run("run", "--timing-only", "--steps", "5", "--vary", "KV=10", DECODE).assertNoTrace();
        assertEquals(DfkCli.EXIT_ERRORS_FOUND, run.exitCode(), run.printed());
        assertTrue(run.err().contains("with --vary KV=10 the program does not lower")
                && run.err().contains("no constant named KV to set") && run.err().contains("llama2_7b_decode.dfk:"),
                run.printed());
    }

    @Test
    void targetSocketsOrchestrationAndUnfusedReachTheRun() {
        var ho = json(Dfk.run("run", "--timing-only", "--format", "json", "--orchestration", "hardware", DECODE));
        var so = json(Dfk.run("run", "--timing-only", "--format", "json", "--orchestration", "software", DECODE));
        var unfused = json(Dfk.run("run", "--timing-only", "--format", "json", "--unfused", "--orchestration", "software",
                DECODE));
        var gpu = json(Dfk.run("run", "--timing-only", "--format", "json", "--target", "dgx-h100", DECODE));
        var wider = json(Dfk.run("run", "--timing-only", "--format", "json", "--sockets", "16", DECODE));
        assertEquals("hardware", ho.getAsJsonObject("timing").get("orchestration").getAsString());
        assertEquals("software", so.getAsJsonObject("timing").get("orchestration").getAsString());
        assertTrue(so.getAsJsonObject("timing").get("launches").getAsLong()
                > ho.getAsJsonObject("timing").get("launches").getAsLong());
        assertTrue(unfused.getAsJsonObject("timing").get("unfused").getAsBoolean());
        assertTrue(unfused.getAsJsonObject("timing").get("launches").getAsLong()
                > so.getAsJsonObject("timing").get("launches").getAsLong());
        assertEquals("dgx-h100", gpu.getAsJsonObject("target").get("name").getAsString());
        assertEquals(16, wider.getAsJsonObject("timing").get("sockets").getAsInt());

        Dfk.Run narrow = Dfk.run("run", "--timing-only", "--sockets", "4", DECODE).assertNoTrace();
        assertEquals(DfkCli.EXIT_USAGE, narrow.exitCode(), narrow.printed());
        assertTrue(narrow.err().contains("at least 8"), narrow.printed());
    }
}
