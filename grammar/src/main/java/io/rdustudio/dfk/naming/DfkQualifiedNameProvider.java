package io.rdustudio.dfk.naming;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.naming.IQualifiedNameConverter;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.naming.QualifiedName;

import com.google.inject.Inject;

import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.TopElement;

/**
 * DFK has one flat namespace per program: top-level declarations are known by their simple name
 * in their file and in every file that imports it. Parameters, values and loop variables are local
 * (the scope provider sees them) and never exported.
 */
public class DfkQualifiedNameProvider extends IQualifiedNameProvider.AbstractImpl {

    @Inject
    private IQualifiedNameConverter converter;

    @Override
    public QualifiedName getFullyQualifiedName(EObject object) {
        if (object instanceof TopElement && object.eContainer() instanceof Model) {
            String name = org.eclipse.xtext.util.SimpleAttributeResolver.NAME_RESOLVER.apply(object);
            return name == null || name.isEmpty() ? null : converter.toQualifiedName(name);
        }
        return null;
    }
}
