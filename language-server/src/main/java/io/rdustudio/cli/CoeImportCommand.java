package io.rdustudio.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.eclipse.emf.common.util.URI;

import io.rdustudio.check.CheckResult;
import io.rdustudio.check.CoeRunner;
import io.rdustudio.coe.DeploymentException;
import io.rdustudio.coe.DeploymentJson;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.report.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dfk coe import FILE.json}: a JSON deployment written as a descriptor. */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = {"Read a deployment in the simulator's JSON schema (as dfk coe export writes it, or another tool) "
                + "and print it as a .coe descriptor; with --out, write it and check it."})
final class CoeImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE.json", description = "the deployment in JSON")
    private Path json;

    @Option(names = "--out", paramLabel = "FILE.coe", description = "write the descriptor here (and check it) instead of stdout")
    private Path outFile;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(json)) {
            throw ProgramInput.fail(err, (Files.isDirectory(json) ? json + " is a folder" : "no such file: " + json)
                    + "; name the JSON deployment to import", DfkCli.EXIT_USAGE);
        }
        if (outFile != null && !outFile.toString().endsWith(".coe")) {
            throw ProgramInput.fail(err, "--out names a descriptor, which ends in .coe, not " + outFile, DfkCli.EXIT_USAGE);
        }
        Deployment deployment;
        try {
            deployment = DeploymentJson.read(json);
        } catch (DeploymentException e) {
            CoeInput.print(e.diagnostics(), json.toString(), err);
            return DfkCli.EXIT_ERRORS_FOUND;
        }
        Path folder = (outFile == null ? Path.of("") : outFile).toAbsolutePath().normalize();
        Path base = outFile == null ? folder : folder.getParent();
        String text;
        try {
            text = CoeRunner.writer().write(deployment, List.of("imported from " + json + " by dfk coe import"),
                    written -> shown(written, base), CoeRunner::isSchedule);
        } catch (IllegalArgumentException e) {
            throw ProgramInput.fail(err, json + ": " + e.getMessage(), DfkCli.EXIT_ERRORS_FOUND);
        }
        if (outFile == null) {
            out.print(text);
            out.flush();
            return DfkCli.EXIT_OK;
        }
        CoeInput.write(outFile, text, err);
        CheckResult check = CoeRunner.load(outFile.toString(), Path.of("").toAbsolutePath()).check();
        TextReport.write(check, err);
        return check.hasErrors() ? DfkCli.EXIT_ERRORS_FOUND : DfkCli.EXIT_OK;
    }

    /** A file the deployment names, relative to where the descriptor goes when it lies below, else absolute. */
    private static String shown(String written, Path base) {
        Path path = written.startsWith("file:") ? Path.of(URI.createURI(written).toFileString()) : Path.of(written);
        Path absolute = path.toAbsolutePath().normalize();
        return (absolute.startsWith(base) ? base.relativize(absolute) : absolute).toString().replace('\\', '/');
    }
}
