package io.rdustudio.emulator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.Orchestration;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.TensorDecl;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.emulator.numeric.Npy;
import io.rdustudio.emulator.numeric.NumericException;
import io.rdustudio.emulator.numeric.NumericRun;
import io.rdustudio.emulator.numeric.Tensor;
import io.rdustudio.emulator.report.HtmlReport;
import io.rdustudio.emulator.report.RunReport;
import io.rdustudio.emulator.steps.DecodeSteps;
import io.rdustudio.emulator.timing.TimingEmulator;
import io.rdustudio.emulator.timing.TimingOptions;
import io.rdustudio.emulator.timing.TimingResult;
import io.rdustudio.emulator.timing.TraceWriter;

/**
 * One emulator run of a program: the execution contract that every front end uses (the
 * {@code dfk run} command, the language server's {@code dfk/run} request). Start reading here for
 * the emulator; {@code docs/emulator.md} describes the models behind it.
 *
 * <p><b>Lifecycle of {@link #run}.</b>
 * <ol>
 * <li>The program: {@link Options#sockets()} replaces the schedule's socket count (refused below the
 *     widest tensor-parallel kernel); input files are matched to the program's tensors.</li>
 * <li>Timing (phase {@value #PHASE_TIMING}): {@link TimingEmulator} on the profile. Every run is timed,
 *     a numerical one too. A multi-step run ({@link Options#steps()}, timing only) is timed by
 *     {@link DecodeSteps}: the first step in full, the later ones from a fitted step model.</li>
 * <li>Numbers (phase {@value #PHASE_NUMERIC}), unless {@link Options#timingOnly()}: {@link NumericRun}
 *     with the inputs read from {@code .npy} files, the seed and the memory budget; {@code --dump}'s
 *     intermediates are written as they are computed, into a staging folder.</li>
 * <li>The report (phase {@value #PHASE_REPORT}), when asked for: {@link RunReport#of} places the
 *     busiest kernels and plans the memory; {@link HtmlReport} renders the page.</li>
 * <li>Outputs (phase {@value #PHASE_WRITING}): the trace (written as soon as the timing is done), the
 *     intermediates, the output tensors and the report go into staging folders next to their targets
 *     ({@code .NAME.partial-*}); once everything is complete they are moved into place. The moves
 *     are the commit point: from the first one on, the run no longer looks at cancellation and
 *     completes.</li>
 * </ol>
 *
 * <p><b>Cancellation.</b> {@code cancelled} is polled before every kernel call of both engines,
 * between the operations of the numerical engine, between the files written and before the
 * moves. A cancelled run deletes its staging folders and throws {@link CancellationException}:
 * nothing it would have written exists, and files that were there before are untouched.
 *
 * <p><b>Errors a user can cause</b> end as an {@link EmulationException} (options, sockets, files)
 * or a {@link NumericException} (data, memory budget) whose message names the place and the fix;
 * the staging folders are deleted first. Nothing else is thrown for a program that lowered.
 *
 * <p><b>Progress.</b> {@link Progress#update} hears the phase and the fraction of the whole run
 * done, from 0 to 1, never decreasing. The phases share the range by weight: timing 1, numerical
 * run 8, report 1, writing 0.5 (a numerical run takes far longer than a timed one).
 *
 * <p>Deterministic: the same program, profile and options give the same result and byte-identical
 * files. Not thread-safe to share one run; separate runs may go on in parallel.
 */
public final class Emulation {

    public static final String PHASE_TIMING = "timing";
    public static final String PHASE_NUMERIC = "numerical run";
    public static final String PHASE_REPORT = "report";
    public static final String PHASE_WRITING = "writing";

    /** What a run reports while it goes on. */
    @FunctionalInterface
    public interface Progress {

        Progress NONE = (phase, fraction) -> { };

