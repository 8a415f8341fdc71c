package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A bug in a command ends as a message and exit code 3, never as a stack trace. */
class InternalErrorTest {

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("the cost model lost a kernel");
        }
    }

    @Command(name = "overflow")
    static final class Overflow implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new StackOverflowError();
        }
    }

    @Test
    void exceptionInACommandIsReportedWithoutATrace() {
        assertInternalError("boom", "dfk: internal error: IllegalStateException: the cost model lost a kernel");
    }

    @Test
    void errorInACommandIsReportedWithoutATrace() {
        assertInternalError("overflow", "dfk: internal error: StackOverflowError");
    }

    private static void assertInternalError(String command, String firstLine) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = DfkCli.commandLine(new DfkCli(InputStream.nullInputStream(),
                OutputStream.nullOutputStream()), new PrintWriter(out, true), new PrintWriter(err, true));
        commandLine.addSubcommand(new Boom()).addSubcommand(new Overflow());

        int exitCode = DfkCli.execute(commandLine, new String[] {command}, new PrintWriter(err, true));

        assertEquals(DfkCli.EXIT_INTERNAL, exitCode);
        assertEquals(firstLine, err.toString().lines().findFirst().orElse(""));
        assertTrue(err.toString().contains("please report it"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
        assertEquals("", out.toString());
    }
}
