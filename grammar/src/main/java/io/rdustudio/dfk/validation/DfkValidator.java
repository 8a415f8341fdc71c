package io.rdustudio.dfk.validation;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.ComposedChecks;

import com.google.inject.Inject;

import io.rdustudio.core.analysis.KernelLimits;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.lowering.DfkPrograms;
import io.rdustudio.dfk.lowering.LoweringResult;

/**
 * Reports what the lowering and the core's checks find. The validator decides nothing itself: shape
 * rules, dataflow rules and resource limits live in the lowering and the core, so the editor, the
 * CLI and the emulator can never disagree. Its checks take the file's {@link Model}: validation
 * stops at the root ({@link DfkDiagnostician}), so a check of a nested type would never run.
 */
@ComposedChecks(validators = DfkAnalysisValidator.class)
public class DfkValidator extends AbstractDfkValidator {

    @Inject
    private DfkPrograms programs;

    @Inject
    private TargetSelection target;

    @Check
    public void checkProgram(Model model) {
        try {
            reportProgram(model);
        } catch (RuntimeException | StackOverflowError e) {
            // never lose the other diagnostics or the server over a bug of ours: say so at the file
            getMessageAcceptor().acceptError("internal error in the DFK checks (" + e
                    + "); the other diagnostics stand; please report this with the file", model, 0, 0, "dfk.internal");
        }
    }

    private void reportProgram(Model model) {
        LoweringResult result = programs.of(model.eResource());
        List<Diagnostic> diagnostics = new ArrayList<>(result.diagnostics());
        if (result.program() != null) {
            for (Kernel kernel : result.program().kernels().values()) {
                diagnostics.addAll(KernelLimits.check(kernel, target.profile()));
            }
        }
        String here = model.eResource().getURI().toString();
        for (Diagnostic d : diagnostics) {
            SourceLocation at = d.location();
            if (here.equals(at.uri())) {
                report(d, d.message(), model, at.offset(), at.length());
            } else if (!model.getImports().isEmpty() && !at.uri().isEmpty()) {
                EObject anchor = model.getImports().get(0);
                SourceLocation where = io.rdustudio.dfk.lowering.Locations.of(anchor);
                String file = at.uri().substring(at.uri().lastIndexOf('/') + 1);
                report(d, "in " + file + ":" + at.line() + ":" + at.column() + ": " + d.message(), model,
                        where.offset(), where.length());
            }
        }
    }

    private void report(Diagnostic d, String message, EObject model, int offset, int length) {
        switch (d.severity()) {
            case ERROR -> getMessageAcceptor().acceptError(message, model, offset, length, d.code());
            case WARNING -> getMessageAcceptor().acceptWarning(message, model, offset, length, d.code());
            default -> getMessageAcceptor().acceptInfo(message, model, offset, length, d.code());
        }
    }
}
