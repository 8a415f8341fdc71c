package io.rdustudio.check;

import java.util.Comparator;

import io.rdustudio.core.diag.Severity;

/**
 * One problem found by {@code dfk check}, in plain terms every output format can render.
 *
 * @param file      the file as the user named it on the command line, or, for a file reached
 *                  through an import, its path relative to the working directory (absolute when
 *                  it lies outside); always with {@code /} separators
 * @param line      one-based line of the first character
 * @param column    one-based column of the first character, counted in UTF-16 code units
 * @param endLine   one-based line of the end
 * @param endColumn one-based column just after the last character (exclusive, as SARIF and LSP count)
 * @param severity  error, warning or info
 * @param code      a stable identifier such as {@code dfk.syntax} or {@code dfk.shape-mismatch}
 * @param message   what is wrong and how to fix it, one line
 */
public record CheckDiagnostic(String file, int line, int column, int endLine, int endColumn,
        Severity severity, String code, String message) {

    /** The order of every report: by file, then position, then severity and text so ties are stable. */
    public static final Comparator<CheckDiagnostic> REPORT_ORDER = Comparator
            .comparing(CheckDiagnostic::file)
            .thenComparingInt(CheckDiagnostic::line)
            .thenComparingInt(CheckDiagnostic::column)
            .thenComparing(CheckDiagnostic::severity)
            .thenComparing(CheckDiagnostic::code)
            .thenComparing(CheckDiagnostic::message);

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
