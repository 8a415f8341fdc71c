package io.rdustudio.report;

import io.rdustudio.core.diag.Severity;

/** The one word each report uses for a severity; SARIF's levels, which compilers also print. */
final class Severities {

    private Severities() {
    }

    static String word(Severity severity) {
        return switch (severity) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO, HINT -> "note";
        };
    }
}
