package io.rdustudio.core.ir;

/** A dtype and a shape, e.g. {@code bf16[4096, 4096]}. */
public record TensorType(DType dtype, Shape shape) {

    public long bytes() {
        return Math.multiplyExact(shape.elements(), (long) dtype.bytes());
    }

    public TensorType withShape(Shape newShape) {
        return new TensorType(dtype, newShape);
    }

    public TensorType withDType(DType newType) {
        return new TensorType(newType, shape);
    }

    @Override
    public String toString() {
        return dtype.keyword() + shape;
    }
}