        /**
         * @param phase    what runs now: {@value #PHASE_TIMING}, {@value #PHASE_NUMERIC}, {@value #PHASE_REPORT}
         *                 or {@value #PHASE_WRITING}
         * @param fraction of the whole run done, 0 to 1, never decreasing
         */
        void update(String phase, double fraction);
    }

    /**
     * A multi-step run (timing only, {@link DecodeSteps}): {@code count} steps back to back, each a run
     * of the schedule; with {@code varying}, step {@code i} runs the program with its constant set to
     * {@code firstValue + i}.
     *
     * @param everyStep emulate every step instead of fitting a {@link io.rdustudio.emulator.steps.StepModel}
     */
    public record Steps(long count, Optional<Varying> varying, boolean everyStep) {

        /** {@code count} runs of the same program. */
        public static Steps repeated(long count) {
            return new Steps(count, Optional.empty(), false);
        }

        /** {@code count} steps, {@code constant} growing by one per step from {@code firstValue}. */
        public static Steps varying(long count, String constant, long firstValue, LongFunction<Program> programAt) {
            return new Steps(count, Optional.of(new Varying(constant, firstValue, programAt)), false);
        }

        public Steps withEveryStep(boolean every) {
            return new Steps(count, varying, every);
        }
    }

    /**
     * The constant that grows by one per step.
     *
     * @param programAt the program with the constant set to a value (the front end lowers it again);
     *                  may throw an {@link EmulationException} for a value the program does not allow
     */
    public record Varying(String constant, long firstValue, LongFunction<Program> programAt) {
    }

    /**
     * How the report names what it shows.
     *
     * @param file the program's file as the user named it; empty for the program's own URI
     * @param tool the tool and its version ({@code dfk 0.1.0})
     */
    public record Labels(String file, String tool) {
        public static final Labels DEFAULT = new Labels("", "RDU Studio emulator");
    }

