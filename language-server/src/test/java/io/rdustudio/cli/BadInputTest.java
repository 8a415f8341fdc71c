package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever a file holds, {@code dfk check} ends with diagnostics and exit 0 or 1: no stack trace,
 * no internal error, no hang (each test has a time limit).
 */
class BadInputTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void randomBytes() throws IOException {
        byte[] bytes = new byte[64 * 1024];
        new Random(20261124L).nextBytes(bytes);
        Path file = Files.write(dir.resolve("random.dfk"), bytes);

        Dfk.Run run = Dfk.run("check", file.toString()).assertCleanExit();

        assertEquals(1, run.exitCode(), run.printed());
        assertTrue(run.out().startsWith(file + ":"), run.printed());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void emptyFileIsClean() throws IOException {
        Path file = Dfk.write(dir, "empty.dfk", "");

        assertEquals(0, Dfk.run("check", file.toString()).assertCleanExit().exitCode());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyTruncationOfAValidProgram() throws IOException {
        String text = Dfk.VALID;
        List<String> args = new ArrayList<>(List.of("check"));
        for (int length = 0; length < text.length(); length += 3) {
            args.add(Dfk.write(dir, "cut" + length + ".dfk", text.substring(0, length)).toString());
        }

        Dfk.Run run = Dfk.run(args.toArray(String[]::new)).assertCleanExit();

        assertEquals(1, run.exitCode(), run.printed());
        assertTrue(run.err().strip().endsWith("in " + (args.size() - 1) + " files"), run.printed());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tenThousandNestedParentheses() throws IOException {
        Path file = Dfk.write(dir, "nested.dfk", "let D = " + "(".repeat(10_000) + "64" + ")".repeat(10_000) + "\n"
                + "input x: bf16[8, D]\n");
        Path fine = Dfk.write(dir, "nested-fine.dfk", "let D = " + "(".repeat(1_500) + "64" + ")".repeat(1_500) + "\n"
                + "input x: bf16[8, D]\n");

        Dfk.Run refused = Dfk.run("check", file.toString()).assertCleanExit();
        Dfk.Run parsed = Dfk.run("check", fine.toString()).assertCleanExit();

        assertEquals(1, refused.exitCode(), refused.printed());
        assertTrue(refused.out().contains("nest"), refused.printed());
        assertEquals(0, parsed.exitCode(), parsed.printed());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tenThousandUnclosedParentheses() throws IOException {
        // error recovery in the generated parser is quadratic in the depth (about 10 s here)
        Path file = Dfk.write(dir, "open.dfk", "let D = " + "(".repeat(10_000) + "\n");

        Dfk.Run run = Dfk.run("check", file.toString()).assertCleanExit();

        assertEquals(1, run.exitCode(), run.printed());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void nestingTooDeepForAnyStackIsOneError() throws IOException {
        int depth = 3_000_000;
        Path file = Dfk.write(dir, "abyss.dfk", "let D = " + "(".repeat(depth) + "1" + ")".repeat(depth) + "\n");

        Dfk.Run run = Dfk.run("check", file.toString()).assertCleanExit();

        assertEquals(1, run.exitCode(), run.printed());
        assertTrue(run.out().startsWith(file + ":1:1: error: "), run.printed());
        assertTrue(run.out().contains("nested too deeply"), run.printed());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tenMegabyteFile() throws IOException {
        Path file = dir.resolve("huge.dfk");
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] line = "let c = 1\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 1_048_576; i++) {
                out.write(line);
            }
        }

        Dfk.Run run = Dfk.run("check", file.toString()).assertCleanExit();

        assertEquals(1, run.exitCode(), run.printed());
        assertTrue(run.out().startsWith(file + ":1:1: error: file is 10.0 MB"), run.printed());
    }

    static Stream<String> oddShapes() {
        return Stream.of(
                "output y: bf16[1099511627776]\n",
                "input x: bf16[1024, 1024, 1024, 1024]\noutput y: bf16[1048576, 1048576]\n",
                "input x: bf16[-4, 8]\n",
                "input x: bf16[0, 8]\n",
                "let N = 0 - 3\ninput x: bf16[N, 8]\n",
                "let D = 7 / 0\ninput x: bf16[D]\n",
                "let D = 99999999999999999999999999999999\ninput x: bf16[D]\n",
                "input x: bf16[]\noutput y: bf16[8,]\n",
                "kernel k(a: bf16[8]) -> (b: bf16[8]) { b = a }\nschedule { k(k(k)) }\n",
                "\uFEFFlet D = 64\n\u0000\u0001\u0002 input x: bf16[D]\n");
    }

    @ParameterizedTest
    @MethodSource("oddShapes")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void oddShapesAndValues(String text) throws IOException {
        Path file = Dfk.write(dir, "odd.dfk", text);

        Dfk.run("check", file.toString()).assertCleanExit();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void negativeDimensionIsAnErrorOnItsLine() throws IOException {
        Path file = Dfk.write(dir, "negative.dfk", "let D = 64\ninput x: bf16[-4, D]\n");

        Dfk.Run run = Dfk.run("check", file.toString()).assertCleanExit();

        assertEquals(1, run.exitCode(), run.printed());
        assertTrue(run.out().startsWith(file + ":2:"), run.printed());
    }
}
