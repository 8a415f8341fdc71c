package io.rdustudio.emulator.numeric;

import static io.rdustudio.emulator.numeric.Ir.bf16;
import static io.rdustudio.emulator.numeric.Ir.int32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rdustudio.core.ir.DType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsFloatsAndInts() {
        Tensor x = Tensor.of(bf16(2, 3), 1, -2.5, 3.140625, 0, 1e-3, 65504);
        Path f = dir.resolve("x.npy");
        Npy.write(x, f);
        Tensor back = Npy.read(f, "x", bf16(2, 3));
        assertEquals(DType.FP32, back.dtype(), "bf16 is written as <f4");
        assertArrayEquals(x.toDoubleArray(), back.toDoubleArray());
        Tensor ids = Tensor.of(int32(4), 1, -2, 3, Integer.MAX_VALUE);
        Npy.write(ids, dir.resolve("ids.npy"));
        assertArrayEquals(ids.toDoubleArray(), Npy.read(dir.resolve("ids.npy")).toDoubleArray());
        Tensor scalar = Tensor.of(bf16(), 2);
        Npy.write(scalar, dir.resolve("s.npy"));
        assertEquals(0, Npy.read(dir.resolve("s.npy")).rank());
    }

    @Test
    void readsVersion2HeadersAndConvertsWideTypes() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-3);
        Tensor t = Npy.parse(file(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", data.array()), "v2.npy");
        assertArrayEquals(new double[] {(float) 0.1, -3}, t.toDoubleArray());
        ByteBuffer longs = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(1L << 40);
        NumericException e = assertThrows(NumericException.class, () -> Npy.parse(
                file(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", longs.array()), "big.npy"));
        assertTrue(e.getMessage().startsWith("big.npy holds 1099511627776 at element 1, outside the int32 range"),
                e.getMessage());
    }

    @Test
    void malformedFilesAreNamedWithWhatIsWrong() throws Exception {
        Path notNpy = dir.resolve("text.npy");
        Files.writeString(notNpy, "hello");
        assertMessage(() -> Npy.read(notNpy), notNpy + " is not a .npy file");
        assertMessage(() -> Npy.parse(file(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]),
                "be.npy"), "be.npy holds elements of type '>f4'");
        assertMessage(() -> Npy.parse(file(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", new byte[4]),
                "f.npy"), "f.npy holds a Fortran-order array");
        assertMessage(() -> Npy.parse(file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", new byte[4]),
                "short.npy"), "short.npy should hold 12 bytes of data for shape [3] of '<f4' but holds 4");
        assertMessage(() -> Npy.parse(file(1, "{'fortran_order': False, 'shape': (1,), }", new byte[4]), "h.npy"),
                "h.npy has a malformed .npy header: no 'descr' entry");
        Path ok = dir.resolve("ok.npy");
        Npy.write(Tensor.zeros(bf16(3, 2)), ok);
        assertMessage(() -> Npy.read(ok, "x", bf16(2, 3)),
                ok + " holds an array of shape [3, 2] but x is declared bf16[2, 3]");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable run, String start) {
        NumericException e = assertThrows(NumericException.class, run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    private static byte[] file(int version, String header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        String padded = header + " ".repeat(15) + "\n";
        byte[] h = padded.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer len = ByteBuffer.allocate(version == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (version == 1) {
            len.putShort((short) h.length);
        } else {
            len.putInt(h.length);
        }
        out.writeBytes(len.array());
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }
}
