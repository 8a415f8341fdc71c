package io.rdustudio.core.analysis.cost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.ParamMode;
import io.rdustudio.core.ir.Shape;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Value;

/**
 * Who defines each operand of each operation in a kernel. An operation that writes a state
 * parameter gives its result the parameter's name, so a name means the latest definition before
 * its use: the parameter until the write, the written value after it.
 */
final class Dataflow {

    /** The definition an operand refers to: a parameter ({@code op == -1}) or an operation's result. */
    record Definition(String name, TensorType type, KernelParam param, int op) {
        boolean isParam() {
            return op < 0;
        }
    }

    private final Kernel kernel;
    private final List<List<Definition>> operands = new ArrayList<>();
    private final List<List<Integer>> consumers = new ArrayList<>();
    private final Map<String, KernelParam> params = new HashMap<>();

    Dataflow(Kernel kernel) {
        this.kernel = kernel;
        Map<String, Definition> current = new HashMap<>();
        for (KernelParam p : kernel.params()) {
            params.put(p.name(), p);
            if (p.mode() != ParamMode.OUT) {
                current.put(p.name(), new Definition(p.name(), p.type(), p, -1));
            }
        }
        List<Operation> ops = kernel.operations();
        for (int i = 0; i < ops.size(); i++) {
            consumers.add(new ArrayList<>());
        }
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            List<Definition> defs = new ArrayList<>();
            for (String input : op.inputs()) {
                Definition d = current.get(input);
                if (d == null) {
                    // An unresolved name (a lowering error already reported): a scalar stand-in keeps the model going.
                    d = new Definition(input, new TensorType(DType.FP32, Shape.SCALAR), null, -2);
                }
                defs.add(d);
                if (d.op() >= 0) {
                    consumers.get(d.op()).add(i);
                }
            }
            operands.add(defs);
            for (Value v : op.outputs()) {
                current.put(v.name(), new Definition(v.name(), v.type(), null, i));
            }
        }
    }

    Kernel kernel() {
        return kernel;
    }

    List<Definition> operands(int op) {
        return operands.get(op);
    }

    /** Operations that read a result of {@code op}, in order. */
    List<Integer> consumers(int op) {
        return consumers.get(op);
    }

    /** The OUT or STATE parameter an operation's result is written to, if any. */
    KernelParam writtenParam(int op, Value output) {
        KernelParam p = params.get(output.name());
        return p != null && p.mode() != ParamMode.IN ? p : null;
    }
}
