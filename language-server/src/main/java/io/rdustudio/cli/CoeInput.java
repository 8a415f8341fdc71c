package io.rdustudio.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.rdustudio.check.CheckDiagnostic;
import io.rdustudio.check.CheckResult;
import io.rdustudio.check.CoeRunner;
import io.rdustudio.coe.DeploymentException;
import io.rdustudio.coe.Limits;
import io.rdustudio.coe.Sweep;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.Hardware;
import io.rdustudio.coe.model.ModelResolver;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.io.AtomicFiles;
import io.rdustudio.core.target.ProfileException;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.report.AnalysisHeader;
import io.rdustudio.report.JsonReport;
import io.rdustudio.report.TextReport;
import io.rdustudio.report.ToolInfo;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The descriptor and format options the {@code dfk coe} commands share (a picocli mixin), and the
 * steps before any simulation: check the descriptor as {@code dfk coe check} does, refuse to go on
 * with one that has errors (printing them, exit 1), pick the workload and the profiles.
 */
final class CoeInput {

    enum Format { TEXT, JSON }

    @Parameters(index = "0", paramLabel = "FILE", description = "the CoE descriptor (ending in .coe)")
    String file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json")
    Format format;

    /** A descriptor ready to simulate: its deployment, the resolver its models are timed with, its profile. */
    record Ready(Deployment deployment, ModelResolver resolver, TargetProfile profile, AnalysisHeader header) {
    }

    /** Loads and checks {@link #file}; throws {@link ProgramInput.Stop} after printing why it cannot go on. */
    Ready load(PrintWriter out, PrintWriter err) {
        String problem = problemWith(file);
        if (problem != null) {
            throw ProgramInput.fail(err, problem, DfkCli.EXIT_USAGE);
        }
        Path workingDirectory = Path.of("").toAbsolutePath();
        CoeRunner.LoadedDescriptor loaded = CoeRunner.load(file, workingDirectory);
        if (loaded.check().hasErrors() || loaded.analysis().deployment() == null) {
            switch (format) {
                case TEXT -> TextReport.write(loaded.check(), out);
                case JSON -> out.println(JsonReport.render(loaded.check(), ToolInfo.current()));
            }
            out.flush();
            err.println("dfk: " + file + " has errors; fix them (above) before going on");
            err.println(TextReport.summary(loaded.check()));
            err.flush();
            throw new ProgramInput.Stop(DfkCli.EXIT_ERRORS_FOUND);
        }
        TextReport.write(loaded.check(), err);
        TargetProfile profile = loaded.analysis().profile();
        return new Ready(loaded.analysis().deployment(), loaded.analysis().resolver(), profile,
                new AnalysisHeader(ToolInfo.current(), profile, file, workingDirectory));
    }

    /** The workload named {@code name}, or the first one declared when no name is given. */
    static Workload workload(Deployment deployment, String name, String file, PrintWriter err) {
        if (name != null) {
            return deployment.workload(name).orElseThrow(() -> ProgramInput.fail(err, file + " has no workload named "
                    + name + "; its workloads: " + names(deployment), DfkCli.EXIT_USAGE));
        }
        return allWorkloads(deployment, file, err).get(0);
    }

    /** Every workload the descriptor declares; a usage error when it declares none. */
    static List<Workload> allWorkloads(Deployment deployment, String file, PrintWriter err) {
        if (deployment.workloads().isEmpty()) {
            throw ProgramInput.fail(err, file + " declares no workload; add one, for example 'workload chat { prompt "
                    + "128 tokens  output 20 tokens  arrivals 2 per second }' (docs/coe.md)", DfkCli.EXIT_USAGE);
        }
        return deployment.workloads();
    }

    private static String names(Deployment deployment) {
        return deployment.workloads().isEmpty() ? "none"
                : deployment.workloads().stream().map(Workload::name).collect(Collectors.joining(", "));
    }

    /** The workload with what the command line overrides: its seed, request count, batch size (null: as declared). */
    static Workload adjusted(Workload w, Long seed, Integer requests, Integer batch) {
        Workload out = seed == null ? w : w.withSeed(seed);
        out = requests == null ? out : out.withRequests(requests);
        return batch == null ? out : out.withBatchSize(batch);
    }

    /** A bundled profile name or a profile file, as {@code --target} takes it. */
    static TargetProfile profile(String nameOrPath, PrintWriter err) {
        try {
            return TargetProfiles.load(nameOrPath);
        } catch (ProfileException e) {
            throw ProgramInput.fail(err, e.getMessage(), DfkCli.EXIT_USAGE);
        }
    }

