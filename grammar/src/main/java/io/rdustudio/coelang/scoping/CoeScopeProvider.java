package io.rdustudio.coelang.scoping;

import java.util.HashSet;
import java.util.Set;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.scoping.IGlobalScopeProvider;
import org.eclipse.xtext.scoping.IScope;

import com.google.inject.Inject;

import io.rdustudio.coelang.coe.CoePackage;
import io.rdustudio.coelang.coe.Phase;
import io.rdustudio.coelang.coe.ProgramModel;

/**
 * A phase's schedule or kernel is looked up in the program it names (its own {@code in "..."}, else
 * its model's) and the files that program imports, nothing else; a binding's constant in the
 * programs of the phases it concerns (the prompt length in the prefill's, the KV length in the
 * decode step's, the batch in both): two models may name programs that declare kernels of the same
 * names. (The other programs are filtered out before names shadow each other, not after.) Models
 * and experts are looked up in the descriptor itself.
 */
public class CoeScopeProvider extends AbstractCoeScopeProvider {

    /** The references from a model to the constants that hold the workload's prompt length, KV length and batch. */
    public static final Set<EReference> BINDINGS = Set.of(CoePackage.Literals.PROGRAM_MODEL__PROMPT_LENGTH,
            CoePackage.Literals.PROGRAM_MODEL__KV_LENGTH, CoePackage.Literals.PROGRAM_MODEL__BATCH);

    @Inject
    private IGlobalScopeProvider globals;

    @Override
    public IScope getScope(EObject context, EReference reference) {
        if (reference == CoePackage.Literals.PHASE__SCHEDULE_REF || reference == CoePackage.Literals.PHASE__KERNEL) {
            Phase phase = EcoreUtil2.getContainerOfType(context, Phase.class);
            if (phase == null || context.eResource() == null) {
                return IScope.NULLSCOPE;
            }
            Set<URI> files = CoeGlobalScopeProvider.programFiles(context.eResource(), CoeGlobalScopeProvider.programOf(phase));
            return globals.getScope(context.eResource(), reference, d -> files.contains(d.getEObjectURI().trimFragment()));
        }
        if (BINDINGS.contains(reference)) {
            ProgramModel model = EcoreUtil2.getContainerOfType(context, ProgramModel.class);
            if (model == null || context.eResource() == null) {
                return IScope.NULLSCOPE;
            }
            Set<URI> files = new HashSet<>();
            for (String program : CoeGlobalScopeProvider.programsOf(model, reference)) {
                files.addAll(CoeGlobalScopeProvider.programFiles(context.eResource(), program));
            }
            return globals.getScope(context.eResource(), reference, d -> files.contains(d.getEObjectURI().trimFragment()));
        }
        return super.getScope(context, reference);
    }
}
