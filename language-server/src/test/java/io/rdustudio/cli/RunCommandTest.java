package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
