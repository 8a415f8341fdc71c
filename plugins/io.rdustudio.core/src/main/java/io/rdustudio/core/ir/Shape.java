package io.rdustudio.core.ir;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A concrete tensor shape. Dimensions are positive; a rank-0 shape is a scalar.
 * Element counts use exact arithmetic: {@link #elements()} throws {@link ArithmeticException}
 * on overflow, which front ends turn into a diagnostic.
 */
public record Shape(List<Long> dims) {

    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(long... dims) {
        Long[] boxed = new Long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            boxed[i] = dims[i];
        }
        return new Shape(List.of(boxed));
    }

    public static final Shape SCALAR = new Shape(List.of());

    public int rank() {
        return dims.size();
    }

    public long dim(int axis) {
        return dims.get(axis);
    }

    public long elements() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The shape with the leading dimension removed (what {@code w[l]} selects). */
    public Shape dropLeading() {
        return new Shape(dims.subList(1, dims.size()));
    }

    @Override
    public String toString() {
        return dims.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }
}
