package io.rdustudio.dfk.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonParser;

import io.rdustudio.core.ir.Orchestration;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.dfk.tests.DfkTester;
import io.rdustudio.emulator.Emulation;
import io.rdustudio.emulator.EmulationException;
import io.rdustudio.emulator.numeric.Npy;

/** {@link Emulation}: one run through both engines, its outputs staged and published, cancellation, progress. */
class EmulationTest {

    /** Four residual layers, tensor-parallel over two sockets. */
    private static final String LAYERS = """
            let D = 64
            let L = 4
            input x: bf16[8, D]
            weight w: bf16[L, D, D]
            output y: bf16[8, D]
            kernel layer(a: bf16[8, D], b: bf16[D, D]) -> (c: bf16[8, D]) with tp = 2 {
              c = silu(matmul(a, b)) + a
            }
            schedule with sockets = 2 {
              y = layer(x, w[0])
              for l in 1..L { y = layer(y, w[l]) }
            }
            """;

    private static final TargetProfile NODE = TargetProfiles.load("sn40l-node");

    @TempDir
    Path dir;

    private static Program program() {
        return DfkTester.of(LAYERS).lowered().program();
    }

    private static Emulation.Result run(Emulation.Options options) {
        return Emulation.run(program(), NODE, options, () -> false, Emulation.Progress.NONE);
    }

    @Test
    void aRunTimesAndComputesAndWritesEveryOutputOnlyAtTheEnd() throws IOException {
        Path out = dir.resolve("out");
        Path trace = dir.resolve("run.trace.json");
        Path dump = dir.resolve("dump");
        Emulation.Result r = run(Emulation.Options.DEFAULT.withOutDirectory(out).withTraceFile(trace).withDumpDirectory(dump)
                .withSeed(3));

        assertTrue(r.timing().totalSeconds() > 0 && r.timing().complete());
        assertEquals(4, r.numeric().orElseThrow().kernelCalls());
        assertEquals(List.of(8L, 64L), Npy.read(out.resolve("y.npy")).shape().dims());
        assertTrue(JsonParser.parseString(Files.readString(trace)).getAsJsonObject().has("traceEvents"));
        assertTrue(Files.exists(dump.resolve("layer.0.1.c.npy")), "socket 1's result of the first call");
        assertEquals(r.written().get(0), trace.toAbsolutePath(), "the trace first");
        assertTrue(r.written().contains(out.resolve("y.npy").toAbsolutePath()));
        assertEquals(List.of(), leftovers(), "no staging folder remains");
    }

    @Test
    void timingOnlyWritesTheTraceAndNoTensors() throws IOException {
        Path out = dir.resolve("out");
        Emulation.Result r = run(Emulation.Options.DEFAULT.withTimingOnly(true).withOutDirectory(out).withTraceInResult(true));
        assertTrue(r.numeric().isEmpty());
        assertFalse(Files.exists(out), "a timed run has no tensors to write");
        assertTrue(r.trace().orElseThrow().contains("\"traceEvents\""));
        assertEquals(List.of(), r.written());
    }

    @Test
    void optionsReachTheEngines() {
        Emulation.Result software = run(Emulation.Options.DEFAULT.withTimingOnly(true)
                .withOrchestration(Orchestration.SOFTWARE));
        Emulation.Result hardware = run(Emulation.Options.DEFAULT.withTimingOnly(true)
                .withOrchestration(Orchestration.HARDWARE));
        Emulation.Result unfused = run(Emulation.Options.DEFAULT.withTimingOnly(true).withUnfused(true));
        Emulation.Result wide = run(Emulation.Options.DEFAULT.withTimingOnly(true).withSockets(8));
        assertEquals(Orchestration.SOFTWARE, software.timing().orchestration());
        assertEquals(Orchestration.HARDWARE, hardware.timing().orchestration());
        assertTrue(hardware.timing().launches() < software.timing().launches(), "kernel looping under hardware orchestration");
        assertTrue(unfused.timing().unfused() && unfused.timing().launches() > software.timing().launches());
        assertEquals(8, wide.timing().sockets());
        assertEquals(8, wide.program().schedule().orElseThrow().sockets());
    }