    /** A simulation, sweep or plan: stops when {@code cancelled} turns true, reports the fraction done. */
    interface Job<T> {
        T run(BooleanSupplier cancelled, DoubleConsumer progress);
    }

    /**
     * Runs {@code job} on the checker's large stack with a progress bar on a terminal and Ctrl-C
     * as cancellation. Throws {@link ProgramInput.Stop} (exit 1) after printing why when the
     * simulator refuses the deployment or the user interrupts it ({@code complete} false).
     */
    static <T> T run(String what, Job<T> job, Predicate<T> complete, Ready ready, PrintWriter err) {
        ProgressBar bar = new ProgressBar(err);
        try (Interruption interruption = Interruption.install()) {
            T result = CoeRunner.onLargeStack(() -> job.run(interruption::requested, f -> bar.update(what, f)));
            bar.finish();
            if (!complete.test(result)) {
                err.println("dfk: " + what + " interrupted; nothing was written");
                err.flush();
                throw new ProgramInput.Stop(DfkCli.EXIT_ERRORS_FOUND);
            }
            return result;
        } catch (DeploymentException e) {
            bar.finish();
            throw refused(e, ready.header(), err);
        }
    }

    /**
     * Prints the located diagnostics of a deployment the simulator refused (on another platform, or
     * for a workload it cannot serve) and returns the exit code 1 to stop with.
     */
    private static ProgramInput.Stop refused(DeploymentException e, AnalysisHeader header, PrintWriter err) {
        for (Diagnostic d : e.diagnostics()) {
            err.println(header.diagnosticLine(d));
        }
        long errors = e.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).count();
        err.println("dfk: " + errors + (errors == 1 ? " error" : " errors") + "; nothing was simulated");
        err.flush();
        return new ProgramInput.Stop(DfkCli.EXIT_ERRORS_FOUND);
    }

    /** Prints diagnostics located in {@code file} (a JSON deployment's, say) as {@code file:line:col: severity: message}. */
    static void print(List<Diagnostic> diagnostics, String file, PrintWriter err) {
        List<CheckDiagnostic> lines = diagnostics.stream().map(d -> new CheckDiagnostic(file, d.location().line(),
                d.location().column(), d.location().line(), d.location().column(), d.severity(), d.code(), d.message()))
                .toList();
        TextReport.write(new CheckResult(List.of(file), lines, TargetProfiles.load(Hardware.DEFAULT_PROFILE)), err);
    }

    /** Prints a JSON report under the tool header, or a text report, on stdout. */
    void print(Ready ready, String command, String key, JsonElement json, String text, PrintWriter out) {
        if (format == Format.JSON) {
            JsonObject root = ready.header().jsonRoot(command);
            root.add(key, json);
            out.println(AnalysisHeader.pretty(root));
        } else {
            out.println(ready.header().textLine(command));
            out.print(text.endsWith("\n") ? text : text + "\n");
        }
        out.flush();
    }

    /** Writes {@code text} to {@code target} through a temporary file, so a reader never sees half of it. */
    static void write(Path target, String text, PrintWriter err) {
        try {
            AtomicFiles.writeString(target, text);
        } catch (IOException | InvalidPathException e) {
            throw ProgramInput.fail(err, "cannot write " + target + ": " + reason(e), DfkCli.EXIT_USAGE);
        }
    }

    /** Why a file could not be written, in words (an IOException's message is often just a path). */
    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException denied) {
            return "permission denied (" + denied.getFile() + ")";
        }
        if (e instanceof NoSuchFileException missing) {
            return "no such folder, and it cannot be made (" + missing.getFile() + ")";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + " (" + fs.getFile() + ")";
        }
        return e.getMessage();
    }

    /** What stops {@code file} from being read as a descriptor at all, or null. */
    static String problemWith(String file) {
        return CheckCommand.problemWith(file, ".coe", "CoE descriptor");
    }

    /** {@code 1..150} or {@code 150} (meaning 1..150), as {@code --experts} takes it. */
    static List<Integer> range(String text, PrintWriter err) {
        String[] parts = text.strip().split("\\.\\.", -1);
        try {
            int from = parts.length == 2 ? Integer.parseInt(parts[0].strip()) : 1;
            int to = Integer.parseInt(parts[parts.length - 1].strip());
            if (parts.length <= 2 && from >= 1 && to >= from && to <= Limits.MAX_EXPERTS) {
                return Sweep.range(from, to);
            }
        } catch (NumberFormatException e) {
            // reported below with the form expected
        }
        throw ProgramInput.fail(err, "--experts takes a range of expert counts from 1 to " + Limits.MAX_EXPERTS
                + " such as 1..200 (or 200, meaning 1..200), not '" + text + "'", DfkCli.EXIT_USAGE);
    }
}