    /**
     * How to run. Start from {@link #DEFAULT} and change what you need with the {@code with} methods.
     *
     * @param timingOnly        time the program without executing it on data (any size); default false
     * @param orchestration     replaces the schedule's launch orchestration; default the schedule's
     * @param unfused           every operator its own kernel (the paper's unfused baseline); timing only, the
     *                          numbers do not depend on it; default false
     * @param sockets           replaces the schedule's socket count; default the schedule's
     * @param inputFiles        {@code .npy} files for input, weight and state tensors by name; the others are
     *                          generated from the seed; default none
     * @param seed              seed of the generated data; default 0
     * @param memoryBudgetBytes the most a numerical run may hold; default 60% of the JVM's maximum heap
     * @param steps             a multi-step run instead of one (timing only); default one run
     * @param outDirectory      write every output and state tensor there as {@code NAME.npy}; default nowhere
     * @param dumpDirectory     write every intermediate value there as {@code KERNEL.CALL.SOCKET.VALUE.npy}
     * @param traceFile         write the timeline there as Chrome trace-event JSON (of the first step)
     * @param traceInResult     also return the trace's text in {@link Result#trace()} (for a client that
     *                          wants the content rather than a file)
     * @param reportFile        write the self-contained HTML report there ({@link HtmlReport})
     * @param reportInResult    also return the report's data and HTML in the result
     * @param labels            how the report names the file and the tool that ran it
     */
    public record Options(boolean timingOnly, Optional<Orchestration> orchestration, boolean unfused,
            OptionalInt sockets, Map<String, Path> inputFiles, long seed, OptionalLong memoryBudgetBytes,
            Optional<Steps> steps, Optional<Path> outDirectory, Optional<Path> dumpDirectory, Optional<Path> traceFile,
            boolean traceInResult, Optional<Path> reportFile, boolean reportInResult, Labels labels) {

        public static final Options DEFAULT = new Options(false, Optional.empty(), false, OptionalInt.empty(), Map.of(),
                0, OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false,
                Optional.empty(), false, Labels.DEFAULT);

        /** Whether the report's data is computed: for a file, or for the result. */
        boolean reportWanted() {
            return reportFile.isPresent() || reportInResult;
        }

        public Options {
            inputFiles = java.util.Collections.unmodifiableMap(new TreeMap<>(inputFiles));
        }

        public Options withTimingOnly(boolean only) {
            return new Options(only, orchestration, unfused, sockets, inputFiles, seed, memoryBudgetBytes, steps, outDirectory, dumpDirectory, traceFile, traceInResult, reportFile, reportInResult, labels);
        }

        public Options withOrchestration(Orchestration o) {
            return new Options(timingOnly, Optional.of(o), unfused, sockets, inputFiles, seed, memoryBudgetBytes, steps, outDirectory, dumpDirectory, traceFile, traceInResult, reportFile, reportInResult, labels);
        }

        public Options withUnfused(boolean u) {
            return new Options(timingOnly, orchestration, u, sockets, inputFiles, seed, memoryBudgetBytes, steps, outDirectory, dumpDirectory, traceFile, traceInResult, reportFile, reportInResult, labels);
        }

        public Options withSockets(int n) {
            return new Options(timingOnly, orchestration, unfused, OptionalInt.of(n), inputFiles, seed, memoryBudgetBytes, steps, outDirectory, dumpDirectory, traceFile, traceInResult, reportFile, reportInResult, labels);
        }

        public Options withInputFiles(Map<String, Path> files) {
            return new Options(timingOnly, orchestration, unfused, sockets, files, seed, memoryBudgetBytes, steps, outDirectory, dumpDirectory, traceFile, traceInResult, reportFile, reportInResult, labels);
        }

        public Options withSeed(long s) {
            return new Options(timingOnly, orchestration, unfused, sockets, inputFiles, s, memoryBudgetBytes, steps, outDirectory, dumpDirectory, traceFile, traceInResult, reportFile, reportInResult, labels);
        }

        public Options withMemoryBudgetBytes(long bytes) {
            return new Options(timingOnly, orchestration, unfused, sockets, inputFiles, seed, OptionalLong.of(bytes), steps, outDirectory, dumpDirectory, traceFile, traceInResult, reportFile, reportInResult, labels);
        }

        public Options withSteps(Steps s) {
            return new Options(timingOnly, orchestration, unfused, sockets, inputFiles, seed, memoryBudgetBytes, Optional.of(s), outDirectory, dumpDirectory, traceFile, traceInResult, reportFile, reportInResult, labels);
        }

        public Options withOutDirectory(Path dir) {
            return new Options(timingOnly, orchestration, unfused, sockets, inputFiles, seed, memoryBudgetBytes, steps, Optional.of(dir), dumpDirectory, traceFile, traceInResult, reportFile, reportInResult, labels);
        }

        public Options withDumpDirectory(Path dir) {
            return new Options(timingOnly, orchestration, unfused, sockets, inputFiles, seed, memoryBudgetBytes, steps, outDirectory, Optional.of(dir), traceFile, traceInResult, reportFile, reportInResult, labels);
        }

        public Options withTraceFile(Path file) {
            return new Options(timingOnly, orchestration, unfused, sockets, inputFiles, seed, memoryBudgetBytes, steps, outDirectory, dumpDirectory, Optional.of(file), traceInResult, reportFile, reportInResult, labels);
        }

        public Options withTraceInResult(boolean wanted) {
            return new Options(timingOnly, orchestration, unfused, sockets, inputFiles, seed, memoryBudgetBytes, steps, outDirectory, dumpDirectory, traceFile, wanted, reportFile, reportInResult, labels);
        }

        public Options withReportFile(Path file) {
            return new Options(timingOnly, orchestration, unfused, sockets, inputFiles, seed, memoryBudgetBytes, steps, outDirectory, dumpDirectory, traceFile, traceInResult, Optional.of(file), reportInResult, labels);
        }

        public Options withReportInResult(boolean wanted) {
            return new Options(timingOnly, orchestration, unfused, sockets, inputFiles, seed, memoryBudgetBytes, steps, outDirectory, dumpDirectory, traceFile, traceInResult, reportFile, wanted, labels);
        }

        public Options withLabels(Labels l) {
            return new Options(timingOnly, orchestration, unfused, sockets, inputFiles, seed, memoryBudgetBytes, steps, outDirectory, dumpDirectory, traceFile, traceInResult, reportFile, reportInResult, l);
        }
    }

