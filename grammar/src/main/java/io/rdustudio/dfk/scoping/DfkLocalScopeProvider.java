package io.rdustudio.dfk.scoping;

import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.ISelectable;
import org.eclipse.xtext.scoping.Scopes;
import org.eclipse.xtext.scoping.impl.MultimapBasedSelectable;
import org.eclipse.xtext.scoping.impl.SimpleLocalScopeProvider;

import io.rdustudio.dfk.dfk.Model;

/**
 * The names a file declares, then those it imports, looked up without namespace-import handling:
 * DFK's names are single segments and its imports are file paths, so the default delegate's walk
 * up every container for namespace imports, on every reference, finds none. The file's own names
 * are its top-level declarations ({@link io.rdustudio.dfk.naming.DfkQualifiedNameProvider} names
 * nothing else), collected without the default walk through every expression of every body.
 */
public class DfkLocalScopeProvider extends SimpleLocalScopeProvider {

    @Override
    protected ISelectable getAllDescriptions(Resource resource) {
        List<? extends EObject> declarations = resource.getContents().isEmpty()
                || !(resource.getContents().get(0) instanceof Model model) ? List.of() : model.getElements();
        return new MultimapBasedSelectable(Scopes.scopedElementsFor(declarations, getNameProvider()));
    }
}
