package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code dfk run}, for real: the command runs as a child JVM, receives SIGINT in the
 * middle of its numerical run, stops, says so, and leaves no output, trace, report or staging
 * folder behind (its shutdown hook holds the JVM until the run has cleaned up).
 */
class InterruptTest {

    /** Five thousand 256 x 256 x 256 matmuls: many seconds of numerical run, far more than the test waits. */
    private static final String LONG_RUN = """
            let N = 256
            let L = 5000
            input x: bf16[N, N]
            weight w: bf16[N, N]
            output y: bf16[N, N]
            kernel layer(a: bf16[N, N], b: bf16[N, N]) -> (c: bf16[N, N]) { c = silu(matmul(a, b)) + a }
            schedule {
              y = layer(x, w)
              for l in 0..L { y = layer(y, w) }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void sigintStopsTheRunAndLeavesNothingHalfDone() throws Exception {
        Path file = Dfk.write(dir, "long.dfk", LONG_RUN);
        Path stderr = dir.resolve("stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // A process started in the background inherits SIGINT ignored (POSIX shells do that to background
        // jobs), and a JVM that finds SIGINT ignored never runs its hooks on it; a terminal's Ctrl-C finds
        // the default. Python (on every machine .ci/run supports) restores it, then becomes the JVM.
        Process child = new ProcessBuilder("python3", "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])",
                java, "-cp", classpath, DfkCli.class.getName(), "run", file.toString(), "--out", dir.resolve("out").toString(),
                "--trace", dir.resolve("run.trace.json").toString(), "--report", dir.resolve("run.html").toString())
                .directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile()).start();
        try {
            // the trace is staged as soon as the timing is done: the numerical run has begun
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (staged().isEmpty()) {
                assertTrue(child.isAlive(), () -> "dfk run ended before it was interrupted: " + read(stderr));
                assertTrue(System.nanoTime() < deadline, "dfk run did not reach its numerical run in two minutes");
                Thread.sleep(50);
            }
            Thread.sleep(300);
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -INT");
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "dfk run did not stop within a minute of SIGINT");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(130, child.exitValue(), () -> "the exit status of a process ended by SIGINT; stderr: " + read(stderr));
        assertTrue(read(stderr).contains("dfk: run interrupted; nothing was written"), () -> read(stderr));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("long.dfk", "stderr.txt"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "nothing written, nothing staged");
        }
    }

    /** The run's staging folders ({@code .NAME.partial-*}). */
    private List<Path> staged() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(".partial-")).toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
