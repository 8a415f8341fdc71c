package io.rdustudio.dfk.lowering;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;

import io.rdustudio.core.diag.Diagnostic;

/** The diagnostics of one lowering run, without duplicates (a kernel instantiated twice reports once). */
final class Problems {

    private final Set<Diagnostic> seen = new LinkedHashSet<>();

    void error(String code, String message, EObject where) {
        add(Diagnostic.error(code, message, Locations.of(where)));
    }

    void warning(String code, String message, EObject where) {
        add(Diagnostic.warning(code, message, Locations.of(where)));
    }

    void add(Diagnostic diagnostic) {
        seen.add(diagnostic);
    }

    List<Diagnostic> all() {
        return new ArrayList<>(seen);
    }
}
