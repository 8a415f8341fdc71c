package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and absurd descriptors, missing and malformed trace files: every one gives located
 * errors and exit 1 (or 0), never a trace, a hang or an internal error.
 */
class CoeBadInputTest {

    @TempDir
    Path dir;

    private Dfk.Run check(String name, String text) throws IOException {
        return Dfk.run("coe", "check", Dfk.write(dir, name, text).toString()).assertCleanExit();
    }

    @Test
    void randomBytes() throws IOException {
        Random random = new Random(42);
        List<String> files = new ArrayList<>(List.of("coe", "check"));
        for (int i = 0; i < 20; i++) {
            byte[] bytes = new byte[random.nextInt(2000)];
            random.nextBytes(bytes);
            files.add(Dfk.write(dir, "random" + i + ".coe", new String(bytes, StandardCharsets.ISO_8859_1)).toString());
        }
        Dfk.run(files.toArray(String[]::new)).assertCleanExit();
    }

    @Test
    void anEmptyDescriptorNeedsARouter() throws IOException {
        Dfk.Run run = check("empty.coe", "");
        assertEquals(1, run.exitCode());
        assertTrue(run.out().contains("empty.coe:1:1: error: a deployment needs a router"), run.printed());
    }

    @Test
    void everyTruncationOfTheExample() throws IOException {
        Files.copy(Path.of("..", "examples", "router.dfk"), dir.resolve("router.dfk"));
        String text = Files.readString(Path.of(CoeCommandsTest.SAMBA));
        List<String> files = new ArrayList<>(List.of("coe", "check"));
        for (int cut = 0; cut < text.length(); cut += Math.max(1, text.length() / 40)) {
            files.add(Dfk.write(dir, "cut" + cut + ".coe", text.substring(0, cut)).toString());
        }
        Dfk.run(files.toArray(String[]::new)).assertCleanExit();
    }

    @Test
    void aMillionExpertsAreRefusedWithoutRunningOutOfMemory() throws IOException {
        Dfk.Run run = check("million.coe", CoeCommandsTest.SMALL.replace("2 experts e", "1_000_000 experts e"));
        assertEquals(1, run.exitCode());
        assertTrue(run.out().contains("million.coe:6:1: error: 1,000,000 experts are declared; the simulator takes at most "
                + "100,000"), run.printed());
    }

    @Test
    void aZeroSizedModelIsAnErrorAtEachUse() throws IOException {
        Dfk.Run run = check("zero.coe", CoeCommandsTest.SMALL.replace("hidden 4096", "hidden 0"));
        assertEquals(1, run.exitCode());
        assertTrue(run.out().contains("zero.coe:5:9: error: the router has hidden size 0: a model needs at least 1"),
                run.printed());
        assertTrue(run.out().contains("zero.coe:6:14: error: expert 'e' has hidden size 0"), run.printed());
    }

    @Test
    void absurdNumbersAreErrorsAtTheNumber() throws IOException {
        Dfk.Run run = check("absurd.coe", CoeCommandsTest.SMALL.replace("layers 32", "layers 99999999999999999999999")
                .replace("arrivals 2 per", "arrivals 1" + "0".repeat(400) + " per"));
        assertEquals(1, run.exitCode());
        assertTrue(run.out().contains("absurd.coe:3:12: error: layers 99999999999999999999999 is beyond what a descriptor "
                + "takes"), run.printed());
        assertTrue(run.out().contains("error: the arrival rate 1000"), run.printed());
    }

    @Test
    void aMissingTraceFileIsNamed() throws IOException {
        Dfk.Run run = check("trace.coe", CoeCommandsTest.SMALL.replace("mix uniform", "mix trace \"requests.jsonl\""));
        assertEquals(1, run.exitCode());
        assertTrue(run.out().contains("trace.coe:7:99: error: no trace file " + dir.resolve("requests.jsonl")), run.printed());
    }

    @Test
    void malformedTraceLinesAreNamedByLine() throws IOException {
        Dfk.write(dir, "requests.jsonl", """
                {"arrivalSeconds": 0.0, "expert": "e_000"}
                {"arrivalSeconds": "soon", "expert": "e_001"}
                not json
                """);
        Path coe = Dfk.write(dir, "trace.coe", CoeCommandsTest.SMALL.replace("mix uniform", "mix trace \"requests.jsonl\""));
        String expected = coe + ":7:99: error: requests.jsonl:2: \"arrivalSeconds\" must be a number, not \"soon\"\n"
                + coe + ":7:99: error: requests.jsonl:3: not valid JSON at column 1 (strict JSON: names and strings in double "
                + "quotes, one object per line); a line looks like {\"arrivalSeconds\": 0.5, \"expert\": \"math_003\", "
                + "\"promptTokens\": 512, \"outputTokens\": 20}\n";

        Dfk.Run check = Dfk.run("coe", "check", coe.toString()).assertCleanExit();
        assertEquals(1, check.exitCode(), check.printed());
        assertEquals(expected, check.out(), "the check reads the trace: its lines at the trace's name");

        Dfk.Run simulate = Dfk.run("coe", "simulate", coe.toString()).assertCleanExit();
        assertEquals(1, simulate.exitCode(), simulate.printed());
        assertEquals(expected, simulate.out(), "nothing is simulated from a trace with errors");
        assertTrue(simulate.err().contains("has errors; fix them (above) before going on"), simulate.printed());
    }

    @Test
    void aDescriptorOfTenMegabytesIsRefused() throws IOException {
        StringBuilder big = new StringBuilder(CoeCommandsTest.SMALL);
        while (big.length() < 10 * 1024 * 1024) {
            big.append("// padding padding padding padding padding padding padding padding padding padding\n");
        }
        Dfk.Run run = check("big.coe", big.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.out().contains("big.coe:1:1: error: the descriptor is larger than 8 MB"), run.printed());
    }

    @Test
    void aProgramThatDoesNotExistOrHasErrors() throws IOException {
        String withProgram = CoeCommandsTest.SMALL.replace("router: llama, tp 8",
                "model enc: program \"enc.dfk\" { prefill schedule }\nrouter: enc");
        Dfk.Run missing = check("missing.coe", withProgram);
        assertEquals(1, missing.exitCode());
        assertTrue(missing.out().contains("missing.coe:5:20: error: cannot read 'enc.dfk': no such file (looked for "
                + dir.resolve("enc.dfk") + "); paths are relative to this descriptor"), missing.printed());

        Dfk.write(dir, "enc.dfk", Dfk.VALID.replace("matmul(a, b)", "matmul(a, q)"));
        Dfk.Run broken = check("broken.coe", withProgram);
        assertEquals(1, broken.exitCode());
        assertTrue(broken.out().contains("broken.coe:5:20: error: enc.dfk has 1 error; the first, at 6:17: unknown name 'q'"),
                broken.printed());
    }
}
