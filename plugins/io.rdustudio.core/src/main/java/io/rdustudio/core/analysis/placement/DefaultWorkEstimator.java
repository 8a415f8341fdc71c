package io.rdustudio.core.analysis.placement;

import java.util.Map;

import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.OpCategory;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.Value;

/**
 * A local count: {@code 2 x M x N x K} (times the batch) for a matmul, the result's element count
 * for every other stage. Deliberately simple; transcendentals and reductions count one operation
 * per element.
 */
public final class DefaultWorkEstimator implements WorkEstimator {

    public static final DefaultWorkEstimator INSTANCE = new DefaultWorkEstimator();

    @Override
    public double work(Kernel kernel, Operation op) {
        double outElements = 0;
        for (Value v : op.outputs()) {
            outElements += elements(v);
        }
        if (op.kind().category() == OpCategory.MATMUL && !op.inputs().isEmpty()) {
            Map<String, Value> values = kernel.values();
            Value a = values.get(op.inputs().get(0));
            if (a != null && a.type().shape().rank() > 0) {
                long k = a.type().shape().dim(a.type().shape().rank() - 1);
                return Math.max(1, 2.0 * outElements * k);
            }
        }
        return Math.max(1, outElements);
    }

    private static double elements(Value v) {
        double n = 1;
        for (long d : v.type().shape().dims()) {
            n *= d;
        }
        return n;
    }
}
