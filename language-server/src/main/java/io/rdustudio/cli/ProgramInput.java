package io.rdustudio.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.rdustudio.check.CheckRunner;
import io.rdustudio.check.CheckRunner.LoadedProgram;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.ProfileException;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.dfk.lowering.LoweringResult;
import io.rdustudio.report.AnalysisHeader;
import io.rdustudio.report.JsonReport;
import io.rdustudio.report.TextReport;
import io.rdustudio.report.ToolInfo;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The file, target and format options that {@code estimate}, {@code place} and {@code memory}
 * share (a picocli mixin), and the steps before any analysis: check the file as {@code dfk check}
 * does, refuse to analyse a program with errors (printing the check's diagnostics, exit 1), and
 * choose the profile.
 *
 * <p>Default profile: {@value #ONE_SOCKET} when the schedule runs on one socket (or there is none),
 * else {@value #NODE}: the profile whose socket count can hold the schedule.
 */
final class ProgramInput {

    static final String ONE_SOCKET = "sn40l";
    static final String NODE = "sn40l-node";

    enum Format { TEXT, JSON }

    @Parameters(index = "0", paramLabel = "FILE", description = "the DFK file (ending in .dfk) whose schedule to analyse")
    String file;

    @Option(names = "--target", paramLabel = "PROFILE",
            description = "target profile: sn40l, sn40l-node, or the path of a profile file (default: sn40l for a "
                    + "one-socket schedule, else sn40l-node)")
    String target;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json")
    Format format;

    @Option(names = "--sockets", paramLabel = "N",
            description = "run the schedule on N sockets instead of the program's own socket count")
    Integer sockets;

    /**
     * A program ready to analyse, with the profile chosen and the header every report starts with;
     * {@code relower} lowers the file again with some of its constants set (before {@code --sockets}).
     */
    record Ready(Program program, TargetProfile profile, AnalysisHeader header,
            Function<Map<String, ? extends Number>, LoweringResult> relower) {
    }

    /**
     * A command stopping early with {@code exitCode} after it printed why; {@link DfkCli} turns it
     * into that exit code, never into an internal error.
     */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        Stop(int exitCode) {
            super(null, null, false, false);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    /**
     * Loads and checks {@link #file}. Returns the program, or throws {@link Stop} after printing why
     * not (exit 2 for usage, 1 for errors in the program).
     */
    Ready load(PrintWriter out, PrintWriter err) {
        String problem = CheckCommand.problemWith(file);
        if (problem != null) {
            throw fail(err, problem, DfkCli.EXIT_USAGE);
        }
        if (sockets != null && (sockets < 1 || sockets > 1024)) {
            throw fail(err, "--sockets must be between 1 and 1024, not " + sockets, DfkCli.EXIT_USAGE);
        }
        TargetProfile chosen = null;
        if (target != null) {
            try {
                chosen = TargetProfiles.load(target);
            } catch (ProfileException e) {
                throw fail(err, e.getMessage(), DfkCli.EXIT_USAGE);
            }
        }
        TargetProfile explicit = chosen;
        Path workingDirectory = Path.of("").toAbsolutePath();
        LoadedProgram loaded = CheckRunner.load(file, workingDirectory,
                program -> explicit != null ? explicit
                        : TargetProfiles.load(sockets != null ? (sockets <= 1 ? ONE_SOCKET : NODE) : defaultTarget(program)));
        if (loaded.check().hasErrors() || loaded.program() == null) {
            switch (format) {
                case TEXT -> TextReport.write(loaded.check(), out);
                case JSON -> out.println(JsonReport.render(loaded.check(), ToolInfo.current()));
            }
            out.flush();
            err.println("dfk: " + file + " has errors; fix them (above) before analysing it");
            err.println(TextReport.summary(loaded.check()));
            err.flush();
            throw new Stop(DfkCli.EXIT_ERRORS_FOUND);
        }
        TargetProfile profile = loaded.check().target();
        Program program = loaded.program();
        if (sockets != null && program.schedule().isPresent()) {
            int widest = program.kernels().values().stream().mapToInt(k -> k.hints().tensorParallel()).max().orElse(1);
            if (sockets < widest) {
                throw fail(err, "--sockets " + sockets + " is fewer than the " + widest
                        + " sockets a tensor-parallel kernel of " + file + " is split over; give at least " + widest,
                        DfkCli.EXIT_USAGE);
            }
            program = program.withSchedule(program.schedule().get().withSockets(sockets));
        }
        return new Ready(program, profile, new AnalysisHeader(ToolInfo.current(), profile, file, workingDirectory),
                loaded.relower());
    }

    static String defaultTarget(Program program) {
        int sockets = program == null ? 1 : program.schedule().map(s -> s.sockets()).orElse(1);
        return sockets <= 1 ? ONE_SOCKET : NODE;
    }

    /**
     * The kernel instances a name selects: the instance of that name, else every instance of the
     * kernel of that name ({@code attention} selects {@code attention<T=4096>}).
     */
    static List<Kernel> kernelsNamed(Program program, String name) {
        Kernel exact = program.kernels().get(name);
        if (exact != null) {
            return List.of(exact);
        }
        return program.kernels().values().stream().filter(k -> k.name().equals(name)).toList();
    }

    /** The usage error for a kernel name that selects nothing, listing the names that would. */
    static String unknownKernel(Program program, String file, String name) {
        String known = program.kernels().keySet().stream().collect(Collectors.joining(", "));
        return "no kernel " + name + " in " + file + "; its kernels are: " + (known.isEmpty() ? "(none)" : known);
    }

    /** Prints {@code dfk: message} and returns the {@link Stop} for the caller to throw. */
    static Stop fail(PrintWriter err, String message, int code) {
        err.println("dfk: " + message);
        err.flush();
        return new Stop(code);
    }
}
