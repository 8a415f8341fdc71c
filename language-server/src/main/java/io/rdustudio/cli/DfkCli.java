package io.rdustudio.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.rdustudio.report.ToolInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code dfk} command: start reading here for the CLI. Each subcommand translates arguments
 * into one call of a library class and its result into output and an exit code; none computes.
 *
 * <p>Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error (bad option,
 * missing file, unknown target profile), 3 internal error (a bug in dfk: a message and a request
 * to report it, never a stack trace).
 */
@Command(name = "dfk",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = "RDU Studio's command line for DFK, the dataflow kernel language of the SN40L.",
        subcommands = {CheckCommand.class, EstimateCommand.class, PlaceCommand.class, MemoryCommand.class, RunCommand.class, CompareCommand.class, CoeCommand.class,
                LspCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Exit codes: 0 no errors, 1 errors found, 2 usage error, 3 internal error (please report it)."})
public final class DfkCli implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_ERRORS_FOUND = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 3;

    private final InputStream stdin;
    private final OutputStream stdout;

    @Spec
    private CommandSpec spec;

    /**
     * @param stdin  what {@code dfk lsp} reads LSP frames from
     * @param stdout where {@code dfk lsp} writes LSP frames (and nothing else)
     */
    public DfkCli(InputStream stdin, OutputStream stdout) {
        this.stdin = stdin;
        this.stdout = stdout;
    }

    public static void main(String[] args) {
        JavaLogging.configure();
        OutputStream rawOut = new FileOutputStream(FileDescriptor.out);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(rawOut, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int exitCode = run(new DfkCli(System.in, rawOut), args, out, err);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /** Runs one command line; whatever goes wrong ends as an exit code and a message, not a trace. */
    public static int run(DfkCli cli, String[] args, PrintWriter out, PrintWriter err) {
        try {
            return execute(commandLine(cli, out, err), args, err);
        } catch (Throwable t) {
            return internalError(t, err);
        }
    }

    /** Executes a configured command line; an {@link Error} escapes picocli, so it is caught here. */
    static int execute(CommandLine commandLine, String[] args, PrintWriter err) {
        try {
            return commandLine.execute(args);
        } catch (Throwable t) {
            return internalError(t, err);
        }
    }

    /**
     * The configured picocli command line: a command's {@link ProgramInput.Stop} becomes its exit code,
     * any other exception exit code 3.
     */
    static CommandLine commandLine(DfkCli cli, PrintWriter out, PrintWriter err) {
        return new CommandLine(cli)
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> e instanceof ProgramInput.Stop stop
                        ? stop.exitCode() : internalError(e, err));
    }

    /** {@code dfk} alone: a usage error that lists the commands. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command: " + subcommandNames(spec));
    }

    /** The subcommands picocli has registered under {@code spec}, in order: "check, estimate, ... or lsp". */
    static String subcommandNames(CommandSpec spec) {
        List<String> names = spec.subcommands().values().stream().map(CommandLine::getCommandName).distinct()
                .toList();
        return names.size() < 2 ? String.join("", names)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    InputStream stdin() {
        return stdin;
    }

    OutputStream stdout() {
        return stdout;
    }

    static int internalError(Throwable t, PrintWriter err) {
        String what = t.getClass().getSimpleName();
        String message = t.getMessage();
        err.println("dfk: internal error: " + what + (message == null ? "" : ": " + message));
        err.println("dfk: this is a bug in dfk " + ToolInfo.current().version()
                + "; please report it with the command you ran and the files it read");
        err.flush();
        return EXIT_INTERNAL;
    }

    /** {@code dfk --version}: the version Maven built the jar from. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            ToolInfo tool = ToolInfo.current();
            return new String[] {tool.name() + " " + tool.version()};
        }
    }
}
