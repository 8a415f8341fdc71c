package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Runs the {@code dfk} command line in this JVM, as a user would type it, and captures what it prints. */
final class Dfk {

    /** A program that checks clean today: a projection kernel called once. */
    static final String VALID = """
            let D = 64
            input x: bf16[8, D]
            weight w: bf16[D, D]
            output y: bf16[8, D]
            kernel proj(a: bf16[8, D], b: bf16[D, D]) -> (c: bf16[8, D]) {
              c = matmul(a, b)
            }
            schedule { y = proj(x, w) }
            """;

    private static final Pattern STACK_FRAME = Pattern.compile("\\bat [\\w$]+(\\.[\\w$<>]+)+\\(");

    record Run(int exitCode, String out, String err) {

        /** Everything printed, for assertion messages. */
        String printed() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }

        /** Exit 0 or 1 and nothing a user should never see: a stack trace, an internal error. */
        Run assertCleanExit() {
            assertTrue(exitCode == 0 || exitCode == 1, () -> "expected exit 0 or 1\n" + printed());
            assertNoTrace();
            return this;
        }

        Run assertNoTrace() {
            String all = out + err;
            assertFalse(STACK_FRAME.matcher(all).find(), () -> "stack trace printed\n" + printed());
            assertFalse(all.contains("dfk: internal error"), () -> "internal error\n" + printed());
            assertFalse(all.contains("Exception"), () -> "exception named\n" + printed());
            return this;
        }
    }

    private Dfk() {
    }

    static Run run(String... args) {
        return run(InputStream.nullInputStream(), OutputStream.nullOutputStream(), args);
    }

    static Run run(InputStream stdin, OutputStream stdout, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = DfkCli.run(new DfkCli(stdin, stdout), args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exitCode, out.toString(), err.toString());
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
