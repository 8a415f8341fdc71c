package io.rdustudio.emulator.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rdustudio.core.ir.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel selection in JVMs started otherwise than the test JVM: {@link #main} runs in a child JVM
 * on the test classpath and prints the kernel {@link MatMul} selected and a digest of the bits of
 * a few matmuls; the test compares them with the Vector API kernel's in this JVM.
 */
class MatMulFallbackTest {

    private static final List<MatMulTest.Case> CASES = List.of(
            MatMulTest.Case.of(67, 131, 53, false),
            MatMulTest.Case.of(67, 131, 53, true),
            MatMulTest.Case.of(130, 257, 600, false));

    /** In the child JVM: the selected kernel's description, then the digest of its results. */
    public static void main(String[] args) {
        System.out.println(MatMul.selected().description());
        System.out.println(digest(MatMul.selected()));
    }

    private static String digest(MatMul.Kernel kernel) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (MatMulTest.Case c : CASES) {
                int[] bits = MatMulTest.bits(c.run(kernel, c.a(41), c.b(41), DType.BF16, MatMul.threads()));
                ByteBuffer bytes = ByteBuffer.allocate(4 * bits.length);
                bytes.asIntBuffer().put(bits);
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@link #main} in a new JVM with {@code jvmOptions}; returns its stdout and stderr. */
    private static List<String> child(Path dir, String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MatMulFallbackTest.class.getName()));
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child JVM did not finish in 120 s: " + command);
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> "child JVM failed: " + stderr);
        return List.of(Files.readString(out, StandardCharsets.UTF_8), stderr);
    }

    @Test
    void withoutTheModuleTheScalarKernelRunsAndGivesTheVectorKernelsBits(@TempDir Path dir) throws Exception {
        List<String> output = child(dir);
        assertEquals(MatMul.scalar().description() + "\n" + digest(MatMulTest.vectorKernel()) + "\n", output.get(0));
        assertFalse(output.get(1).contains("incubator"), "no incubator module, no warning: " + output.get(1));
    }

    @Test
    void withTheModuleButWithoutC2TheScalarKernelIsSelected(@TempDir Path dir) throws Exception {
        List<String> output = child(dir, "--add-modules", MatMul.VECTOR_MODULE, "-XX:TieredStopAtLevel=1");
        assertEquals(MatMul.scalar().description() + "\n" + digest(MatMulTest.vectorKernel()) + "\n", output.get(0));
    }
}
