package io.rdustudio.dfk.ide;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.ParameterInformation;
import org.eclipse.lsp4j.SignatureHelp;
import org.eclipse.lsp4j.SignatureHelpParams;
import org.eclipse.lsp4j.SignatureInformation;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.messages.Tuple;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.signatureHelp.ISignatureHelpService;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.scoping.IScopeProvider;
import org.eclipse.xtext.util.CancelIndicator;

import com.google.inject.Inject;

import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.OpSignature;
import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.DfkPackage;
import io.rdustudio.dfk.dfk.Param;
import io.rdustudio.dfk.lowering.Signatures;

/**
 * Signature help for operator calls ({@code matmul(a[..., M, K], b[..., K, N], transpose_b=0)}) and
 * for kernel and fn calls ({@code attention(x: bf16[S, D], g: bf16[D], ...) -> (y: bf16[S, D])}). The
 * active parameter follows the cursor: the n-th positional argument, or the attribute named before
 * {@code =}. The call is found in the text ({@link CallAtCursor}), so help appears while the call is
 * still unfinished.
 */
public class DfkSignatureHelpService implements ISignatureHelpService {

    @Inject
    private IScopeProvider scopes;

    @Override
    public SignatureHelp getSignatureHelp(Document document, XtextResource resource, SignatureHelpParams params,
            CancelIndicator cancelIndicator) {
        int offset = document.getOffSet(params.getPosition());
        Optional<CallAtCursor> found = CallAtCursor.find(document.getContents(), offset);
        if (found.isEmpty()) {
            return EMPTY;
        }
        CallAtCursor call = found.get();
        Optional<OpSignature> operator = OpKind.fromKeyword(call.callee()).flatMap(OpSignature::of);
        Optional<Callable> callable = callable(resource, call.callee());
        SignatureInformation information;
        int active;
        if (callable.isPresent()) {
            information = signature(callable.get());
            active = Math.min(call.positionalBefore(), Math.max(0, information.getParameters().size() - 1));
        } else if (operator.isPresent()) {
            information = signature(operator.get());
            active = activeParameter(operator.get(), call);
        } else {
            return EMPTY;
        }
        SignatureHelp help = new SignatureHelp(List.of(information), 0, active);
        information.setActiveParameter(active);
        return help;
    }

    /** The kernel or fn called {@code name} that the file sees (a kernel or fn hides an operator of its name). */
    private Optional<Callable> callable(XtextResource resource, String name) {
        if (resource.getContents().isEmpty()) {
            return Optional.empty();
        }
        EObject root = resource.getContents().get(0);
        for (IEObjectDescription d : scopes.getScope(root, DfkPackage.Literals.CALL__CALLEE).getAllElements()) {
            if (d.getName().toString().equals(name)) {
                EObject object = EcoreUtil.resolve(d.getEObjectOrProxy(), root);
                if (object instanceof Callable c) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The index of the parameter the cursor's argument fills: the n-th operand, the attribute named
     * before {@code =}, or, past the operands, the first attribute (an unknown attribute name too).
     */
    static int activeParameter(OpSignature signature, CallAtCursor call) {
        int firstAttribute = signature.operands().size() + (signature.variadic() ? 1 : 0);
        String attribute = call.current().attribute();
        if (attribute != null) {
            for (int i = 0; i < signature.attributes().size(); i++) {
                if (signature.attributes().get(i).name().equals(attribute)) {
                    return firstAttribute + i;
                }
            }
        } else if (call.positionalBefore() < signature.operands().size()) {
            return call.positionalBefore();
        } else if (signature.variadic()) {
            return firstAttribute - 1;
        }
        return signature.attributes().isEmpty() ? Math.max(0, firstAttribute - 1) : firstAttribute;
    }

    private static SignatureInformation signature(OpSignature signature) {
        List<String> labels = signature.parameterLabels();
        List<String> meanings = new ArrayList<>();
        signature.operands().forEach(o -> meanings.add(o.optional() ? "optional" : null));
        if (signature.variadic()) {
            meanings.add("more tensors");
        }
        signature.attributes().forEach(a -> meanings.add(a.meaning() + (a.required() ? " (required)" : "")));
        String label = signature.label();
        SignatureInformation information = new SignatureInformation(label);
        information.setDocumentation(new MarkupContent(MarkupKind.MARKDOWN,
                signature.summary() + "\n\nresult: " + signature.result()));
        information.setParameters(parameters(label, signature.kind().keyword().length() + 1, labels, meanings));
        return information;
    }

    private static SignatureInformation signature(Callable callable) {
        String label = DfkDescriptions.signature(callable);
        List<String> labels = new ArrayList<>();
        List<String> meanings = new ArrayList<>();
        for (Param p : Signatures.params(callable)) {
            labels.add(DfkDescriptions.param(p));
            meanings.add(p.isState() ? "a state tensor, updated in place" : null);
        }
        SignatureInformation information = new SignatureInformation(label);
        String comment = DfkDescriptions.comment(callable);
        information.setDocumentation(new MarkupContent(MarkupKind.MARKDOWN,
                Signatures.kind(callable) + (comment.isEmpty() ? "" : ": " + comment)));
        information.setParameters(parameters(label, label.indexOf('(') + 1, labels, meanings));
        return information;
    }

    /** Parameters labelled by their offsets in {@code label}: a name may occur in the label more than once. */
    private static List<ParameterInformation> parameters(String label, int from, List<String> labels,
            List<String> meanings) {
        List<ParameterInformation> parameters = new ArrayList<>();
        int at = from;
        for (int i = 0; i < labels.size(); i++) {
            int start = label.indexOf(labels.get(i), at);
            int end = start + labels.get(i).length();
            ParameterInformation parameter = new ParameterInformation();
            parameter.setLabel(Either.forRight(Tuple.two(start, end)));
            if (meanings.get(i) != null) {
                parameter.setDocumentation(meanings.get(i));
            }
            parameters.add(parameter);
            at = end;
        }
        return parameters;
    }
}
