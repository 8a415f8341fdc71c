package io.rdustudio.coelang.validation;

import org.eclipse.xtext.validation.Check;

import com.google.inject.Inject;

import io.rdustudio.coelang.lowering.CoeAnalysis;
import io.rdustudio.coelang.lowering.CoeDeployments;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.SourceLocation;

/**
 * Reports what the lowering and the simulator's checks find ({@link CoeDeployments}): the
 * language's own problems, then, on a descriptor the language accepts, the simulator's
 * ({@code DeploymentCheck}: fit in DDR and HBM, duplicates, tensor-parallel degrees, sizes). The
 * validator decides nothing itself, so the editor and {@code dfk coe check} can never disagree.
 */
public class CoeValidator extends AbstractCoeValidator {

    @Inject
    private CoeDeployments deployments;

    @Check
    public void checkDescriptor(io.rdustudio.coelang.coe.Descriptor descriptor) {
        try {
            CoeAnalysis analysis = deployments.of(descriptor.eResource());
            String here = descriptor.eResource().getURI().toString();
            for (Diagnostic d : analysis.diagnostics()) {
                SourceLocation at = d.location();
                boolean local = here.equals(at.uri());
                report(d, descriptor, local ? at.offset() : 0, local ? at.length() : 0);
            }
        } catch (RuntimeException | StackOverflowError e) {
            // never lose the other diagnostics or the server over a bug of ours: say so at the file
            getMessageAcceptor().acceptError("internal error in the CoE checks (" + e
                    + "); the other diagnostics stand; please report this with the file", descriptor, 0, 0, "coe.internal");
        }
    }

    private void report(Diagnostic d, io.rdustudio.coelang.coe.Descriptor descriptor, int offset, int length) {
        switch (d.severity()) {
            case ERROR -> getMessageAcceptor().acceptError(d.message(), descriptor, offset, length, d.code());
            case WARNING -> getMessageAcceptor().acceptWarning(d.message(), descriptor, offset, length, d.code());
            default -> getMessageAcceptor().acceptInfo(d.message(), descriptor, offset, length, d.code());
        }
    }
}
