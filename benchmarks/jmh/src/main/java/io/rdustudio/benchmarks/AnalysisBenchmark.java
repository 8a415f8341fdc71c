package io.rdustudio.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.lowering.DfkLowering;

/**
 * The full static analysis ({@link ProgramAnalysis}: memory plan, cost, fusion, bandwidth) of an
 * example on {@code sn40l-node}; issue 3's budget is under 100 ms warm for the Llama2-7B decode
 * example. {@link #lowerAndAnalyse} adds the lowering from an already parsed and linked syntax tree
 * (what an editor pays after an edit, parsing aside).
 *
 * <p>Run from the repository root (the example path is relative to it):
 * {@code java -jar benchmarks/jmh/target/benchmarks.jar -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AnalysisBenchmark {

    @Param({ "examples/llama2_7b_decode.dfk" })
    public String example;

    private TargetProfile profile;
    private Program program;
    private Model model;

    @Setup(Level.Trial)
    public void setUp() {
        Example loaded = Example.load(example);
        program = loaded.program();
        model = loaded.model();
        profile = TargetProfiles.load("sn40l-node");
    }

    @Benchmark
    public ProgramAnalysis.Result analyse() {
        return ProgramAnalysis.analyse(program, profile, () -> false);
    }

    @Benchmark
    public ProgramAnalysis.Result lowerAndAnalyse() {
        return ProgramAnalysis.analyse(DfkLowering.lower(model).program(), profile, () -> false);
    }
}
