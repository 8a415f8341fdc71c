package io.rdustudio.core.ir;

import java.util.List;

/**
 * One operator application inside a kernel, with its inferred result types.
 *
 * @param inputs  names of kernel parameters or results of earlier operations, in order
 * @param outputs the results (one, or two for {@code topk}); names are unique within the kernel
 */
public record Operation(OpKind kind, List<String> inputs, List<Value> outputs, OpAttributes attributes,
        SourceLocation location) {

    public Operation {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Value output() {
        return outputs.get(0);
    }
}
