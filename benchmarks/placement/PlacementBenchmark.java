// Placement of a 200-operator kernel: the target is under 500 ms per placement.
//
// A plain main, run as a single-file source program against the core's classes (built in the
// reactor, nothing installed):
//   ./mvnw -q -o -pl plugins/io.rdustudio.core compile
//   java -cp plugins/io.rdustudio.core/target/classes:$HOME/.m2/repository/com/google/code/gson/gson/2.13.2/gson-2.13.2.jar \
//        benchmarks/placement/PlacementBenchmark.java
// It warms up, then prints the median and the worst of the timed placements.

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.rdustudio.core.analysis.placement.Placement;
import io.rdustudio.core.analysis.placement.Placer;
import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelHints;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.OpAttributes;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.ParamMode;
import io.rdustudio.core.ir.Shape;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Value;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;

public class PlacementBenchmark {

    static final SourceLocation HERE = SourceLocation.UNKNOWN;

    /** 200 operators: every fourth a [4096 x 1024] x [1024 x 1024] matmul, the rest element-wise. */
    static Kernel kernel200() {
        TensorType act = new TensorType(DType.BF16, Shape.of(4096, 1024));
        TensorType w = new TensorType(DType.BF16, Shape.of(1024, 1024));
        List<KernelParam> params = List.of(new KernelParam("x", ParamMode.IN, act, HERE),
                new KernelParam("w", ParamMode.IN, w, HERE), new KernelParam("y", ParamMode.OUT, act, HERE));
        List<Operation> ops = new ArrayList<>();
        String prev = "x";
        for (int i = 0; i < 200; i++) {
            String name = i == 199 ? "y" : "v" + i;
            OpKind kind = i % 4 == 0 ? OpKind.MATMUL : i % 4 == 1 ? OpKind.SILU : OpKind.ADD;
            List<String> in = kind == OpKind.MATMUL ? List.of(prev, "w") : kind == OpKind.SILU ? List.of(prev)
                    : List.of(prev, i >= 2 ? "v" + (i - 2) : "x");
            ops.add(new Operation(kind, in, List.of(new Value(name, act)), OpAttributes.NONE, HERE));
            prev = name;
        }
        return new Kernel("k200", "k200", params, ops, KernelHints.NONE, HERE);
    }

    public static void main(String[] args) {
        TargetProfile sn40l = TargetProfiles.load("sn40l");
        Kernel kernel = kernel200();
        for (int i = 0; i < 5; i++) {
            Placer.place(kernel, sn40l);
        }
        int runs = 10;
        double[] millis = new double[runs];
        Placement last = null;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            last = Placer.place(kernel, sn40l);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf("placement of a 200-operator kernel (%d units): median %.1f ms, worst %.1f ms (target < 500 ms)%n",
                last.units().size(), millis[runs / 2], millis[runs - 1]);
        System.out.printf("wire length %.3g byte-hops; row-major %.3g; random %.3g%n", last.wireLengthByteHops(),
                last.rowMajorByteHops(), last.randomByteHops());
    }
}
