package io.rdustudio.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.rdustudio.core.ir.Orchestration;
import io.rdustudio.core.target.ProfileException;
import io.rdustudio.core.target.TargetKind;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.emulator.Emulation;
import io.rdustudio.emulator.steps.DecodeSteps;
import io.rdustudio.report.AnalysisHeader;
import io.rdustudio.report.TimingSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dfk compare FILE}: the SN40L paper's three configurations side by side: unfused with
 * software orchestration, fused with software orchestration, fused with hardware orchestration;
 * with {@code --gpu}, a GPU baseline as a fourth row. Each is one timed {@link Emulation} run (of
 * all the steps, with {@code --steps}).
 */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = "Emulate the program three ways (unfused + software orchestration, fused + software, "
                + "fused + hardware), optionally against a GPU baseline, and print times, speedups and the ratio of "
                + "kernel launches.")
final class CompareCommand implements Callable<Integer> {

    @Mixin
    private ProgramInput input;

    @Mixin
    private StepOptions stepOptions;

    @Option(names = "--gpu", paramLabel = "PROFILE",
            description = "add a GPU baseline: dgx-a100, dgx-h100, or the path of a GPU profile file")
    private String gpu;

    @Spec
    private CommandSpec spec;

    /** One configuration: its name, how it runs, and whether on the GPU baseline's profile. */
    private record Configuration(String name, boolean unfused, Optional<Orchestration> orchestration, boolean onGpu) {
    }

    private static final List<Configuration> CONFIGURATIONS = List.of(
            new Configuration("unfused, software orchestration", true, Optional.of(Orchestration.SOFTWARE), false),
            new Configuration("fused, software orchestration", false, Optional.of(Orchestration.SOFTWARE), false),
            new Configuration("fused, hardware orchestration", false, Optional.of(Orchestration.HARDWARE), false));

    /** A configuration's run: its total over all steps; launches and their overhead of one (the first) step. */
    private record Row(Configuration configuration, double seconds, long launches, double launchOverheadSeconds,
            OptionalDouble tokensPerSecond) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgressBar bar = new ProgressBar(err);
        try (Interruption interruption = Interruption.install()) {
            stepOptions.check(true, err);
            TargetProfile gpuProfile = gpu == null ? null : gpuProfile(err);
            ProgramInput.Ready ready = input.load(out, err);
            if (ready.profile().kind() != TargetKind.RDU) {
                throw ProgramInput.fail(err, "compare runs the SN40L's configurations; give an RDU --target, and the GPU"
                        + " with --gpu " + ready.profile().name(), DfkCli.EXIT_USAGE);
            }
            List<Configuration> configurations = new ArrayList<>(CONFIGURATIONS);
            if (gpuProfile != null) {
                configurations.add(new Configuration("GPU baseline, " + gpuProfile.name(), true, Optional.empty(), true));
            }
            List<Row> rows = new ArrayList<>();
            for (Configuration c : configurations) {
                int done = rows.size();
                Emulation.Progress progress = (phase, f) -> bar.update(c.name(), (done + f) / configurations.size());
                Emulation.Options options = Emulation.Options.DEFAULT.withTimingOnly(true).withUnfused(c.unfused());
                if (c.orchestration().isPresent()) {
                    options = options.withOrchestration(c.orchestration().get());
                }
                if (input.sockets != null) {
                    options = options.withSockets(input.sockets);
                }
                Optional<Emulation.Steps> steps = stepOptions.of(ready, err);
                if (steps.isPresent()) {
                    options = options.withSteps(steps.get());
                }
                Emulation.Result r = RunCommand.emulate(ready.program(), c.onGpu() ? gpuProfile : ready.profile(), options,
                        interruption, progress, bar, err);
                double seconds = r.steps().map(DecodeSteps.Result::totalSeconds).orElse(r.timing().totalSeconds());
                OptionalDouble tokens = r.steps().map(DecodeSteps.Result::tokensPerSecond)
                        .orElse(r.timing().tokensPerSecond());
                rows.add(new Row(c, seconds, r.timing().launches(), r.timing().launchOverheadSeconds(), tokens));
            }
            print(ready, rows, out);
            return DfkCli.EXIT_OK;
        }
    }

    private TargetProfile gpuProfile(PrintWriter err) {
        TargetProfile p;
        try {
            p = TargetProfiles.load(gpu);
        } catch (ProfileException e) {
            throw ProgramInput.fail(err, e.getMessage(), DfkCli.EXIT_USAGE);
        }
        if (p.kind() != TargetKind.GPU) {
            throw ProgramInput.fail(err, "--gpu " + gpu + " is a profile of kind " + p.kind().jsonName()
                    + ", not a GPU; give dgx-a100, dgx-h100 or a GPU profile file", DfkCli.EXIT_USAGE);
        }
        return p;
    }

    private void print(ProgramInput.Ready ready, List<Row> rows, PrintWriter out) {
        Row baseline = rows.get(0);
        String launches = stepOptions.steps == null ? "launches" : "launches per step";
        if (input.format == ProgramInput.Format.JSON) {
            JsonObject json = ready.header().jsonRoot("compare");
            if (stepOptions.steps != null) {
                json.addProperty("steps", stepOptions.steps);
            }
            JsonArray array = new JsonArray();
            for (Row r : rows) {
                JsonObject row = new JsonObject();
                row.addProperty("configuration", r.configuration().name());
                row.addProperty("seconds", r.seconds());
                row.addProperty(stepOptions.steps == null ? "launches" : "launchesPerStep", r.launches());
                row.addProperty("launchOverheadSeconds", r.launchOverheadSeconds());
                row.addProperty("speedupOverUnfused", baseline.seconds() / r.seconds());
                row.addProperty("launchRatioToUnfused", (double) r.launches() / baseline.launches());
                r.tokensPerSecond().ifPresent(t -> row.addProperty("tokensPerSecond", t));
                array.add(row);
            }
            json.add("configurations", array);
            out.println(AnalysisHeader.pretty(json));
        } else {
            out.println(ready.header().textLine(stepOptions.steps == null ? "compare"
                    : "compare (" + stepOptions.steps + " steps)"));
            out.printf(Locale.ROOT, "%-34s %12s %18s %16s %10s %14s%n", "configuration", "time", launches,
                    "launch overhead", "speedup", "launch ratio");
            for (Row r : rows) {
                out.printf(Locale.ROOT, "%-34s %12s %18d %16s %9.2fx %13.3fx%n", r.configuration().name(),
                        TimingSummary.seconds(r.seconds()), r.launches(), TimingSummary.seconds(r.launchOverheadSeconds()),
                        baseline.seconds() / r.seconds(), (double) r.launches() / baseline.launches());
            }
        }
        out.flush();
    }
}