    /**
     * What a finished run returns: plain data.
     *
     * @param program the program as run (with {@link Options#sockets()} applied; of the first step)
     * @param timing  the timed run (of the first step)
     * @param steps   the multi-step run, when {@link Options#steps()}
     * @param numeric the numerical run's outputs and state, unless timing only
     * @param trace   the Chrome trace-event JSON, when {@link Options#traceInResult()}
     * @param report  the report's data, and its HTML, when {@link Options#reportInResult()}
     * @param written every file the run wrote: the trace, the intermediates, the outputs, the report
     */
    public record Result(Program program, TimingResult timing, Optional<DecodeSteps.Result> steps,
            Optional<NumericRun.Result> numeric, Optional<String> trace, Optional<Report> report, List<Path> written) {

        public Result {
            written = List.copyOf(written);
        }
    }

    /** The report of a run: its data and the HTML page rendered from it. */
    public record Report(RunReport data, String html) {
    }

    private Emulation() {
    }

    /**
     * Runs {@code program} on {@code profile}; see the class comment for the lifecycle.
     *
     * @throws CancellationException when {@code cancelled} answered true before the outputs were moved into place
     * @throws EmulationException    for options, sockets or files a user got wrong
     * @throws NumericException      for data a user got wrong, or a program too large for the memory budget
     */
    public static Result run(Program program, TargetProfile profile, Options options, BooleanSupplier cancelled,
            Progress progress) {
        Staging staging = new Staging();
        try {
            return new Run(program, profile, options, cancelled, progress, staging).run();
        } catch (RuntimeException | Error e) {
            staging.discard();
            throw e;
        }
    }

