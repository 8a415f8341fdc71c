package io.rdustudio.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.memory.MemoryPlan;
import io.rdustudio.report.MemoryReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dfk memory FILE}: the static memory plan of the schedule. */
@Command(name = "memory",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = {"Plan the schedule's memory: peak HBM and DDR per socket, the tensors spilled to DDR and why, "
                + "read-only tensors, and every buffer's tier, address, size and lifetime."})
final class MemoryCommand implements Callable<Integer> {

    @Mixin
    private ProgramInput input;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgramInput.Ready r = input.load(out, err);
        ProgramAnalysis.Result result = ProgramAnalysis.analyse(r.program(), r.profile(), () -> false);
        switch (input.format) {
            case TEXT -> MemoryReport.text(r.header(), result, out);
            case JSON -> out.println(MemoryReport.json(r.header(), result));
        }
        out.flush();
        boolean fits = result.memory().map(MemoryPlan::fits).orElse(false);
        return fits ? DfkCli.EXIT_OK : DfkCli.EXIT_ERRORS_FOUND;
    }
}
