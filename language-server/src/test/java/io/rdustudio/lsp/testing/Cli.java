package io.rdustudio.lsp.testing;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.rdustudio.cli.DfkCli;

/** The {@code dfk} command line run in the test's JVM, for comparing the server's answers with the CLI's. */
public final class Cli {

    private Cli() {
    }

    /** What {@code dfk args...} prints on stdout, parsed as JSON; fails unless it exits 0 or 1. */
    public static JsonObject json(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = DfkCli.run(new DfkCli(InputStream.nullInputStream(), OutputStream.nullOutputStream()), args,
                new PrintWriter(out, true), new PrintWriter(err, true));
        if (exit != DfkCli.EXIT_OK && exit != DfkCli.EXIT_ERRORS_FOUND) {
            throw new AssertionError("dfk " + String.join(" ", args) + " exited " + exit + ": " + err);
        }
        return JsonParser.parseString(out.toString()).getAsJsonObject();
    }
}
