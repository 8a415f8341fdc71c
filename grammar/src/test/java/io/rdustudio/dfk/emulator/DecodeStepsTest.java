package io.rdustudio.dfk.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.LongFunction;

import org.junit.jupiter.api.Test;

import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Orchestration;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.lowering.DfkLowering;
import io.rdustudio.dfk.lowering.LoweringResult;
import io.rdustudio.dfk.tests.DfkTester;
import io.rdustudio.emulator.steps.DecodeSteps;
import io.rdustudio.emulator.steps.StepModel;
import io.rdustudio.emulator.timing.TimingEmulator;
import io.rdustudio.emulator.timing.TimingOptions;

/**
 * Many decode steps of the Llama2-7B example with a growing KV cache: the fitted per-step model
 * against the emulation of every step (issue 4, "Speed": within 1%).
 */
class DecodeStepsTest {

    private static final Path DECODE = TimingExamplesTest.EXAMPLES.resolve("llama2_7b_decode.dfk");
    private static final TargetProfile NODE = TargetProfiles.load("sn40l-node");
    /** The 1,000 steps that end at the example's own 4,096 cached positions. */
    private static final long FIRST_S = 3097;
    private static final long STEPS = 1000;

    /** The example lowered with {@code S} set: the cache holds S positions and the new token takes the last. */
    static LongFunction<Program> decodeAt() {
        Model model = new DfkTester().disk(DECODE).model(DECODE);
        return s -> {
            LoweringResult r = DfkLowering.lower(model, Map.of("S", s));
            assertTrue(r.diagnostics().stream().noneMatch(d -> d.severity() == Severity.ERROR), r.diagnostics().toString());
            return r.program();
        };
    }

    /**
     * Hardware orchestration (the example's own) against the emulation of every one of the 1,000
     * steps; software orchestration, whose steps differ from these by launch costs only, against
     * every 37th step (the whole comparison takes half a minute on a loaded machine).
     */
    @Test
    void theFittedModelIsWithinOnePercentOfEmulatingEveryStep() {
        LongFunction<Program> decode = decodeAt();
        for (Orchestration o : Orchestration.values()) {
            TimingOptions options = TimingOptions.DEFAULT.withOrchestration(o);
            DecodeSteps.Result fitted = DecodeSteps.run(decode, Optional.of("S"), FIRST_S, STEPS, NODE, options,
                    DecodeSteps.Mode.FITTED);
            StepModel model = fitted.later().orElseThrow();
            int stride = o == Orchestration.HARDWARE ? 1 : 37;
            TimingOptions later = options.withProgramsResident(true);
            double worst = 0;
            double fittedSum = 0;
            double emulatedSum = 0;
            for (long s = FIRST_S + 1; s < FIRST_S + STEPS; s += stride) {
                double emulated = TimingEmulator.run(decode.apply(s), NODE, later).totalSeconds();
                worst = Math.max(worst, Math.abs(model.secondsFor(s) / emulated - 1));
                fittedSum += model.secondsFor(s);
                emulatedSum += emulated;
            }
            double totalError = Math.abs(fittedSum / emulatedSum - 1);
            System.out.printf(Locale.ROOT, "%s: %d steps in %.4g s (%.1f tokens/s); fitted from %d emulated steps,"
                    + " estimated error %.3g%%; against %s step: worst %.3g%%, sum %.3g%%; steps at S=%d and %d:"
                    + " %.4g and %.4g ms%n", o, STEPS, fitted.totalSeconds(), fitted.tokensPerSecond().orElse(0),
                    fitted.emulatedSteps(), 100 * model.estimatedMaxRelativeError(), stride == 1 ? "every" : "every " + stride + "th",
                    100 * worst, 100 * totalError, FIRST_S + 1, FIRST_S + STEPS - 1, 1e3 * model.secondsFor(FIRST_S + 1),
                    1e3 * model.secondsFor(FIRST_S + STEPS - 1));
            assertTrue(worst < 0.01, o + ": worst step off by " + worst);
            assertTrue(totalError < 0.01, o + ": sum off by " + totalError);
            assertTrue(fitted.emulatedSteps() < 60, "a fit that emulates " + fitted.emulatedSteps() + " steps saves little");
            assertEquals(STEPS, fitted.tokens(), "one token per decode step");
            assertTrue(model.secondsFor(FIRST_S + STEPS - 1) > model.secondsFor(FIRST_S + 1), "a longer cache takes longer");
        }
    }

