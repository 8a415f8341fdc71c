package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.Shape;
import io.rdustudio.core.ir.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * A dense, row-major tensor of one element type. Floating types (BF16, FP32, FP8) are held in a
 * {@code float[]}, integer types (INT32, INT8) in an {@code int[]}. Every write goes through
 * {@link #set(int, double)} or {@link #setInt(int, long)}, which round to the element type
 * ({@link #round(DType, double)}), so a tensor only ever holds values of its type.
 *
 * <p>Operators produce fresh tensors and never change their inputs; the program executor writes
 * kernel results into program tensors with {@link #writeSlice}.
 */
public final class Tensor {

    private final TensorType type;
    private final int[] dims;
    private final float[] floats;
    private final int[] ints;

    private Tensor(TensorType type, float[] floats, int[] ints) {
        this.type = type;
        this.dims = dimsOf(type.shape());
        this.floats = floats;
        this.ints = ints;
    }

    /** A tensor of zeros. */
    public static Tensor zeros(TensorType type) {
        int n = elementsOf(type);
        return isIntegral(type.dtype()) ? new Tensor(type, null, new int[n]) : new Tensor(type, new float[n], null);
    }

    public static Tensor zeros(DType dtype, long... dims) {
        return zeros(new TensorType(dtype, Shape.of(dims)));
    }

    /** A tensor of the given values, each rounded to the element type. */
    public static Tensor of(TensorType type, double... values) {
        Tensor t = zeros(type);
        if (values.length != t.size()) {
            throw new IllegalArgumentException(type + " holds " + t.size() + " elements, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            t.set(i, values[i]);
        }
        return t;
    }

    /**
     * Wraps {@code data} (not copied) as a floating tensor after rounding it in place to the element
     * type; the fast paths use this to hand over a buffer they filled in FP32.
     */
    public static Tensor wrapRounding(TensorType type, float[] data) {
        if (isIntegral(type.dtype()) || data.length != elementsOf(type)) {
            throw new IllegalArgumentException("cannot wrap " + data.length + " floats as " + type);
        }
        roundInPlace(type.dtype(), data, 0, data.length);
        return new Tensor(type, data, null);
    }

    /** Wraps {@code data} (not copied) as an integer tensor after saturating it to the element type. */
    public static Tensor wrapInts(TensorType type, int[] data) {
        if (!isIntegral(type.dtype()) || data.length != elementsOf(type)) {
            throw new IllegalArgumentException("cannot wrap " + data.length + " ints as " + type);
        }
        if (type.dtype() == DType.INT8) {
            for (int i = 0; i < data.length; i++) {
                data[i] = Math.max(-128, Math.min(127, data[i]));
            }
        }
        return new Tensor(type, null, data);
    }

    public TensorType type() {
        return type;
    }

    public DType dtype() {
        return type.dtype();
    }

    public Shape shape() {
        return type.shape();
    }

    public int rank() {
        return dims.length;
    }

    /** Dimensions as ints (a copy). */
    public int[] dims() {
        return dims.clone();
    }

    public int dim(int axis) {
        return dims[axis];
    }

    public int size() {
        return floats != null ? floats.length : ints.length;
    }

    /** Whether the elements are held as ints (INT32, INT8). */
    public boolean isIntegral() {
        return ints != null;
    }

    /** Element {@code i} in row-major order as a double (exact for every element type). */
    public double get(int i) {
        return floats != null ? floats[i] : ints[i];
    }

    public float getFloat(int i) {
        return floats != null ? floats[i] : ints[i];
    }

    public int getInt(int i) {
        return ints != null ? ints[i] : (int) floats[i];
    }

    /** Writes element {@code i}, rounded to the element type. */
    public void set(int i, double value) {
        if (floats != null) {
            floats[i] = round(type.dtype(), value);
        } else {
            ints[i] = toInt(type.dtype(), value);
        }
    }

    /** Writes an integer to element {@code i}, converted (floating) or saturated (INT8). */
    public void setInt(int i, long value) {
        if (floats != null) {
            floats[i] = round(type.dtype(), (double) value);
        } else {
            ints[i] = saturate(type.dtype(), value);
        }
    }

    /** The element storage, shared, for the fast paths of this package; null for integer tensors. */
    float[] floatData() {
        return floats;
    }

    /** The element storage, shared, for the fast paths of this package; null for floating tensors. */
    int[] intData() {
        return ints;
    }

    /** Every element as a double, in row-major order (a copy). */
    public double[] toDoubleArray() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    public Tensor copy() {
        return new Tensor(type, floats == null ? null : floats.clone(), ints == null ? null : ints.clone());
    }

    /** The same elements with another shape of the same element count (a copy). */
    public Tensor reshaped(Shape shape) {
        TensorType t = type.withShape(shape);
        if (elementsOf(t) != size()) {
            throw new IllegalArgumentException("cannot reshape " + type + " to " + shape);
        }
        return new Tensor(t, floats == null ? null : floats.clone(), ints == null ? null : ints.clone());
    }

    /**
     * The sub-tensor at the given leading indices ({@code w[3]} of a {@code [L, D, D]} weight is
     * {@code slice(3)}, a {@code [D, D]} copy).
     */
    public Tensor slice(long... leading) {
        int offset = sliceOffset(leading);
        Shape rest = new Shape(type.shape().dims().subList(leading.length, dims.length));
        Tensor out = zeros(type.withShape(rest));
        copyRange(this, offset, out, 0, out.size());
        return out;
    }

    /** Overwrites the sub-tensor at the given leading indices with {@code value}, which must have its shape. */
    public void writeSlice(Tensor value, long... leading) {
        int offset = sliceOffset(leading);
        List<Long> rest = type.shape().dims().subList(leading.length, dims.length);
        if (!rest.equals(value.shape().dims()) || value.dtype() != dtype()) {
            throw new IllegalArgumentException("cannot write " + value.type() + " into " + type + " at "
                    + Arrays.toString(leading));
        }
        copyRange(value, 0, this, offset, value.size());
    }

    private int sliceOffset(long[] leading) {
        if (leading.length > dims.length) {
            throw new IllegalArgumentException(leading.length + " indices into " + type);
        }
        long offset = 0;
        for (int a = 0; a < leading.length; a++) {
            if (leading[a] < 0 || leading[a] >= dims[a]) {
                throw new IndexOutOfBoundsException("index " + leading[a] + " of axis " + a + " of " + type);
            }
            offset = offset * dims[a] + leading[a];
        }
        for (int a = leading.length; a < dims.length; a++) {
            offset *= dims[a];
        }
        return (int) offset;
    }

    private static void copyRange(Tensor from, int fromOffset, Tensor to, int toOffset, int count) {
        if (from.floats != null) {
            System.arraycopy(from.floats, fromOffset, to.floats, toOffset, count);
        } else {
            System.arraycopy(from.ints, fromOffset, to.ints, toOffset, count);
        }
    }

    /** Whether every element is finite (always for integer tensors). */
    public boolean allFinite() {
        if (floats == null) {
            return true;
        }
        for (float f : floats) {
            if (!Float.isFinite(f)) {
                return false;
            }
        }
        return true;
    }

    // ---- element types

    /** Integer element types are held as ints. */
    public static boolean isIntegral(DType dtype) {
        return dtype == DType.INT32 || dtype == DType.INT8;
    }

    /**
     * {@code value} rounded to a floating element type: FP32 by IEEE round-to-nearest-even,
     * BF16 by {@link Bf16#round}, FP8 by {@link Fp8}. Integer types convert as {@link #toInt}.
     */
    public static float round(DType dtype, double value) {
        return switch (dtype) {
            case FP32 -> (float) value;
            case BF16 -> Bf16.round((float) value);
            case FP8E4M3 -> Fp8.roundE4m3((float) value);
            case FP8E5M2 -> Fp8.roundE5m2((float) value);
            case INT32, INT8 -> toInt(dtype, value);
        };
    }

    /** Rounds {@code data[from, to)}, already FP32 values, in place to a floating element type. */
    static void roundInPlace(DType dtype, float[] data, int from, int to) {
        switch (dtype) {
            case FP32 -> { }
            case BF16 -> Bf16.roundAll(data, from, to);
            case FP8E4M3 -> {
                for (int i = from; i < to; i++) {
                    data[i] = Fp8.roundE4m3(data[i]);
                }
            }
            case FP8E5M2 -> {
                for (int i = from; i < to; i++) {
                    data[i] = Fp8.roundE5m2(data[i]);
                }
            }
            default -> throw new IllegalArgumentException(dtype + " is not floating");
        }
    }

    /**
     * A real number converted to an integer type: truncated toward zero (as C and NumPy's
     * {@code astype} do) and saturated to the type's range; NaN becomes 0.
     */
    public static int toInt(DType dtype, double value) {
        if (Double.isNaN(value)) {
            return 0;
        }
        double truncated = value < 0 ? Math.ceil(value) : Math.floor(value);
        double lo = dtype == DType.INT8 ? -128 : Integer.MIN_VALUE;
        double hi = dtype == DType.INT8 ? 127 : Integer.MAX_VALUE;
        return (int) Math.max(lo, Math.min(hi, truncated));
    }

    static int saturate(DType dtype, long value) {
        long lo = dtype == DType.INT8 ? -128 : Integer.MIN_VALUE;
        long hi = dtype == DType.INT8 ? 127 : Integer.MAX_VALUE;
        return (int) Math.max(lo, Math.min(hi, value));
    }

    static int elementsOf(TensorType type) {
        long n = type.shape().elements();
        if (n > MAX_ELEMENTS) {
            throw new IllegalArgumentException(type + " has " + n + " elements; the emulator holds at most "
                    + MAX_ELEMENTS + " per tensor");
        }
        return (int) n;
    }

    /** The most elements one tensor can hold (a Java array's limit). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static int[] dimsOf(Shape shape) {
        int[] d = new int[shape.rank()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (int) shape.dim(i);
        }
        return d;
    }

    @Override
    public String toString() {
        return "Tensor" + type;
    }
}
