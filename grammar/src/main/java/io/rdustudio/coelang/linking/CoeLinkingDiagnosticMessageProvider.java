package io.rdustudio.coelang.linking;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.diagnostics.Diagnostic;
import org.eclipse.xtext.diagnostics.DiagnosticMessage;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.linking.impl.LinkingDiagnosticMessageProvider;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.scoping.IScopeProvider;

import com.google.inject.Inject;

import io.rdustudio.coelang.coe.CoePackage;
import io.rdustudio.coelang.coe.Phase;
import io.rdustudio.coelang.coe.ProgramModel;
import io.rdustudio.coelang.scoping.CoeGlobalScopeProvider;
import io.rdustudio.coelang.scoping.CoeScopeProvider;

/**
 * Unresolved names in a descriptor get a message that says what was looked for, where, and which
 * names there are: {@code no schedule named 'decode' in llama2_7b_decode.dfk (or the files it
 * imports); its schedules: decode_step}.
 */
public class CoeLinkingDiagnosticMessageProvider extends LinkingDiagnosticMessageProvider {

    /** More candidates than this are not listed: the message says how many there are. */
    private static final int LISTED = 12;

    private static final Map<EReference, String> HOLDS = Map.of(CoePackage.Literals.PROGRAM_MODEL__PROMPT_LENGTH,
            "prompt length", CoePackage.Literals.PROGRAM_MODEL__KV_LENGTH, "KV length",
            CoePackage.Literals.PROGRAM_MODEL__BATCH, "batch");

    @Inject
    private IScopeProvider scopes;

    @Override
    public DiagnosticMessage getUnresolvedProxyMessage(ILinkingDiagnosticContext context) {
        EReference reference = context.getReference();
        EObject where = context.getContext();
        String name = context.getLinkText();
        String message;
        if (reference == CoePackage.Literals.MODEL_USE__REF) {
            message = "no model named '" + name + "'; declare it with model " + name
                    + ": \"...\" { ... } or write the model here; the models: " + candidates(where, reference);
        } else if (reference == CoePackage.Literals.EXPERT_RANGE__EXPERT) {
            message = "no expert named '" + name + "'; the experts: " + candidates(where, reference);
        } else if (reference == CoePackage.Literals.PHASE__SCHEDULE_REF || reference == CoePackage.Literals.PHASE__KERNEL) {
            String kind = reference == CoePackage.Literals.PHASE__KERNEL ? "kernel" : "schedule";
            Phase phase = EcoreUtil2.getContainerOfType(where, Phase.class);
            String program = phase == null ? null : CoeGlobalScopeProvider.programOf(phase);
            message = "no " + kind + " named '" + name + "' in " + (program == null ? "the program" : program)
                    + " (or the files it imports); its " + kind + "s" + ": "
                    + candidates(where, reference);
        } else if (CoeScopeProvider.BINDINGS.contains(reference)) {
            ProgramModel model = EcoreUtil2.getContainerOfType(where, ProgramModel.class);
            List<String> programs = model == null ? List.of() : CoeGlobalScopeProvider.programsOf(model, reference);
            message = "no constant named '" + name + "' in " + (programs.isEmpty() ? "the program" : String.join(" or ", programs))
                    + " (or the files it imports) to hold the " + HOLDS.get(reference) + "; its constants: "
                    + candidates(where, reference);
        } else {
            return super.getUnresolvedProxyMessage(context);
        }
        return new DiagnosticMessage(message, Severity.ERROR, Diagnostic.LINKING_DIAGNOSTIC);
    }

    private String candidates(EObject context, EReference reference) {
        TreeSet<String> names = new TreeSet<>();
        for (IEObjectDescription d : scopes.getScope(context, reference).getAllElements()) {
            names.add(d.getName().toString());
        }
        if (names.isEmpty()) {
            return "none";
        }
        if (names.size() > LISTED) {
            return String.join(", ", names.stream().limit(LISTED).toList()) + " and " + (names.size() - LISTED) + " more";
        }
        return String.join(", ", names);
    }
}
