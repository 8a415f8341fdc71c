package io.rdustudio.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.rdustudio.coe.Sweep;
import io.rdustudio.coe.SweepResult;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.coe.report.SweepReport;
import io.rdustudio.core.target.TargetProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dfk coe sweep FILE --experts 1..N}: latency and footprint against the number of experts, on every platform. */
@Command(name = "sweep",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = {"Simulate the workload with 1..N experts on the SN40L node and the GPU baselines (experts beyond "
                + "those declared are copies of the descriptor's expert class): latency and weights against the "
                + "expert count, where each platform's HBM stops holding them all, and where a DGX runs out of memory.",
                "A table, JSON, and with --svg the chart of the SN40L paper's comparison."})
final class CoeSweepCommand implements Callable<Integer> {

    static final List<String> BASELINES = List.of("dgx-a100", "dgx-h100");

    @Mixin
    private CoeInput input;

    @Option(names = "--experts", required = true, paramLabel = "FROM..TO", description = "the expert counts, e.g. 1..200")
    private String experts;

    @Option(names = "--workload", paramLabel = "NAME", description = "the workload (default: the first declared)")
    private String workload;

    @Option(names = "--requests", paramLabel = "N", description = "requests simulated at each count (default: "
            + Sweep.DEFAULT_REQUESTS_PER_POINT + ")")
    private int requests = Sweep.DEFAULT_REQUESTS_PER_POINT;

    @Option(names = "--batch", paramLabel = "N", description = "prompts per router batch (default: the workload's, else the "
            + "policy's)")
    private Integer batch;

    @Option(names = "--target", paramLabel = "PROFILE",
            description = "a platform to compare (repeatable; default: the descriptor's hardware, dgx-a100 and dgx-h100)")
    private List<String> targets = new ArrayList<>();

    @Option(names = "--svg", paramLabel = "FILE.svg", description = "also write the latency-against-experts chart")
    private Path svg;

    @Option(names = "--percentile", paramLabel = "P", defaultValue = "90", description = "the latency the chart plots: 50, 90 (default) or 99")
    private int percentile;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (percentile != 50 && percentile != 90 && percentile != 99) {
            throw ProgramInput.fail(err, "--percentile is 50, 90 or 99, not " + percentile, DfkCli.EXIT_USAGE);
        }
        List<Integer> counts = CoeInput.range(experts, err);
        CoeInput.Ready ready = input.load(out, err);
        Deployment deployment = ready.deployment();
        Workload w = CoeInput.adjusted(CoeInput.workload(deployment, workload, input.file, err), null, null, batch);
        List<TargetProfile> platforms = new ArrayList<>();
        if (targets.isEmpty()) {
            platforms.add(ready.profile());
            BASELINES.forEach(b -> platforms.add(CoeInput.profile(b, err)));
        } else {
            targets.forEach(t -> platforms.add(CoeInput.profile(t, err)));
        }
        SweepResult result = CoeInput.run("sweeping " + experts + " experts", (cancelled, progress) -> Sweep.run(deployment,
                w, ready.resolver(), platforms, counts, requests, cancelled, progress), SweepResult::complete, ready, err);
        if (svg != null) {
            CoeInput.write(svg, SweepReport.svg(result, percentile), err);
        }
        input.print(ready, "coe sweep", "sweep", SweepReport.json(result), SweepReport.text(result), out);
        return DfkCli.EXIT_OK;
    }
}
