package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.OpAttributes;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Shape;
import io.rdustudio.core.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/** Cutting a tensor into per-socket slices and putting them back: the data side of tensor parallelism. */
final class Shards {

    private Shards() {
    }

    /** Slice {@code socket} of {@code degree} equal contiguous slices along {@code axis}. */
    static Tensor slice(Tensor whole, int axis, int socket, int degree) {
        int size = whole.dim(axis) / degree;
        List<Long> dims = new ArrayList<>(whole.shape().dims());
        dims.set(axis, (long) size);
        OpAttributes attrs = new OpAttributes.Builder().integer("axis", axis).integer("start", (long) socket * size)
                .integer("end", (long) (socket + 1) * size).build();
        return Operators.apply(OpKind.SLICE, List.of(whole), attrs, List.of(whole.type().withShape(new Shape(dims))))
                .get(0);
    }

    /** The shards concatenated along {@code axis}, in socket order. */
    static Tensor join(List<Tensor> shards, int axis) {
        List<Long> dims = new ArrayList<>(shards.get(0).shape().dims());
        dims.set(axis, dims.get(axis) * shards.size());
        TensorType type = shards.get(0).type().withShape(new Shape(dims));
        return Operators.apply(OpKind.CONCAT, shards, new OpAttributes.Builder().integer("axis", axis).build(),
                List.of(type)).get(0);
    }

    /** The element-wise sum of the sockets' tensors in FP32 (exactly, for integers), in socket order, rounded once. */
    static Tensor sum(List<Tensor> parts, TensorType type) {
        Tensor out = Tensor.zeros(type);
        for (int i = 0; i < out.size(); i++) {
            if (out.isIntegral()) {
                long acc = 0;
                for (Tensor p : parts) {
                    acc += p.getInt(i);
                }
                out.setInt(i, acc);
            } else {
                float acc = 0f;
                for (Tensor p : parts) {
                    acc += p.getFloat(i);
                }
                out.set(i, acc);
            }
        }
        return out;
    }
}
