package io.rdustudio.core.ir;

import java.util.List;

/** One step of a schedule: a kernel call or a loop of steps. */
public sealed interface Step permits Step.KernelCall, Step.Loop {

    SourceLocation location();

    /**
     * A launch of a kernel instance. {@code inputs} bind the kernel's IN and STATE parameters in
     * order; {@code outputs} bind its OUT and STATE parameters in order.
     */
    record KernelCall(String kernel, List<TensorRef> inputs, List<TensorRef> outputs, SourceLocation location)
            implements Step {
        public KernelCall {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * {@code for variable in from..to}: the body runs {@code to - from} times. Loops are kept
     * symbolic: shapes do not depend on the loop variable, so one iteration stands for all.
     */
    record Loop(String variable, long from, long to, List<Step> body, SourceLocation location) implements Step {
        public Loop {
            body = List.copyOf(body);
        }

        public long tripCount() {
            return Math.max(0, to - from);
        }
    }
}
