package io.rdustudio.report;

import java.io.PrintWriter;

import io.rdustudio.check.CheckDiagnostic;
import io.rdustudio.check.CheckResult;
import io.rdustudio.core.diag.Severity;

/**
 * The human and compiler-style format: one {@code file:line:col: severity: message} line per
 * problem (what editors and {@code grep} already understand), and a summary line.
 */
public final class TextReport {

    private TextReport() {
    }

    public static void write(CheckResult result, PrintWriter out) {
        for (CheckDiagnostic d : result.diagnostics()) {
            out.println(d.file() + ":" + d.line() + ":" + d.column() + ": "
                    + Severities.word(d.severity()) + ": " + d.message());
        }
        out.flush();
    }

    /** For example {@code 2 errors, 1 warning in 3 files}; notes are named only when there are any. */
    public static String summary(CheckResult result) {
        long notes = result.count(Severity.INFO) + result.count(Severity.HINT);
        StringBuilder line = new StringBuilder()
                .append(counted(result.count(Severity.ERROR), "error"))
                .append(", ")
                .append(counted(result.count(Severity.WARNING), "warning"));
        if (notes > 0) {
            line.append(", ").append(counted(notes, "note"));
        }
        return line.append(" in ").append(counted(result.files().size(), "file")).toString();
    }

    private static String counted(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