    @Test
    void fewerSocketsThanATensorParallelKernelNeedsIsRefusedWithTheFix() {
        EmulationException e = assertThrows(EmulationException.class,
                () -> run(Emulation.Options.DEFAULT.withTimingOnly(true).withSockets(1)));
        assertTrue(e.getMessage().contains("kernel layer is split over (tp = 2") && e.getMessage().contains("at least 2"),
                e.getMessage());
    }

    @Test
    void anInputTheProgramDoesNotHaveIsRefusedWithTheNamesItHas() {
        EmulationException e = assertThrows(EmulationException.class,
                () -> run(Emulation.Options.DEFAULT.withInputFiles(java.util.Map.of("z", dir.resolve("z.npy")))));
        assertTrue(e.getMessage().contains("no tensor named z") && e.getMessage().contains("are: x, w"), e.getMessage());
        EmulationException computed = assertThrows(EmulationException.class,
                () -> run(Emulation.Options.DEFAULT.withInputFiles(java.util.Map.of("y", dir.resolve("y.npy")))));
        assertTrue(computed.getMessage().contains("y is output, which the program computes"), computed.getMessage());
    }

    /** Cancelled at every point a run polls: nothing written, nothing staged, and a file already there untouched. */
    @Test
    void aCancelledRunLeavesNothingBehind() throws IOException {
        Path out = dir.resolve("out");
        Path trace = dir.resolve("run.trace.json");
        Files.writeString(trace, "before", StandardCharsets.UTF_8);
        int polls = countPolls(Emulation.Options.DEFAULT.withOutDirectory(dir.resolve("probe")).withDumpDirectory(
                dir.resolve("probe-dump")).withTraceFile(dir.resolve("probe.json")));
        deleteAll(dir.resolve("probe"));
        deleteAll(dir.resolve("probe-dump"));
        Files.delete(dir.resolve("probe.json"));
        assertTrue(polls > 8, "polled " + polls + " times");
        for (int stopAt = 1; stopAt <= polls; stopAt++) {
            AtomicInteger asked = new AtomicInteger();
            int at = stopAt;
            assertThrows(CancellationException.class, () -> Emulation.run(program(), NODE,
                    Emulation.Options.DEFAULT.withOutDirectory(out).withTraceFile(trace).withDumpDirectory(dir.resolve("dump")),
                    () -> asked.incrementAndGet() >= at, Emulation.Progress.NONE), "stop at poll " + at);
            assertFalse(Files.exists(out), "stop at poll " + at);
            assertFalse(Files.exists(dir.resolve("dump")), "stop at poll " + at);
            assertEquals("before", Files.readString(trace), "stop at poll " + at);
            assertEquals(List.of(), leftovers(), "stop at poll " + at);
        }
    }

    @Test
    void progressRisesFromZeroToOneThroughThePhasesInOrder() {
        List<String> phases = new ArrayList<>();
        List<Double> fractions = new ArrayList<>();
        Emulation.run(program(), NODE, Emulation.Options.DEFAULT, () -> false, (phase, fraction) -> {
            if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase)) {
                phases.add(phase);
            }
            fractions.add(fraction);
        });
        assertEquals(List.of(Emulation.PHASE_TIMING, Emulation.PHASE_NUMERIC, Emulation.PHASE_WRITING), phases);
        assertEquals(0.0, fractions.get(0));
        assertEquals(1.0, fractions.get(fractions.size() - 1));
        for (int i = 1; i < fractions.size(); i++) {
            assertTrue(fractions.get(i) >= fractions.get(i - 1), fractions.toString());
        }
    }

    @Test
    void sameProgramSameResultAndSameFiles() throws IOException {
        Emulation.Result a = run(Emulation.Options.DEFAULT.withTraceFile(dir.resolve("a.json")).withSeed(5));
        Emulation.Result b = run(Emulation.Options.DEFAULT.withTraceFile(dir.resolve("b.json")).withSeed(5));
        assertEquals(a.timing(), b.timing());
        assertEquals(Files.readString(dir.resolve("a.json")), Files.readString(dir.resolve("b.json")));
    }

    private int countPolls(Emulation.Options options) {
        AtomicInteger polls = new AtomicInteger();
        Emulation.run(program(), NODE, options, () -> {
            polls.incrementAndGet();
            return false;
        }, Emulation.Progress.NONE);
        return polls.get();
    }

    /** Files and folders the runs left in {@link #dir} that start with a dot: staging. */
    private List<String> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    private static void deleteAll(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
