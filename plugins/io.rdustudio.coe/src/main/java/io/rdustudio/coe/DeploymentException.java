package io.rdustudio.coe;

import java.util.List;
import java.util.stream.Collectors;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;

/**
 * A deployment (or its workload, or its trace) cannot be simulated or planned as given. This is
 * the user's error, not a bug: it carries the located diagnostics that say what and how to fix
 * it, and front ends print those (never a stack trace).
 */
public class DeploymentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Diagnostic> diagnostics;

    public DeploymentException(List<Diagnostic> diagnostics) {
        super(summary(diagnostics));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public DeploymentException(Diagnostic diagnostic) {
        this(List.of(diagnostic));
    }

    /** The diagnostics, errors first as found. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private static String summary(List<Diagnostic> diagnostics) {
        return diagnostics.stream().filter(d -> d.severity() == Severity.ERROR)
                .map(d -> d.location() + ": " + d.message()).collect(Collectors.joining("\n"));
    }
}
