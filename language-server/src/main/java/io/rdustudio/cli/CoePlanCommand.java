package io.rdustudio.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rdustudio.check.CoeRunner;
import io.rdustudio.coe.CapacityPlan;
import io.rdustudio.coe.DeploymentException;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.coe.report.PlanReport;
import io.rdustudio.core.target.TargetKind;
import io.rdustudio.core.target.TargetProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dfk coe plan FILE}: how many experts one SN40L node serves within a latency target, against GPU nodes. */
@Command(name = "plan",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = {"Capacity planning: the most experts one SN40L node holds in DDR and serves within the latency "
                + "target, expert switches included, and how many GPU nodes the same experts need to stay in GPU HBM.",
                "Without --latency-target the target is one expert's latency (no switch) plus "
                        + "10%."})
final class CoePlanCommand implements Callable<Integer> {

    private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(us|ms|s|min)?");

    @Mixin
    private CoeInput input;

    @Option(names = "--latency-target", paramLabel = "TIME", description = "the latency to stay within, e.g. 2s or 800ms")
    private String latencyTarget;

    @Option(names = "--percentile", paramLabel = "P", defaultValue = "90", description = "the percentile the target is for: 50, 90 (default) or 99")
    private int percentile;

    @Option(names = "--workload", paramLabel = "NAME", description = "the workload (default: the first declared)")
    private String workload;

    @Option(names = "--batch", paramLabel = "N", description = "prompts per router batch (default: the workload's, else the "
            + "policy's)")
    private Integer batch;

    @Option(names = "--baseline", paramLabel = "PROFILE",
            description = "a GPU platform to compare (repeatable; default: dgx-a100 and dgx-h100)")
    private List<String> baselines = new ArrayList<>();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (percentile != 50 && percentile != 90 && percentile != 99) {
            throw ProgramInput.fail(err, "--percentile is 50, 90 or 99, not " + percentile, DfkCli.EXIT_USAGE);
        }
        OptionalDouble target = latencyTarget == null ? OptionalDouble.empty() : OptionalDouble.of(seconds(latencyTarget, err));
        CoeInput.Ready ready = input.load(out, err);
        if (ready.profile().kind() != TargetKind.RDU) {
            throw ProgramInput.fail(err, "a plan sizes one SN40L node, but " + input.file + " runs on "
                    + ready.profile().name() + "; plan a descriptor whose hardware is sn40l-node", DfkCli.EXIT_USAGE);
        }
        Deployment deployment = ready.deployment();
        Workload w = CoeInput.adjusted(CoeInput.workload(deployment, workload, input.file, err), null, null, batch);
        List<TargetProfile> gpus = new ArrayList<>();
        (baselines.isEmpty() ? CoeSweepCommand.BASELINES : baselines).forEach(b -> gpus.add(CoeInput.profile(b, err)));
        CapacityPlan.Plan plan = CoeInput.run("planning", (cancelled, progress) -> CapacityPlan.plan(deployment, w,
                ready.resolver(), ready.profile(), gpus, target, percentile, cancelled, progress), CapacityPlan.Plan::complete,
                ready, err);
        input.print(ready, "coe plan", "plan", PlanReport.json(plan), PlanReport.text(plan), out);
        return DfkCli.EXIT_OK;
    }

    /** {@code 2s}, {@code 800ms}, {@code 1.5 s}, {@code 2} (seconds) as seconds. */
    static double seconds(String text, PrintWriter err) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || !(Double.parseDouble(m.group(1)) > 0)) {
            throw ProgramInput.fail(err, "--latency-target takes a positive time such as 2s, 800ms or 1.5s, not '" + text
                    + "'", DfkCli.EXIT_USAGE);
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "us" -> value * 1e-6;
            case "ms" -> value * 1e-3;
            case "min" -> value * 60;
            default -> value;
        };
    }
}
