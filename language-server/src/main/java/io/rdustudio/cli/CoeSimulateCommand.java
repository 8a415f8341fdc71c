package io.rdustudio.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.google.gson.JsonArray;

import io.rdustudio.coe.ServingResult;
import io.rdustudio.coe.ServingSimulator;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.coe.report.ServingReport;
import io.rdustudio.core.target.TargetProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dfk coe simulate FILE}: a discrete-event simulation of serving the descriptor's workloads
 * on the deployment, every one side by side, or the one named in full.
 */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = {"Simulate serving the workloads on the deployment: batched router runs, expert switches from DDR "
                + "to HBM (LRU), then each prompt on its expert, timed by the emulator. Every workload side by side, or "
                + "one in full with --workload.",
                "Prints the latency split (router, switch, execution) at p50/p90/p99, throughput, the HBM cache's "
                        + "hit rate and the bytes copied."})
final class CoeSimulateCommand implements Callable<Integer> {

    @Mixin
    private CoeInput input;

    @Option(names = "--workload", paramLabel = "NAME",
            description = "the workload to serve (default: every workload of the descriptor, side by side)")
    private String workload;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the arrivals and expert choices (default: the workload's)")
    private Long seed;

    @Option(names = "--requests", paramLabel = "N", description = "how many requests to simulate (default: the workload's)")
    private Integer requests;

    @Option(names = "--batch", paramLabel = "N", description = "prompts per router batch (default: the workload's, else the "
            + "policy's)")
    private Integer batch;

    @Option(names = "--target", paramLabel = "PROFILE",
            description = "serve on another platform with the same policy: dgx-a100, dgx-h100, or a profile file "
                    + "(default: the descriptor's hardware)")
    private String target;

    @Option(names = "--report", paramLabel = "FILE.html", description = "also write a self-contained HTML report with charts")
    private Path report;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CoeInput.Ready ready = input.load(out, err);
        Deployment deployment = ready.deployment();
        List<Workload> served = workload == null ? CoeInput.allWorkloads(deployment, input.file, err)
                : List.of(CoeInput.workload(deployment, workload, input.file, err));
        TargetProfile platform = target == null ? ready.profile() : CoeInput.profile(target, err);
        List<ServingResult> results = new ArrayList<>();
        for (Workload w : served) {
            Workload adjusted = CoeInput.adjusted(w, seed, requests, batch);
            results.add(CoeInput.run("serving " + w.name(), (cancelled, progress) -> ServingSimulator.simulate(deployment,
                    adjusted, ready.resolver(), platform, cancelled, progress), ServingResult::complete, ready, err));
        }
        if (report != null) {
            CoeInput.write(report, ServingReport.html(results), err);
        }
        if (workload == null) {
            JsonArray all = new JsonArray();
            results.forEach(r -> all.add(ServingReport.json(r, false)));
            input.print(ready, "coe simulate", "simulations", all, ServingReport.text(results), out);
        } else {
            input.print(ready, "coe simulate", "simulation", ServingReport.json(results.get(0), false),
                    ServingReport.text(results.get(0)), out);
        }
        return DfkCli.EXIT_OK;
    }
}
