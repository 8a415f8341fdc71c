package io.rdustudio.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.rdustudio.check.CheckDiagnostic;
import io.rdustudio.check.CheckResult;
import io.rdustudio.check.CoeRunner;
import io.rdustudio.report.JsonReport;
import io.rdustudio.report.SarifReport;
import io.rdustudio.report.TextReport;
import io.rdustudio.report.ToolInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dfk coe check FILE...}: the diagnostics an editor shows for CoE descriptors. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = {"Check CoE descriptors: syntax, names, the models and programs they name, and whether the "
                + "deployment fits the node (DDR, HBM, tensor-parallel degrees, sizes).",
                "Problems go to stdout as file:line:col: severity: message (or JSON, or SARIF 2.1.0); a summary "
                        + "goes to stderr."})
final class CoeCheckCommand implements Callable<Integer> {

    enum Format { TEXT, JSON, SARIF }

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "descriptors to check (ending in .coe)")
    private List<String> files;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default), json or sarif")
    private Format format;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> problems = files.stream().map(CoeInput::problemWith).filter(p -> p != null).toList();
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("dfk: " + p));
            err.flush();
            return DfkCli.EXIT_USAGE;
        }
        Path workingDirectory = Path.of("").toAbsolutePath();
        List<CheckDiagnostic> diagnostics = new ArrayList<>();
        CheckResult first = null;
        for (String file : files) {
            CheckResult one = CoeRunner.load(file, workingDirectory).check();
            first = first == null ? one : first;
            diagnostics.addAll(one.diagnostics());
        }
        CheckResult result = new CheckResult(files, diagnostics, first.target());
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
}
