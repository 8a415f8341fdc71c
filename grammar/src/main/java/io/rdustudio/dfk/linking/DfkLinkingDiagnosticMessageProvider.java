package io.rdustudio.dfk.linking;

import org.eclipse.xtext.diagnostics.DiagnosticMessage;
import org.eclipse.xtext.linking.impl.LinkingDiagnosticMessageProvider;

import io.rdustudio.core.ir.OpKind;
import io.rdustudio.dfk.dfk.DfkPackage;

/**
 * A call's callee is a cross-reference to a kernel or fn, but built-in operators ({@code matmul},
 * {@code softmax}, ...) are not declared anywhere: their names are left unresolved without an error
 * and the lowering looks them up in the operator catalogue. Other unresolved names get a message
 * that says where names come from.
 */
public class DfkLinkingDiagnosticMessageProvider extends LinkingDiagnosticMessageProvider {

    @Override
    public DiagnosticMessage getUnresolvedProxyMessage(ILinkingDiagnosticContext context) {
        String name = context.getLinkText();
        if (context.getReference() == DfkPackage.Literals.CALL__CALLEE) {
            if (OpKind.fromKeyword(name).isPresent()) {
                return null;
            }
            return new DiagnosticMessage("unknown operator, kernel or fn '" + name
                    + "'; operators are listed in docs/language.md, kernels and fns must be declared or imported",
                    org.eclipse.xtext.diagnostics.Severity.ERROR, org.eclipse.xtext.diagnostics.Diagnostic.LINKING_DIAGNOSTIC);
        }
        if (context.getReference() == DfkPackage.Literals.REFERENCE__REF) {
            return new DiagnosticMessage("unknown name '" + name
                    + "'; declare it with let, as a tensor or parameter, or define it in an earlier statement",
                    org.eclipse.xtext.diagnostics.Severity.ERROR, org.eclipse.xtext.diagnostics.Diagnostic.LINKING_DIAGNOSTIC);
        }
        return super.getUnresolvedProxyMessage(context);
    }
}
