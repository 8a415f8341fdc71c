package io.rdustudio.coelang.resolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.rdustudio.coe.model.ModelResolutionException;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Schedule;
import io.rdustudio.core.ir.Step;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.emulator.timing.TimingEmulator;
import io.rdustudio.emulator.timing.TimingOptions;
import io.rdustudio.emulator.timing.TimingResult;

/**
 * One phase of a model (its prefill, or one decode step) timed on the emulator: the program's
 * schedule cut down to the calls of the phase's kernels, run with the schedule's orchestration on
 * the platform's profile. The cut keeps loops around the calls it keeps, so a phase's 32 layer
 * calls stay one kernel-looped launch under hardware orchestration.
 */
final class PhaseRun {

    private PhaseRun() {
    }

    /** Emulated seconds of the calls of {@code kernels} (source names; null for every call) in {@code program}'s schedule. */
    static double seconds(Program program, Set<String> kernels, TargetProfile platform) {
        Schedule schedule = program.schedule().orElseThrow(() -> new ModelResolutionException(
                "program " + program.name() + " has no schedule to time; give it one that runs the model"));
        List<Step> steps = kernels == null ? schedule.steps() : keep(schedule.steps(), program, kernels);
        if (steps.isEmpty()) {
            throw new ModelResolutionException("the schedule of " + program.name() + " never calls " + String.join(" or ",
                    kernels) + "; a phase's kernel is timed as the schedule calls it");
        }
        Schedule cut = new Schedule(schedule.sockets(), schedule.orchestration(), steps, schedule.location());
        TimingResult result = TimingEmulator.run(program.withSchedule(cut), platform, TimingOptions.DEFAULT);
        return result.totalSeconds();
    }

    private static List<Step> keep(List<Step> steps, Program program, Set<String> kernels) {
        List<Step> kept = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Step.KernelCall call) {
                Kernel kernel = program.kernels().get(call.kernel());
                if (kernel != null && kernels.contains(kernel.name())) {
                    kept.add(call);
                }
            } else if (step instanceof Step.Loop loop) {
                List<Step> body = keep(loop.body(), program, kernels);
                if (!body.isEmpty()) {
                    kept.add(new Step.Loop(loop.variable(), loop.from(), loop.to(), body, loop.location()));
                }
            }
        }
        return kept;
    }
}
