package io.rdustudio.emulator.steps;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import java.util.function.LongFunction;

import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.emulator.timing.TimingEmulator;
import io.rdustudio.emulator.timing.TimingOptions;
import io.rdustudio.emulator.timing.TimingResult;

/**
 * A timed run of many consecutive steps of one program (autoregressive decode: one token per step),
 * where one integer constant may grow by one per step (the KV length): step {@code i} runs
 * {@code programAt(firstValue + i)}.
 *
 * <p><b>The model of a multi-step run.</b> The steps run back to back. The first step is emulated
 * as a run of its own (it pays every program load). Under hardware orchestration the static schedule
 * keeps every kernel's configuration on the device, so the later steps pay no program load
 * ({@link TimingOptions#withProgramsResident}); software orchestration reloads at every launch in
 * every step anyway. The later steps' times come from a {@link StepModel} over
 * {@code [firstValue + 1, firstValue + count - 1]}: fitted from a few emulated steps, or one
 * emulation per step ({@link Mode#EVERY_STEP}). When no constant varies, every later step is the same
 * and one emulation gives them all.
 */
public final class DecodeSteps {

    public enum Mode {
        /** A {@link StepModel#fit} from a few emulated steps. */
        FITTED,
        /** Every step emulated. */
        EVERY_STEP
    }

    /**
     * A multi-step run.
     *
     * @param first           the first step, emulated in full (what the trace and the report's timeline show)
     * @param later           the model of the later steps, present when there are any
     * @param count           steps in all
     * @param constant        the constant that grows by one per step, if any
     * @param firstValue      its value in the first step
     * @param totalSeconds    all steps back to back
     * @param tokens          tokens over all steps: the first step's tokens per run times {@code count}
     * @param tokensPerSecond tokens over {@code totalSeconds}, when the program has tokens
     */
    public record Result(TimingResult first, Optional<StepModel> later, long count, Optional<String> constant,
            long firstValue, double totalSeconds, long tokens, OptionalDouble tokensPerSecond) {

        /** Steps emulated to build the result: the first plus the model's samples. */
        public int emulatedSteps() {
            return 1 + later.map(m -> m.samples().size()).orElse(0);
        }
    }

    private DecodeSteps() {
    }

    /**
     * Times {@code count} steps.
     *
     * @param programAt  the program of the step where the constant has a value; with no constant, any
     *                   value gives the same program
     * @param constant   the constant that grows per step, or empty when every step is the same program
     * @param options    the timing options of every step ({@link TimingOptions#cancelled()} is polled
     *                   between steps too, and its progress hears the fraction of the steps' work done)
     * @throws CancellationException when cancelled
     */
    public static Result run(LongFunction<Program> programAt, Optional<String> constant, long firstValue, long count,
            TargetProfile profile, TimingOptions options, Mode mode) {
        if (count < 1) {
            throw new IllegalArgumentException("a multi-step run needs at least one step, not " + count);
        }
        DoubleConsumer progress = options.progress();
        TimingResult first = time(programAt.apply(firstValue), profile, options.withCancellation(options.cancelled(), f -> {
        }));
        progress.accept(count == 1 ? 1 : 1.0 / count);
        if (count == 1) {
            return new Result(first, Optional.empty(), 1, constant, firstValue, first.totalSeconds(), first.tokens(),
                    tokensPerSecond(first.tokens(), first.totalSeconds()));
        }
        TimingOptions later = options.withProgramsResident(true);
        double share = 1.0 / count;
        DoubleConsumer laterProgress = f -> progress.accept(share + (1 - share) * f);
        StepModel model;
        double laterSeconds;
        if (constant.isEmpty()) {
            model = StepModel.everyValue(v -> seconds(programAt, v, profile, later), firstValue, firstValue,
                    options.cancelled(), laterProgress);
            laterSeconds = (count - 1) * model.secondsFor(firstValue);
        } else {
            model = model(programAt, profile, later, firstValue + 1, firstValue + count - 1, mode, laterProgress);
            laterSeconds = model.totalSeconds(firstValue + 1, count - 1);
        }
        double total = first.totalSeconds() + laterSeconds;
        long tokens = first.tokens() * count;
        return new Result(first, Optional.of(model), count, constant, firstValue, total, tokens,
                tokensPerSecond(tokens, total));
    }

    /**
     * The step model of a program over {@code [first, last]}: the emulated seconds of one run of
     * {@code programAt(value)} with {@code options}, fitted or at every value. What a multi-step run
     * and the CoE simulator's per-token decode times use.
     */
    public static StepModel model(LongFunction<Program> programAt, TargetProfile profile, TimingOptions options,
            long first, long last, Mode mode, DoubleConsumer progress) {
        TimingOptions quiet = options.withCancellation(options.cancelled(), f -> { });
        return switch (mode) {
            case FITTED -> StepModel.fit(v -> seconds(programAt, v, profile, quiet), first, last,
                    StepModel.DEFAULT_TOLERANCE, options.cancelled(), progress);
            case EVERY_STEP -> StepModel.everyValue(v -> seconds(programAt, v, profile, quiet), first, last,
                    options.cancelled(), progress);
        };
    }

    private static double seconds(LongFunction<Program> programAt, long value, TargetProfile profile, TimingOptions options) {
        return time(programAt.apply(value), profile, options).totalSeconds();
    }

    private static TimingResult time(Program program, TargetProfile profile, TimingOptions options) {
        TimingResult r = TimingEmulator.run(program, profile, options);
        if (!r.complete()) {
            throw new CancellationException("cancelled while emulating the steps");
        }
        return r;
    }

    private static OptionalDouble tokensPerSecond(long tokens, double seconds) {
        return tokens > 0 && seconds > 0 ? OptionalDouble.of(tokens / seconds) : OptionalDouble.empty();
    }
}
