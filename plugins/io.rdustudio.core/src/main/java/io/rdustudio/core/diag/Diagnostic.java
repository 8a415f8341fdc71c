package io.rdustudio.core.diag;

import io.rdustudio.core.ir.SourceLocation;

/**
 * A problem or hint found by the core, in editor-neutral terms. {@code code} is a stable
 * identifier (for SARIF rule ids and quick fixes), e.g. {@code dfk.shape-mismatch}.
 */
public record Diagnostic(Severity severity, String code, String message, SourceLocation location) {

    public static Diagnostic error(String code, String message, SourceLocation location) {
        return new Diagnostic(Severity.ERROR, code, message, location);
    }

    public static Diagnostic warning(String code, String message, SourceLocation location) {
        return new Diagnostic(Severity.WARNING, code, message, location);
    }
}
