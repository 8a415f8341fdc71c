package io.rdustudio.dfk.lowering;

import java.util.List;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Program;

/** A lowered program and every problem found on the way; the program is partial when there are errors. */
public record LoweringResult(Program program, List<Diagnostic> diagnostics) {

    public LoweringResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }
}
