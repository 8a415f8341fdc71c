package io.rdustudio.dfk.validation;

import java.util.Map;

import org.eclipse.emf.common.util.DiagnosticChain;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EValidator;
import org.eclipse.xtext.validation.CancelableDiagnostician;

import com.google.inject.Inject;
import com.google.inject.Singleton;

import io.rdustudio.dfk.dfk.Model;

/**
 * Validates a DFK file at its root only. Every DFK check is a check of the whole file on its
 * {@link Model} ({@link DfkValidator}: the lowering's and the core's diagnostics, each at the text
 * it concerns), so EMF's walk through every object of every kernel body finds nothing of ours; what
 * EMF's generic constraints would say of those objects (a required name left unset by a syntax
 * error, say) the parser and the linker have said already, in words a DFK author reads. The walk
 * was a tenth of the build of an edit on a 2,000-line program.
 */
@Singleton
public class DfkDiagnostician extends CancelableDiagnostician {

    @Inject
    public DfkDiagnostician(EValidator.Registry registry) {
        super(registry);
    }

    /** The recursive form, so that {@link #doValidateContents} decides where validation descends. */
    @Override
    protected boolean isValidateContentsRecursively() {
        return true;
    }

    @Override
    protected boolean doValidateContents(EObject object, DiagnosticChain diagnostics, Map<Object, Object> context) {
        if (object instanceof Model) {
            return true;
        }
        return super.doValidateContents(object, diagnostics, context);
    }
}
