package io.rdustudio.emulator.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.memory.MemoryPlan;
import io.rdustudio.core.analysis.placement.DefaultWorkEstimator;
import io.rdustudio.core.analysis.placement.Placement;
import io.rdustudio.core.analysis.placement.Placer;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.FigureKey;
import io.rdustudio.core.target.TargetKind;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.emulator.steps.DecodeSteps;
import io.rdustudio.emulator.timing.TimingResult;

/**
 * Everything the run report shows, as plain data: the timed run (and the steps of a multi-step
 * run), the roofs of the target, the placement of the kernels that take the most time and the
 * memory plan, each computed by the core's one engine ({@link Placer}, {@link ProgramAnalysis}).
 * {@link HtmlReport} renders it; computing and rendering stay apart.
 *
 * @param program    the program's name
 * @param file       the file as the user named it
 * @param tool       what produced the report ({@code dfk 0.1.0})
 * @param target     the profile's name, kind, source and content hash
 * @param timing     the timed run (of the first step of a multi-step run)
 * @param steps      the multi-step run, if it was one
 * @param roofs      the compute roof and one memory roof per tier, per socket (GPU)
 * @param placements the kernels with the most emulated time, at most {@value #MAX_PLACEMENTS}, placed
 *                   on one socket (RDU targets only)
 * @param memory     the static memory plan (RDU targets only)
 */
public record RunReport(String program, String file, String tool, Target target, TimingResult timing,
        Optional<DecodeSteps.Result> steps, Roofs roofs, List<Placement> placements, Optional<MemoryPlan> memory) {

    /** The most kernels placed in one report: placing one takes up to a few hundred milliseconds. */
    public static final int MAX_PLACEMENTS = 6;

    public RunReport {
        placements = List.copyOf(placements);
    }

    /** The target profile a report names, so that a figure can be traced to its hardware numbers. */
    public record Target(String name, String kind, String source, String contentHash) {
        static Target of(TargetProfile p) {
            return new Target(p.name(), p.kind().jsonName(), p.source(), p.contentHash());
        }
    }

    /** A memory roof: a tier and its peak bandwidth per socket (GPU). */
    public record Roof(String tier, double bytesPerSecond) {
    }

    /** The roofline's roofs: peak FLOP/s and the memory tiers, per socket (GPU). */
    public record Roofs(double peakFlopsPerSecond, List<Roof> memory) {
        public Roofs {
            memory = List.copyOf(memory);
        }

        static Roofs of(TargetProfile p) {
            if (p.kind() == TargetKind.GPU) {
                return new Roofs(p.value(FigureKey.PEAK_FLOPS_PER_GPU), List.of(
                        new Roof("HBM", p.value(FigureKey.HBM_BANDWIDTH_BYTES_PER_SECOND)),
                        new Roof("host", p.value(FigureKey.HOST_TO_GPU_BYTES_PER_SECOND))));
            }
            return new Roofs(p.value(FigureKey.PEAK_FLOPS_PER_SOCKET), List.of(
                    new Roof("HBM", p.value(FigureKey.HBM_BANDWIDTH_BYTES_PER_SECOND)),
                    new Roof("DDR", p.value(FigureKey.DDR_BANDWIDTH_BYTES_PER_SECOND)),
                    new Roof("host", p.value(FigureKey.HOST_PCIE_BYTES_PER_SECOND))));
        }
    }

    /**
     * Computes the report's data for a finished run.
     *
     * @param program the program as run (of the first step)
     * @throws CancellationException when {@code cancelled} answers true
     */
    public static RunReport of(Program program, String file, String tool, TargetProfile profile, TimingResult timing,
            Optional<DecodeSteps.Result> steps, BooleanSupplier cancelled) {
        List<Placement> placements = new ArrayList<>();
        Optional<MemoryPlan> memory = Optional.empty();
        if (profile.kind() == TargetKind.RDU) {
            for (Kernel k : busiest(program, timing)) {
                Placement p = Placer.place(k, profile, DefaultWorkEstimator.INSTANCE, Placer.Options.DEFAULT, cancelled);
                if (p.cancelled()) {
                    throw new CancellationException("cancelled while placing " + k.instanceName());
                }
                placements.add(p);
            }
            ProgramAnalysis.Result analysis = ProgramAnalysis.analyse(program, profile, cancelled);
            if (analysis.cancelled()) {
                throw new CancellationException("cancelled while planning memory");
            }
            memory = analysis.memory();
        }
        return new RunReport(program.name(), file, tool, Target.of(profile), timing, steps, Roofs.of(profile), placements,
                memory);
    }

    /** The kernel instances of the timeline with the most execution time, most first, at most {@link #MAX_PLACEMENTS}. */
    private static List<Kernel> busiest(Program program, TimingResult timing) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (TimingResult.CallRecord c : timing.calls()) {
            String instance = c.baseKernel();
            if (program.kernels().containsKey(instance)) {
                seconds.merge(instance, c.execution(), Double::sum);
            }
        }
        return seconds.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(MAX_PLACEMENTS).map(e -> program.kernels().get(e.getKey())).toList();
    }
}
