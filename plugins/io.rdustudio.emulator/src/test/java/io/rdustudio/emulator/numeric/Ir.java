package io.rdustudio.emulator.numeric;

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
import io.rdustudio.core.ops.ShapeInference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Hand-built IR for tests: kernels whose result types come from ShapeInference, as the lowering's do. */
public final class Ir {

    public static TensorType bf16(long... dims) {
        return new TensorType(DType.BF16, Shape.of(dims));
    }

    public static TensorType fp32(long... dims) {
        return new TensorType(DType.FP32, Shape.of(dims));
    }

    public static TensorType int32(long... dims) {
        return new TensorType(DType.INT32, Shape.of(dims));
    }

    public static SourceLocation at(int line) {
        return new SourceLocation("test.dfk", line * 10, 5, line, 5);
    }

    /** A kernel under construction. */
    public static final class KernelBuilder {
        private final String name;
        private final List<KernelParam> params = new ArrayList<>();
        private final List<Operation> ops = new ArrayList<>();
        private final Map<String, TensorType> types = new HashMap<>();
        private int tp = 1;

        KernelBuilder(String name) {
            this.name = name;
        }

        public KernelBuilder in(String param, TensorType type) {
            return param(param, ParamMode.IN, type);
        }

        public KernelBuilder state(String param, TensorType type) {
            return param(param, ParamMode.STATE, type);
        }

        public KernelBuilder out(String param, TensorType type) {
            return param(param, ParamMode.OUT, type);
        }

        private KernelBuilder param(String param, ParamMode mode, TensorType type) {
            params.add(new KernelParam(param, mode, type, at(1)));
            types.put(param, type);
            return this;
        }

        public KernelBuilder tp(int degree) {
            tp = degree;
            return this;
        }

        public KernelBuilder op(String result, OpKind kind, OpAttributes attrs, String... inputs) {
            return op(List.of(result), kind, attrs, inputs);
        }

        public KernelBuilder op(List<String> results, OpKind kind, OpAttributes attrs, String... inputs) {
            List<TensorType> in = new ArrayList<>();
            for (String i : inputs) {
                in.add(types.get(i));
            }
            ShapeInference.Inference inf = ShapeInference.infer(kind, in, attrs, tp);
            if (!inf.ok()) {
                throw new IllegalArgumentException(inf.error());
            }
            List<Value> outs = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                outs.add(new Value(results.get(i), inf.outputs().get(i)));
                types.put(results.get(i), inf.outputs().get(i));
            }
            ops.add(new Operation(kind, List.of(inputs), outs, attrs == null ? OpAttributes.NONE : attrs,
                    at(ops.size() + 2)));
            return this;
        }

        public Kernel build() {
            KernelHints hints = new KernelHints(tp, java.util.OptionalInt.empty(), java.util.OptionalLong.empty());
            return new Kernel(name, name, params, ops, hints, at(1));
        }
    }

    public static KernelBuilder kernel(String name) {
        return new KernelBuilder(name);
    }

    public static OpAttributes.Builder attrs() {
        return new OpAttributes.Builder();
    }

    private Ir() {
    }
}
