package io.rdustudio.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dfk coe ...}: Composition-of-Experts deployment descriptors (docs/coe.md). Each
 * subcommand loads and checks the descriptor as an editor does, then hands the deployment to the
 * CoE simulator's library and prints its report.
 */
@Command(name = "coe",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = "CoE deployment descriptors (.coe): check them, simulate serving, sweep the number of experts, "
                + "plan capacity, export to and import from JSON.",
        subcommands = {CoeCheckCommand.class, CoeSimulateCommand.class, CoeSweepCommand.class, CoePlanCommand.class,
                CoeExportCommand.class, CoeImportCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Exit codes: 0 no errors, 1 errors found, 2 usage error, 3 internal error (please report it)."})
final class CoeCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a coe command: " + DfkCli.subcommandNames(spec));
    }
}