    /** The file name a tensor or intermediate is written under: names may hold {@code <}, {@code =} (kernel instances). */
    public static String npyFileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_") + ".npy";
    }

    /** The program with its schedule on {@code sockets} sockets; refused below its widest tensor-parallel kernel. */
    static Program onSockets(Program program, int sockets) {
        if (sockets < 1) {
            throw new EmulationException("a run needs at least one socket, not " + sockets);
        }
        if (program.schedule().isEmpty()) {
            return program;
        }
        Kernel widest = null;
        for (Kernel k : program.kernels().values()) {
            if (widest == null || k.hints().tensorParallel() > widest.hints().tensorParallel()) {
                widest = k;
            }
        }
        if (widest != null && sockets < widest.hints().tensorParallel()) {
            throw new EmulationException(sockets + " socket" + (sockets == 1 ? " is" : "s are") + " fewer than the "
                    + widest.hints().tensorParallel() + " that kernel " + widest.instanceName() + " is split over (tp = "
                    + widest.hints().tensorParallel() + " at " + widest.location() + "); give at least "
                    + widest.hints().tensorParallel());
        }
        return program.withSchedule(program.schedule().get().withSockets(sockets));
    }

    /** The phases a run goes through and the share of the progress range each takes. */
    private static final class Phases {
        private final Map<String, double[]> spans = new LinkedHashMap<>(); // phase -> {start, width}
        private final Progress progress;
        private double reported;

        Phases(Map<String, Double> weights, Progress progress) {
            this.progress = progress;
            double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
            double start = 0;
            for (Map.Entry<String, Double> e : weights.entrySet()) {
                spans.put(e.getKey(), new double[] { start / total, e.getValue() / total });
                start += e.getValue();
            }
        }

        void update(String phase, double phaseFraction) {
            double[] span = spans.get(phase);
            double f = Math.min(1, span[0] + span[1] * Math.max(0, Math.min(1, phaseFraction)));
            if (f >= reported) {
                reported = f;
                progress.update(phase, f);
            }
        }
    }

    private static final class Run {
        private final TargetProfile profile;
        private final Options options;
        private final BooleanSupplier cancelled;
        private final Staging staging;
        private final Phases phases;
        private Program program;

        Run(Program program, TargetProfile profile, Options options, BooleanSupplier cancelled, Progress progress,
                Staging staging) {
            this.program = program;
            this.profile = profile;
            this.options = options;
            this.cancelled = cancelled;
            this.staging = staging;
            Map<String, Double> weights = new LinkedHashMap<>();
            weights.put(PHASE_TIMING, 1.0);
            if (!options.timingOnly()) {
                weights.put(PHASE_NUMERIC, 8.0);
            }
            if (options.reportWanted()) {
                weights.put(PHASE_REPORT, 1.0);
            }
            weights.put(PHASE_WRITING, 0.5);
            this.phases = new Phases(weights, progress);
        }

        Result run() {
            Optional<Steps> steps = options.steps();
            if (steps.isPresent() && !options.timingOnly()) {
                throw new EmulationException("a multi-step run is timed only (numerical runs execute one step);"
                        + " run it timing only");
            }
            if (steps.isPresent() && steps.get().count() < 1) {
                throw new EmulationException("a multi-step run needs at least one step, not " + steps.get().count());
            }
            Optional<Varying> varying = steps.flatMap(Steps::varying);
            if (varying.isPresent()) {
                program = varying.get().programAt().apply(varying.get().firstValue());
            }
            program = onSockets(program);
            Map<String, Tensor> inputs = readInputs();
            phases.update(PHASE_TIMING, 0);
            Optional<DecodeSteps.Result> multi = steps.map(this::timeSteps);
            TimingResult timing = multi.isPresent() ? multi.get().first() : time();
            Optional<String> traceText = options.traceInResult() ? Optional.of(trace(timing)) : Optional.empty();
            if (options.traceFile().isPresent()) {
                Path target = options.traceFile().get();
                write(staging.file(target), target, w -> TraceWriter.write(timing, w));
            }
            Optional<NumericRun.Result> numeric = Optional.empty();
            if (!options.timingOnly()) {
                numeric = Optional.of(numbers(inputs));
            }
            Optional<Report> report = Optional.empty();
            if (options.reportWanted()) {
                phases.update(PHASE_REPORT, 0);
                String file = options.labels().file().isEmpty() ? program.uri() : options.labels().file();
                RunReport data = RunReport.of(program, file, options.labels().tool(), profile, timing, multi, cancelled);
                report = Optional.of(new Report(data, HtmlReport.render(data)));
                phases.update(PHASE_REPORT, 1);
            }
            phases.update(PHASE_WRITING, 0);
            if (numeric.isPresent() && options.outDirectory().isPresent()) {
                writeOutputs(numeric.get(), staging.directory(options.outDirectory().get()));
            }
            if (options.reportFile().isPresent()) {
                Path target = options.reportFile().get();
                String html = report.get().html();
                write(staging.file(target), target, w -> w.write(html));
            }
            checkCancelled();
            List<Path> written = staging.publish();
            phases.update(PHASE_WRITING, 1);
            return new Result(program, timing, multi, numeric, traceText,
                    options.reportInResult() ? report : Optional.empty(), written);
        }

        private Program onSockets(Program p) {
            return options.sockets().isPresent() ? Emulation.onSockets(p, options.sockets().getAsInt()) : p;
        }

        private DecodeSteps.Result timeSteps(Steps steps) {
            Program first = program;
            LongFunction<Program> programAt = steps.varying()
                    .<LongFunction<Program>>map(v -> value -> onSockets(v.programAt().apply(value)))
                    .orElse(value -> first);
            return DecodeSteps.run(programAt, steps.varying().map(Varying::constant),
                    steps.varying().map(Varying::firstValue).orElse(0L), steps.count(), profile, timingOptions(),
                    steps.everyStep() ? DecodeSteps.Mode.EVERY_STEP : DecodeSteps.Mode.FITTED);
        }

        private TimingOptions timingOptions() {
            TimingOptions timingOptions = TimingOptions.DEFAULT.withUnfused(options.unfused())
                    .withCancellation(cancelled, f -> phases.update(PHASE_TIMING, f));
            if (options.orchestration().isPresent()) {
                timingOptions = timingOptions.withOrchestration(options.orchestration().get());
            }
            return timingOptions;
        }

        private TimingResult time() {
            TimingResult timing = TimingEmulator.run(program, profile, timingOptions());
            if (!timing.complete()) {
                throw new CancellationException("the run was cancelled while timing");
            }
            return timing;
        }

        private NumericRun.Result numbers(Map<String, Tensor> inputs) {
            NumericRun run = new NumericRun(program).inputs(inputs).seed(options.seed()).cancelWhen(cancelled)
                    .onProgress((done, total) -> phases.update(PHASE_NUMERIC, total == 0 ? 1 : (double) done / total));
            options.memoryBudgetBytes().ifPresent(run::memoryBudgetBytes);
            if (options.dumpDirectory().isPresent()) {
                Path into = staging.directory(options.dumpDirectory().get());
                run.onIntermediate(i -> Npy.write(i.tensor(),
                        into.resolve(npyFileName(i.kernel() + "." + i.call() + "." + i.socket() + "." + i.value()))));
            }
            return run.execute();
        }

        /**
         * The input files, checked against the program's tensors by name, and read (checked against
         * the declared shape) for a numerical run; before anything else runs, so that a wrong file
         * fails fast. A file that cannot be read is an {@link EmulationException}: it is an argument.
         */
        private Map<String, Tensor> readInputs() {
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            for (Map.Entry<String, Path> file : options.inputFiles().entrySet()) {
                String name = file.getKey();
                Optional<TensorDecl> decl = program.tensor(name);
                if (decl.isEmpty() || !decl.get().role().definedOnEntry()) {
                    String given = program.tensors().stream().filter(t -> t.role().definedOnEntry()).map(TensorDecl::name)
                            .collect(Collectors.joining(", "));
                    throw new EmulationException((decl.isEmpty() ? program.name() + " declares no tensor named " + name
                            : "tensor " + name + " is " + decl.get().role().keyword() + ", which the program computes")
                            + "; the tensors a run can be given are: " + (given.isEmpty() ? "none" : given));
                }
                if (!options.timingOnly()) {
                    try {
                        inputs.put(name, Npy.read(file.getValue(), name, decl.get().type()));
                    } catch (NumericException e) {
                        throw new EmulationException(e.getMessage());
                    }
                }
            }
            return inputs;
        }

        private void writeOutputs(NumericRun.Result numeric, Path folder) {
            Map<String, Tensor> all = new LinkedHashMap<>(numeric.outputs());
            all.putAll(numeric.states());
            for (Map.Entry<String, Tensor> e : all.entrySet()) {
                checkCancelled();
                Npy.write(e.getValue(), folder.resolve(npyFileName(e.getKey())));
            }
        }

        private void checkCancelled() {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("the run was cancelled before its results were written");
            }
        }

        private static String trace(TimingResult timing) {
            StringWriter w = new StringWriter();
            try {
                TraceWriter.write(timing, w);
            } catch (IOException e) {
                throw new IllegalStateException("a StringWriter does not fail", e);
            }
            return w.toString();
        }

        /** Something that writes text and may fail. */
        @FunctionalInterface
        private interface Content {
            void writeTo(Writer w) throws IOException;
        }

        /** Writes {@code content} to the staged {@code file}; errors name the {@code target} the user gave. */
        private static void write(Path file, Path target, Content content) {
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                content.writeTo(w);
            } catch (IOException e) {
                throw new EmulationException("cannot write " + target + ": " + Staging.reason(e));
            }
        }
    }
}
