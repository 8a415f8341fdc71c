package io.rdustudio.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;


import io.rdustudio.core.ir.Orchestration;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.emulator.Emulation;
import io.rdustudio.emulator.EmulationException;
import io.rdustudio.emulator.numeric.NumericException;
import io.rdustudio.report.AnalysisHeader;
import io.rdustudio.report.NumericSummary;
import io.rdustudio.report.RunSummary;
import io.rdustudio.report.TimingSummary;
import io.rdustudio.report.ToolInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dfk run FILE}: one {@link Emulation} run, its options from the command line and its result
 * as text or JSON. Every file it writes appears complete or not at all; Ctrl-C stops the run, which
 * deletes what it staged, and the command says so ({@link Interruption}).
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = {"Run a DFK program on the SN40L emulator: in time (streaming pipelines, launches, collectives) and, "
                + "unless --timing-only, on real data (BF16 rounded on every write, FP32 accumulation).",
                "Inputs, weights and state come from --input NAME=FILE.npy or are generated from --seed; "
                        + "outputs are written to --out DIR as NAME.npy."})
final class RunCommand implements Callable<Integer> {

    @Mixin
    private ProgramInput input;

    @Option(names = "--input", paramLabel = "NAME=FILE.npy", description = "a tensor's value from a .npy file (repeatable)")
    private Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = "--out", paramLabel = "DIR", description = "write every output and state tensor as NAME.npy here")
    private Path out;

    @Option(names = "--dump", paramLabel = "DIR", description = "write every intermediate value as KERNEL.CALL.SOCKET.VALUE.npy here")
    private Path dump;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the generated inputs and weights (default 0)")
    private long seed;

    @Option(names = "--memory-budget", paramLabel = "MIB",
            description = "refuse numerical runs whose tensors need more than this many MiB (default: 60%% of the JVM heap)")
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

    @Option(names = "--report", paramLabel = "FILE",
            description = "write a self-contained HTML report: summary, roofline, timeline, placement, memory plan")
    private Path report;

    @Mixin
    private StepOptions stepOptions;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgressBar bar = new ProgressBar(err);
        try (Interruption interruption = Interruption.install()) {
            stepOptions.check(timingOnly, err);
            ProgramInput.Ready ready = input.load(stdout, err);
            Emulation.Result result = emulate(ready.program(), ready.profile(), options(ready, err), interruption,
                    bar::update, bar, err);
            print(ready, result, stdout);
            boolean nonFinite = result.numeric().map(n -> n.firstNonFinite().isPresent()).orElse(false);
            return nonFinite ? DfkCli.EXIT_ERRORS_FOUND : DfkCli.EXIT_OK;
        }
    }

    /**
     * One emulator run for a command: a problem with the options or files is a usage error (exit 2),
     * one with the data exit 1, an interruption says that nothing was written (exit 1; after SIGINT
     * the JVM exits with the signal's status).
     */
    static Emulation.Result emulate(Program program, TargetProfile profile, Emulation.Options options,
            Interruption interruption, Emulation.Progress progress, ProgressBar bar, PrintWriter err) {
        try {
            return Emulation.run(program, profile, options, interruption::requested, progress);
        } catch (CancellationException e) {
            bar.finish();
            throw ProgramInput.fail(err, "run interrupted; nothing was written", DfkCli.EXIT_ERRORS_FOUND);
        } catch (EmulationException e) {
            bar.finish();
            throw ProgramInput.fail(err, e.getMessage(), DfkCli.EXIT_USAGE);
        } catch (NumericException e) {
            bar.finish();
            throw ProgramInput.fail(err, e.getMessage(), DfkCli.EXIT_ERRORS_FOUND);
        } finally {
            bar.finish();
        }
    }

    private Emulation.Options options(ProgramInput.Ready ready, PrintWriter err) {
        Emulation.Options o = Emulation.Options.DEFAULT.withTimingOnly(timingOnly).withUnfused(unfused).withSeed(seed)
                .withInputFiles(inputs);
        Optional<Emulation.Steps> steps = stepOptions.of(ready, err);
        if (steps.isPresent()) {
            o = o.withSteps(steps.get());
        }
        if (orchestration != null) {
            o = o.withOrchestration(orchestration);
        }
        if (input.sockets != null) {
            o = o.withSockets(input.sockets);
        }
        if (budgetMebibytes != null) {
            o = o.withMemoryBudgetBytes(budgetMebibytes * 1024 * 1024);
        }
        if (out != null) {
            o = o.withOutDirectory(out);
        }
        if (dump != null) {
            o = o.withDumpDirectory(dump);
        }
        if (trace != null) {
            o = o.withTraceFile(trace);
        }
        if (report != null) {
            o = o.withReportFile(report);
        }
        ToolInfo tool = ToolInfo.current();
        o = o.withLabels(new Emulation.Labels(input.file, tool.name() + " " + tool.version()));
        return o;
    }

    private void print(ProgramInput.Ready ready, Emulation.Result result, PrintWriter stdout) {
        Long steps = stepOptions.steps;
        Optional<Path> outFolder = Optional.ofNullable(out);
        if (input.format == ProgramInput.Format.JSON) {
            stdout.println(AnalysisHeader.pretty(RunSummary.json(ready.header(), result, seed, outFolder)));
        } else {
            String what = timingOnly ? "timing only" : "seed " + seed;
            stdout.println(ready.header().textLine("run (" + what + (steps == null ? "" : ", " + steps + " steps") + ")"));
            TimingSummary.text(result.timing(), stdout);
            result.steps().ifPresent(m -> TimingSummary.text(m, stdout));
            result.numeric().ifPresent(n -> NumericSummary.text(n, seed, outFolder, stdout));
        }
        stdout.flush();
    }
}
