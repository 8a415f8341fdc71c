package io.rdustudio.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.rdustudio.check.CheckResult;
import io.rdustudio.check.CheckRunner;
import io.rdustudio.core.target.ProfileException;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.report.JsonReport;
import io.rdustudio.report.SarifReport;
import io.rdustudio.report.TextReport;
import io.rdustudio.report.ToolInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dfk check FILE...}: parse, link and validate DFK files; report the problems. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = {"Check DFK files and the files they import: syntax, names, shapes and types, "
                + "and what the target can hold.",
                "Problems go to stdout as file:line:col: severity: message (or JSON, or SARIF 2.1.0); "
                + "a summary goes to stderr."})
final class CheckCommand implements Callable<Integer> {

    enum Format { TEXT, JSON, SARIF }

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "DFK files to check (ending in .dfk)")
    private List<String> files;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), json or sarif")
    private Format format;

    @Option(names = "--target", paramLabel = "PROFILE", defaultValue = "sn40l",
            description = "target profile: sn40l (default), sn40l-node, dgx-a100, dgx-h100, or the path of a profile file")
    private String target;

    @Option(names = "--hints", description = "also report performance hints (fusion) and memory-plan failures, "
            + "as an editor shows them; slower on large programs")
    private boolean hints;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        List<String> problems = new ArrayList<>();
        for (String file : files) {
            String problem = problemWith(file);
            if (problem != null) {
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("dfk: " + p));
            err.flush();
            return DfkCli.EXIT_USAGE;
        }

        TargetProfile profile;
        try {
            profile = TargetProfiles.load(target);
        } catch (ProfileException e) {
            err.println("dfk: " + e.getMessage());
            err.flush();
            return DfkCli.EXIT_USAGE;
        }

        Path workingDirectory = Path.of("").toAbsolutePath();
        CheckResult result = new CheckRunner(profile, workingDirectory, hints).check(files);
        ToolInfo tool = ToolInfo.current();
        switch (format) {
            case TEXT -> TextReport.write(result, out);
            case JSON -> out.println(JsonReport.render(result, tool));
            case SARIF -> out.println(SarifReport.render(result, tool, workingDirectory));
        }
        out.flush();
        err.println(TextReport.summary(result));
        err.flush();
        return result.hasErrors() ? DfkCli.EXIT_ERRORS_FOUND : DfkCli.EXIT_OK;
    }

    /** What stops {@code file} from being checked at all, or null. */
    static String problemWith(String file) {
        return problemWith(file, ".dfk", "DFK file");
    }

    /** What stops {@code file}, a {@code kind} whose name ends in {@code extension}, from being read at all, or null. */
    static String problemWith(String file, String extension, String kind) {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            return "'" + file + "' is not a valid file name (" + e.getReason() + ")";
        }
        if (!Files.exists(path)) {
            return "no such file: " + file;
        }
        if (Files.isDirectory(path)) {
            return file + " is a folder; name the " + extension + " files in it (for example " + file + "/*" + extension + ")";
        }
        if (!file.endsWith(extension)) {
            return file + " is not a " + kind + ": " + kind + "s end in " + extension;
        }
        if (!Files.isReadable(path)) {
            return "cannot read " + file + ": check its permissions";
        }
        return null;
    }
}
