package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.Shape;
import io.rdustudio.core.ir.TensorType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (version 1.0 and 2.0 headers; NEP 1): how tensors enter and leave a run.
 *
 * <ul>
 * <li>Read: little-endian {@code <f4} and {@code <f8} (converted to FP32) give an FP32 tensor;
 *     {@code <i4} and {@code <i8} (range-checked) give an INT32 tensor; C order only. The caller
 *     converts to the declared type ({@link NumericRun#inputs}).</li>
 * <li>Write: floating tensors (BF16, FP8 and FP32 alike) as {@code <f4}, since NumPy has no BF16
 *     type (the values are exact: a BF16 number is an FP32 number); integer tensors as {@code <i4}.</li>
 * </ul>
 * Every error names the file and what is wrong with it.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Reads a tensor from {@code file}. */
    public static Tensor read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new NumericException("cannot read " + file + ": " + e.getMessage());
        }
        return parse(bytes, file.toString());
    }

    /** Reads {@code file} and checks that its shape is that of {@code declared} ({@code name}'s type). */
    public static Tensor read(Path file, String name, TensorType declared) {
        Tensor t = read(file);
        if (!t.shape().equals(declared.shape())) {
            throw new NumericException(file + " holds an array of shape " + t.shape() + " but " + name + " is declared "
                    + declared + "; give an array of shape " + declared.shape());
        }
        return t;
    }

    static Tensor parse(byte[] bytes, String file) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.length <= i || bytes[i] != MAGIC[i]) {
                throw new NumericException(file + " is not a .npy file: it does not start with \\x93NUMPY");
            }
        }
        if (bytes.length < 10) {
            throw new NumericException(file + " is truncated: it ends inside the .npy preamble");
        }
        int major = bytes[6];
        int headerLength;
        int headerStart;
        ByteBuffer preamble = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            headerLength = Short.toUnsignedInt(preamble.getShort(8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new NumericException(file + " is truncated: it ends inside the .npy preamble");
            }
            headerLength = preamble.getInt(8);
            headerStart = 12;
        } else {
            throw new NumericException(file + " has .npy format version " + major + "." + bytes[7]
                    + "; versions 1.0, 2.0 and 3.0 are read");
        }
        if (headerLength < 0 || headerStart + (long) headerLength > bytes.length) {
            throw new NumericException(file + " is truncated: its header claims " + headerLength + " bytes");
        }
        String header = new String(bytes, headerStart, headerLength, StandardCharsets.ISO_8859_1);
        String descr = field(DESCR, header, "descr", file);
        if ("True".equals(field(ORDER, header, "fortran_order", file))) {
            throw new NumericException(file + " holds a Fortran-order array; save it in C order"
                    + " (numpy.ascontiguousarray) and try again");
        }
        List<Long> dims = new ArrayList<>();
        for (String part : field(SHAPE, header, "shape", file).split(",")) {
            String d = part.trim();
            if (d.isEmpty()) {
                continue;
            }
            try {
                dims.add(Long.parseLong(d.endsWith("L") ? d.substring(0, d.length() - 1) : d));
            } catch (NumberFormatException e) {
                throw new NumericException(file + " has a malformed shape in its header: (" + field(SHAPE, header, "shape",
                        file) + ")");
            }
        }
        Shape shape = new Shape(dims);
        int width;
        DType dtype;
        switch (descr) {
            case "<f4" -> { width = 4; dtype = DType.FP32; }
            case "<f8" -> { width = 8; dtype = DType.FP32; }
            case "<i4" -> { width = 4; dtype = DType.INT32; }
            case "<i8" -> { width = 8; dtype = DType.INT32; }
            default -> throw new NumericException(file + " holds elements of type '" + descr + "'; the emulator reads"
                    + " little-endian <f4, <f8, <i4 and <i8 (convert with numpy's astype)");
        }
        long elements;
        try {
            elements = shape.elements();
        } catch (ArithmeticException e) {
            elements = Long.MAX_VALUE;
        }
        if (elements > Tensor.MAX_ELEMENTS) {
            throw new NumericException(file + " holds " + shape + ", too many elements for one emulated tensor");
        }
        int dataStart = headerStart + headerLength;
        long expected = elements * width;
        if (bytes.length - dataStart != expected) {
            throw new NumericException(file + " should hold " + expected + " bytes of data for shape " + shape + " of '"
                    + descr + "' but holds " + (bytes.length - dataStart));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) expected).order(ByteOrder.LITTLE_ENDIAN);
        Tensor t = Tensor.zeros(new TensorType(dtype, shape));
        for (int i = 0; i < elements; i++) {
            switch (descr) {
                case "<f4" -> t.set(i, data.getFloat());
                case "<f8" -> t.set(i, data.getDouble());
                case "<i4" -> t.setInt(i, data.getInt());
                default -> {
                    long v = data.getLong();
                    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                        throw new NumericException(file + " holds " + v + " at element " + i
                                + ", outside the int32 range the emulator's integer tensors hold");
                    }
                    t.setInt(i, v);
                }
            }
        }
        return t;
    }

    private static String field(Pattern pattern, String header, String key, String file) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new NumericException(file + " has a malformed .npy header: no '" + key + "' entry in " + header.trim());
        }
        return m.group(1);
    }

    /** Writes {@code tensor} to {@code file} (version 1.0 header). */
    public static void write(Tensor tensor, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes(tensor));
        } catch (IOException e) {
            throw new NumericException("cannot write " + file + ": " + e.getMessage());
        }
    }

    static byte[] bytes(Tensor tensor) {
        StringBuilder shape = new StringBuilder("(");
        for (long d : tensor.shape().dims()) {
            shape.append(d).append(", ");
        }
        if (tensor.rank() > 1) {
            shape.setLength(shape.length() - 2);
        } else if (tensor.rank() == 1) {
            shape.setLength(shape.length() - 1);
        }
        shape.append(')');
        String descr = tensor.isIntegral() ? "<i4" : "<f4";
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape
                + ", }");
        int total = MAGIC.length + 4 + header.length() + 1;
        header.append(" ".repeat((64 - total % 64) % 64)).append('\n');
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 4 * tensor.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < tensor.size(); i++) {
            if (tensor.isIntegral()) {
                buf.putInt(tensor.getInt(i));
            } else {
                buf.putFloat(tensor.getFloat(i));
            }
        }
        return buf.array();
    }

    /** Reads a tensor from a stream (the whole stream); {@code name} stands for the file in messages. */
    public static Tensor read(InputStream in, String name) throws IOException {
        return parse(in.readAllBytes(), name);
    }
}
