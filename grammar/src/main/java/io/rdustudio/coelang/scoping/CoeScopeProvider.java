package io.rdustudio.coelang.scoping;

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

/**
 * A phase's schedule or kernel is looked up in the program its model names and the files that
 * program imports, nothing else: two models may name programs that declare kernels of the same
 * names. (The other programs are filtered out before names shadow each other, not after.) Models
 * and experts are looked up in the descriptor itself.
 */
public class CoeScopeProvider extends AbstractCoeScopeProvider {

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
        return super.getScope(context, reference);
    }
}
