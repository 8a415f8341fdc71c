package io.rdustudio.coelang.lowering;

import java.util.List;

import io.rdustudio.coe.model.Deployment;
import io.rdustudio.core.diag.Diagnostic;

/**
 * A lowered descriptor and the problems of the language itself found on the way.
 *
 * @param deployment  the descriptor as the simulator's model; null when the descriptor has errors
 *                    (the simulator's own checks run only on a descriptor the language accepts)
 * @param diagnostics syntax-level and naming problems, located in the descriptor
 */
public record CoeLoweringResult(Deployment deployment, List<Diagnostic> diagnostics) {

    public CoeLoweringResult {
        diagnostics = List.copyOf(diagnostics);
    }
}
