package io.rdustudio.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.report.EstimateReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dfk estimate FILE}: the roofline estimate of every kernel call, and optionally the fusion levels. */
@Command(name = "estimate",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = {"Estimate the schedule's time: per kernel call site the launches, FLOPs, bytes per memory tier, "
                + "intensity, roofline time with its error band and what bounds it; then the total.",
                "With --fusion, the three fusion levels (unfused, as written, largest legal fusion) and the hints."})
final class EstimateCommand implements Callable<Integer> {

    @Mixin
    private ProgramInput input;

    @Option(names = "--kernel", paramLabel = "K", description = "only the calls of this kernel (or kernel instance)")
    private String kernel;

    @Option(names = "--fusion", description = "add the fusion levels and the fusion hints")
    private boolean fusion;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgramInput.Ready r = input.load(out, err);
        Predicate<String> filter = name -> true;
        if (kernel != null) {
            List<Kernel> selected = ProgramInput.kernelsNamed(r.program(), kernel);
            if (selected.isEmpty()) {
                throw ProgramInput.fail(err, ProgramInput.unknownKernel(r.program(), input.file, kernel), DfkCli.EXIT_USAGE);
            }
            Set<String> names = selected.stream().map(Kernel::instanceName).collect(Collectors.toSet());
            filter = names::contains;
        }
        ProgramAnalysis.Result result = ProgramAnalysis.analyse(r.program(), r.profile(), () -> false);
        switch (input.format) {
            case TEXT -> EstimateReport.text(r.header(), result, filter, fusion, out);
            case JSON -> out.println(EstimateReport.json(r.header(), result, filter, fusion));
        }
        out.flush();
        return result.hasErrors() ? DfkCli.EXIT_ERRORS_FOUND : DfkCli.EXIT_OK;
    }
}
