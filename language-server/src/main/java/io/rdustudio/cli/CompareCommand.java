package io.rdustudio.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.rdustudio.core.ir.Orchestration;
import io.rdustudio.emulator.timing.TimingEmulator;
import io.rdustudio.emulator.timing.TimingOptions;
import io.rdustudio.emulator.timing.TimingResult;
import io.rdustudio.report.AnalysisHeader;
import io.rdustudio.report.TimingSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dfk compare FILE}: the SN40L paper's three configurations side by side: unfused with
 * software orchestration, fused with software orchestration, fused with hardware orchestration.
 */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = "Emulate the program three ways (unfused + software orchestration, fused + software, "
                + "fused + hardware) and print times, speedups and the ratio of kernel launches.")
final class CompareCommand implements Callable<Integer> {

    @Mixin
    private ProgramInput input;

    @Spec
    private CommandSpec spec;

    private record Configuration(String name, boolean unfused, Orchestration orchestration) {
    }

    private static final List<Configuration> CONFIGURATIONS = List.of(
            new Configuration("unfused, software orchestration", true, Orchestration.SOFTWARE),
            new Configuration("fused, software orchestration", false, Orchestration.SOFTWARE),
            new Configuration("fused, hardware orchestration", false, Orchestration.HARDWARE));

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProgramInput.Ready ready = input.load(out, err);
        List<TimingResult> results = new ArrayList<>();
        for (Configuration c : CONFIGURATIONS) {
            results.add(TimingEmulator.run(ready.program(), ready.profile(),
                    TimingOptions.DEFAULT.withUnfused(c.unfused()).withOrchestration(c.orchestration())));
        }
        TimingResult baseline = results.get(0);
        if (input.format == ProgramInput.Format.JSON) {
            JsonObject json = ready.header().jsonRoot("compare");
            JsonArray rows = new JsonArray();
            for (int i = 0; i < results.size(); i++) {
                TimingResult r = results.get(i);
                JsonObject row = new JsonObject();
                row.addProperty("configuration", CONFIGURATIONS.get(i).name());
                row.addProperty("seconds", r.totalSeconds());
                row.addProperty("launches", r.launches());
                row.addProperty("launchOverheadSeconds", r.launchOverheadSeconds());
                row.addProperty("speedupOverUnfused", baseline.totalSeconds() / r.totalSeconds());
                row.addProperty("launchRatioToUnfused", (double) r.launches() / baseline.launches());
                rows.add(row);
            }
            json.add("configurations", rows);
            out.println(AnalysisHeader.pretty(json));
        } else {
            out.println(ready.header().textLine("compare"));
            out.printf(Locale.ROOT, "%-34s %12s %10s %14s %10s %14s%n", "configuration", "time", "launches",
                    "launch overhead", "speedup", "launches vs unfused");
            for (int i = 0; i < results.size(); i++) {
                TimingResult r = results.get(i);
                out.printf(Locale.ROOT, "%-34s %12s %10d %14s %9.2fx %13.3fx%n", CONFIGURATIONS.get(i).name(),
                        TimingSummary.seconds(r.totalSeconds()), r.launches(), TimingSummary.seconds(r.launchOverheadSeconds()),
                        baseline.totalSeconds() / r.totalSeconds(), (double) r.launches() / baseline.launches());
            }
        }
        out.flush();
        return DfkCli.EXIT_OK;
    }
}
