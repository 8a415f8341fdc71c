package io.rdustudio.benchmarks;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.lowering.DfkLowering;
import io.rdustudio.emulator.steps.DecodeSteps;
import io.rdustudio.emulator.timing.TimingEmulator;
import io.rdustudio.emulator.timing.TimingOptions;
import io.rdustudio.emulator.timing.TimingResult;

/**
 * The timing emulator on the Llama2-7B decode example (32 layers, 8 sockets, {@code sn40l-node}),
 * issue 4's "Speed": one decode step under 200 ms; 1,000 decode steps under 5 s. The steps grow the
 * KV cache from S = 3,097 to 4,096 ({@code dfk run --timing-only --steps 1000 --vary S=3097}); each
 * emulated step lowers the example again with its S, as the CLI does. {@link #thousandDecodeSteps}
 * fits the per-step model (the default); {@link #thousandDecodeStepsEveryStep} emulates all of them,
 * the figure the model saves.
 *
 * <p>Run from the repository root: {@code java -jar benchmarks/jmh/target/benchmarks.jar Timing -f 1}.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TimingBenchmark {

    private static final String EXAMPLE = "examples/llama2_7b_decode.dfk";

    private TargetProfile node;
    private Program program;
    private Model model;

    @Setup(Level.Trial)
    public void setUp() {
        Example example = Example.load(EXAMPLE);
        program = example.program();
        model = example.model();
        node = TargetProfiles.load("sn40l-node");
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3)
    @Measurement(iterations = 5)
    public TimingResult oneDecodeStep() {
        return TimingEmulator.run(program, node, TimingOptions.DEFAULT);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3)
    @Measurement(iterations = 5)
    public DecodeSteps.Result thousandDecodeSteps() {
        return steps(DecodeSteps.Mode.FITTED);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public DecodeSteps.Result thousandDecodeStepsEveryStep() {
        return steps(DecodeSteps.Mode.EVERY_STEP);
    }

    private DecodeSteps.Result steps(DecodeSteps.Mode mode) {
        return DecodeSteps.run(s -> DfkLowering.lower(model, Map.of("S", s)).program(), Optional.of("S"), 3097, 1000, node,
                TimingOptions.DEFAULT, mode);
    }
}
