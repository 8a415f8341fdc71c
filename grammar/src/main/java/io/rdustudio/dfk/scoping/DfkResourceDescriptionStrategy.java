package io.rdustudio.dfk.scoping;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.impl.DefaultResourceDescriptionStrategy;
import org.eclipse.xtext.util.IAcceptor;

import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.TopElement;

/**
 * Exports a file's top-level declarations without walking into them. DFK's namespace is flat
 * ({@link io.rdustudio.dfk.naming.DfkQualifiedNameProvider} names only top-level elements), so the
 * default strategy's visit of every expression of every kernel body, on every edit, finds nothing;
 * stopping at the top level keeps the index's cost proportional to the declarations, not the text.
 */
public class DfkResourceDescriptionStrategy extends DefaultResourceDescriptionStrategy {

    @Override
    public boolean createEObjectDescriptions(EObject object, IAcceptor<IEObjectDescription> acceptor) {
        if (object instanceof Model) {
            return true;
        }
        if (object instanceof TopElement) {
            super.createEObjectDescriptions(object, acceptor);
        }
        return false;
    }
}
