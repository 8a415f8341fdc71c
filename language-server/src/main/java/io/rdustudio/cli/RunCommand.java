package io.rdustudio.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import com.google.gson.JsonObject;

import io.rdustudio.core.ir.Orchestration;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.TensorDecl;
import io.rdustudio.emulator.numeric.Npy;
import io.rdustudio.emulator.numeric.NumericException;
import io.rdustudio.emulator.numeric.NumericRun;
import io.rdustudio.emulator.numeric.Tensor;
import io.rdustudio.emulator.timing.TimingEmulator;
import io.rdustudio.emulator.timing.TimingOptions;
import io.rdustudio.emulator.timing.TimingResult;
import io.rdustudio.emulator.timing.TraceWriter;
import io.rdustudio.report.AnalysisHeader;
import io.rdustudio.report.RunReport;
import io.rdustudio.report.TimingSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dfk run FILE}: executes the program on the emulator's numerical engine (BF16 storage with
 * round-to-nearest-even on every write, FP32 accumulation). Inputs come from {@code .npy} files or
 * a seed; outputs are written as {@code .npy} only once the whole run has finished, so an
 * interrupted run leaves no half-written file.
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = {"Run a DFK program on the SN40L emulator's numerical engine: every operator on real data, "
                + "BF16 rounded on every write, FP32 accumulation.",
                "Inputs, weights and state come from --input NAME=FILE.npy or are generated from --seed; "
                        + "outputs are written to --out DIR as NAME.npy."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    private ProgramInput input;

    @Option(names = "--input", paramLabel = "NAME=FILE.npy", description = "a tensor's value from a .npy file (repeatable)")
    private Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = "--out", paramLabel = "DIR", description = "write every output and state tensor as NAME.npy here")
    private Path out;

    @Option(names = "--dump", paramLabel = "DIR", description = "write every intermediate value as KERNEL.CALL.VALUE.npy here")
    private Path dump;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the generated inputs and weights (default 0)")
    private long seed;

    @Option(names = "--memory-budget", paramLabel = "MIB",
            description = "refuse runs whose tensors need more than this many MiB (default: 60% of the JVM heap)")
    private Long budgetMebibytes;

    @Option(names = "--timing-only", description = "time the run without executing it on data (any size)")
    private boolean timingOnly;

    @Option(names = "--orchestration", paramLabel = "MODE",
            description = "software or hardware launch orchestration (default: the schedule's)")
    private Orchestration orchestration;

    @Option(names = "--unfused", description = "time every operator as its own kernel (the paper's unfused baseline)")
    private boolean unfused;

    @Option(names = "--trace", paramLabel = "FILE", description = "write the timeline as Chrome trace-event JSON (opens in Perfetto)")
    private Path trace;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgramInput.Ready ready = input.load(stdout, err);
        Program program = ready.program();
        Map<String, Tensor> given = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : inputs.entrySet()) {
            Optional<TensorDecl> decl = program.tensor(e.getKey());
            if (decl.isEmpty()) {
                throw ProgramInput.fail(err, "--input " + e.getKey() + ": " + input.file + " declares no tensor named "
                        + e.getKey(), DfkCli.EXIT_USAGE);
            }
            try {
                given.put(e.getKey(), Npy.read(e.getValue(), e.getKey(), decl.get().type()));
            } catch (NumericException ex) {
                throw ProgramInput.fail(err, ex.getMessage(), DfkCli.EXIT_USAGE);
            }
        }
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread hook = new Thread(() -> interrupted.set(true), "dfk-run-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        List<Path> dumped = new ArrayList<>();
        NumericRun.Result result = null;
        TimingResult timing;
        Path dumpStaging = null;
        try {
            TimingOptions options = TimingOptions.DEFAULT.withUnfused(unfused)
                    .withCancellation(interrupted::get, fraction -> { });
            if (orchestration != null) {
                options = options.withOrchestration(orchestration);
            }
            timing = TimingEmulator.run(program, ready.profile(), options);
            if (!timing.complete()) {
                throw new java.util.concurrent.CancellationException();
            }
            if (trace != null) {
                Path staging = staging(trace);
                try (var writer = Files.newBufferedWriter(staging.resolve("trace.json"))) {
                    TraceWriter.write(timing, writer);
                }
                Files.move(staging.resolve("trace.json"), trace.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                Files.delete(staging);
            }
            if (timingOnly) {
                report(ready, null, timing, stdout);
                return DfkCli.EXIT_OK;
            }
            NumericRun run = new NumericRun(program).inputs(given).seed(seed).cancelWhen(interrupted::get)
                    .onProgress(new ProgressBar(err)::update);
            if (budgetMebibytes != null) {
                run.memoryBudgetBytes(budgetMebibytes * 1024 * 1024);
            }
            if (dump != null) {
                dumpStaging = staging(dump);
                Path into = dumpStaging;
                run.onIntermediate(i -> {
                    Path file = into.resolve(safe(i.kernel() + "." + i.call() + "." + i.socket() + "." + i.value()) + ".npy");
                    Npy.write(i.tensor(), file);
                    dumped.add(file);
                });
            }
            result = run.execute();
            if (dumpStaging != null) {
                publish(dumpStaging, dump);
            }
            if (out != null) {
                Path staging = staging(out);
                for (Map.Entry<String, Tensor> e : RunReport.outputsAndStates(result).entrySet()) {
                    Npy.write(e.getValue(), staging.resolve(safe(e.getKey()) + ".npy"));
                }
                publish(staging, out);
            }
        } catch (NumericException e) {
            err.println("dfk: " + e.getMessage());
            err.flush();
            return DfkCli.EXIT_ERRORS_FOUND;
        } catch (java.util.concurrent.CancellationException e) {
            err.println("dfk: run interrupted; nothing was written");
            err.flush();
            return DfkCli.EXIT_ERRORS_FOUND;
        } catch (IOException e) {
            err.println("dfk: cannot write results: " + e.getMessage());
            err.flush();
            return DfkCli.EXIT_ERRORS_FOUND;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping: the hook has run
            }
        }
        report(ready, result, timing, stdout);
        return result.firstNonFinite().isPresent() ? DfkCli.EXIT_ERRORS_FOUND : DfkCli.EXIT_OK;
    }

    private void report(ProgramInput.Ready ready, NumericRun.Result result, TimingResult timing, PrintWriter stdout) {
        if (input.format == ProgramInput.Format.JSON) {
            stdout.println(AnalysisHeader.pretty(RunReport.json(ready.header(), timing, result, seed,
                    out == null ? null : name -> out.resolve(safe(name) + ".npy"))));
        } else {
            stdout.println(ready.header().textLine(result == null ? "run (timing only)" : "run (seed " + seed + ")"));
            TimingSummary.text(timing, stdout);
            if (result != null) {
                numericText(result, stdout);
            }
        }
        stdout.flush();
    }

    private void numericText(NumericRun.Result result, PrintWriter stdout) {
        stdout.println("numerical run: " + result.kernelCalls() + " kernel calls, seed " + seed);
        for (Map.Entry<String, Tensor> e : RunReport.outputsAndStates(result).entrySet()) {
            JsonObject s = RunReport.stats(e.getValue());
            stdout.printf("  %-16s %-24s min %.6g  max %.6g  mean %.6g%s%n", e.getKey(), e.getValue().type(),
                    s.get("min").getAsDouble(), s.get("max").getAsDouble(), s.get("mean").getAsDouble(),
                    out == null ? "" : "  -> " + out.resolve(safe(e.getKey()) + ".npy"));
        }
        stdout.println("first non-finite value: " + result.firstNonFinite().map(nf -> nf.message()).orElse("none"));
    }

    private static String safe(String name) {
        return RunReport.safeFileName(name);
    }

    private static Path staging(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
    }

    /** Moves every finished file into place, then removes the staging folder. */
    private static void publish(Path staging, Path target) throws IOException {
        Files.createDirectories(target);
        try (var files = Files.list(staging)) {
            for (Path f : files.toList()) {
                Files.move(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.delete(staging);
    }

    /** A progress bar on a terminal; nothing when stderr is not one. */
    private static final class ProgressBar {
        private final PrintWriter err;
        private final boolean terminal = System.console() != null;
        private long lastPrinted = -1;

        ProgressBar(PrintWriter err) {
            this.err = err;
        }

        void update(long done, long total) {
            if (!terminal || total <= 0) {
                return;
            }
            long percent = 100 * done / total;
            if (percent == lastPrinted) {
                return;
            }
            lastPrinted = percent;
            int width = 30;
            int filled = (int) (width * done / total);
            err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + " kernel calls");
            if (done == total) {
                err.println();
            }
            err.flush();
        }
    }
}
