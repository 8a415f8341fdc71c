package io.rdustudio.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.rdustudio.coe.DeploymentJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dfk coe export FILE}: the deployment as JSON in the simulator's published schema. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = {"Write the deployment as JSON (the schema is io/rdustudio/coe/deployment.schema.json, "
                + "docs/coe.md), for other tools to read or produce; dfk coe import turns it back into a descriptor."})
final class CoeExportCommand implements Callable<Integer> {

    @Mixin
    private CoeInput input;

    @Option(names = "--out", paramLabel = "FILE.json", description = "write to this file instead of stdout")
    private Path outFile;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CoeInput.Ready ready = input.load(out, err);
        String json = DeploymentJson.write(ready.deployment());
        if (outFile == null) {
            out.println(json);
            out.flush();
        } else {
            CoeInput.write(outFile, json + "\n", err);
        }
        return DfkCli.EXIT_OK;
    }
}
