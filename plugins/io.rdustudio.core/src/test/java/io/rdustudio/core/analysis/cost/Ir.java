package io.rdustudio.core.analysis.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

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

/** A small builder of hand-made kernels for the cost and fusion tests. */
public final class Ir {

    private final String name;
    private final List<KernelParam> params = new ArrayList<>();
    private final List<Operation> ops = new ArrayList<>();
    private int tp = 1;
    private int line = 1;

    private Ir(String name) {
        this.name = name;
    }

    public static Ir kernel(String name) {
        return new Ir(name);
    }

    public static TensorType bf16(long... dims) {
        return new TensorType(DType.BF16, Shape.of(dims));
    }

    public Ir in(String param, TensorType type) {
        params.add(new KernelParam(param, ParamMode.IN, type, loc()));
        return this;
    }

    public Ir out(String param, TensorType type) {
        params.add(new KernelParam(param, ParamMode.OUT, type, loc()));
        return this;
    }

    public Ir state(String param, TensorType type) {
        params.add(new KernelParam(param, ParamMode.STATE, type, loc()));
        return this;
    }

    public Ir tp(int sockets) {
        this.tp = sockets;
        return this;
    }

    public Ir op(String result, OpKind kind, TensorType type, String... inputs) {
        return op(result, kind, type, OpAttributes.NONE, inputs);
    }

    public Ir op(String result, OpKind kind, TensorType type, OpAttributes attributes, String... inputs) {
        ops.add(new Operation(kind, List.of(inputs), List.of(new Value(result, type)), attributes, loc()));
        return this;
    }

    public Kernel build() {
        return new Kernel(name, name, params, ops, new KernelHints(tp, OptionalInt.empty(), OptionalLong.empty()),
                new SourceLocation("mem:/" + name + ".dfk", 0, 1, 1, 1));
    }

    private SourceLocation loc() {
        int l = line++;
        return new SourceLocation("mem:/" + name + ".dfk", l * 10, 5, l, 1);
    }
}