    /** Emulating every step through {@link DecodeSteps} gives the sum of the single runs. */
    @Test
    void everyStepModeAddsUpTheSteps() {
        LongFunction<Program> decode = decodeAt();
        TimingOptions ho = TimingOptions.DEFAULT.withOrchestration(Orchestration.HARDWARE);
        DecodeSteps.Result every = DecodeSteps.run(decode, Optional.of("S"), 4000, 5, NODE, ho, DecodeSteps.Mode.EVERY_STEP);
        double sum = TimingEmulator.run(decode.apply(4000), NODE, ho).totalSeconds();
        for (long s = 4001; s < 4005; s++) {
            sum += TimingEmulator.run(decode.apply(s), NODE, ho.withProgramsResident(true)).totalSeconds();
        }
        assertEquals(sum, every.totalSeconds(), 1e-12);
        assertEquals(5, every.emulatedSteps());
        assertEquals(5 / sum, every.tokensPerSecond().orElseThrow(), 1e-9);
    }

    @Test
    void laterStepsPayNoProgramLoadUnderHardwareOrchestration() {
        Program program = decodeAt().apply(4096);
        TimingOptions ho = TimingOptions.DEFAULT.withOrchestration(Orchestration.HARDWARE);
        double cold = TimingEmulator.run(program, NODE, ho).totalSeconds();
        double warm = TimingEmulator.run(program, NODE, ho.withProgramsResident(true)).totalSeconds();
        double load = NODE.value(io.rdustudio.core.target.FigureKey.PROGRAM_LOAD_SECONDS);
        assertEquals(3 * load, cold - warm, 1e-12, "embed, decoder_layer and head each load once");

        TimingOptions so = TimingOptions.DEFAULT.withOrchestration(Orchestration.SOFTWARE);
        assertEquals(TimingEmulator.run(program, NODE, so).totalSeconds(),
                TimingEmulator.run(program, NODE, so.withProgramsResident(true)).totalSeconds(),
                "software orchestration loads at every launch");

        DecodeSteps.Result same = DecodeSteps.run(s -> program, Optional.empty(), 0, 10, NODE, ho, DecodeSteps.Mode.FITTED);
        assertEquals(cold + 9 * warm, same.totalSeconds(), 1e-12);
        assertEquals(2, same.emulatedSteps(), "identical steps: one emulation stands for all the later ones");
    }

    @Test
    void aModelIsExactAtItsSamplesAndRefusesValuesOutsideItsRange() {
        StepModel line = StepModel.fit(v -> 2.0 + 0.5 * v, 10, 1010);
        assertEquals(StepModel.INITIAL_SEGMENTS * 2 + 1, line.samples().size(), "a line needs no bisection");
        assertEquals(2.0 + 0.5 * 333, line.secondsFor(333), 1e-12);
        assertEquals(0, line.estimatedMaxRelativeError(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> line.secondsFor(9));

        // a kink (the bound moving from one stage to another) is found by bisection
        StepModel kink = StepModel.fit(v -> Math.max(100, 0.2 * v), 0, 1000);
        for (long v = 0; v <= 1000; v++) {
            assertEquals(Math.max(100, 0.2 * v), kink.secondsFor(v), 1e-3 * Math.max(100, 0.2 * v), "at " + v);
        }
        assertEquals(500 * 100.0, kink.totalSeconds(1, 500), 1e-6, "0.2 v <= 100 up to v = 500");

        List<Long> asked = new java.util.ArrayList<>();
        assertThrows(CancellationException.class, () -> StepModel.fit(v -> {
            asked.add(v);
            return v;
        }, 0, 100, StepModel.DEFAULT_TOLERANCE, () -> asked.size() >= 3, f -> { }));
        assertEquals(3, asked.size(), "no emulation after cancellation");
    }
}
