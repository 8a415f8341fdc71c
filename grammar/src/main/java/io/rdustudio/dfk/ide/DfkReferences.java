package io.rdustudio.dfk.ide;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.common.util.WrappedException;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.ResourceSet;
import org.eclipse.lsp4j.Location;
import org.eclipse.xtext.findReferences.IReferenceFinder;
import org.eclipse.xtext.findReferences.ReferenceAcceptor;
import org.eclipse.xtext.findReferences.TargetURICollector;
import org.eclipse.xtext.findReferences.TargetURIs;
import org.eclipse.xtext.ide.server.DocumentExtensions;
import org.eclipse.xtext.ide.util.CancelIndicatorProgressMonitor;
import org.eclipse.xtext.resource.IReferenceDescription;
import org.eclipse.xtext.resource.IResourceDescriptions;
import org.eclipse.xtext.resource.IResourceServiceProvider;
import org.eclipse.xtext.resource.impl.ChunkedResourceDescriptions;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.util.concurrent.IUnitOfWork;

import com.google.inject.Inject;
import com.google.inject.Provider;

/**
 * Where a declaration is named and used, across the files of the workspace: its name, the names of
 * the declarations tied to it ({@link DfkNames#sameName}), and every reference to any of them.
 * Rename edits these places; find references lists them.
 */
public class DfkReferences {

    /** A reference: where it is written and which reference of the grammar it is. */
    public record Use(Location location, EReference reference) {
    }

    @Inject
    private IReferenceFinder finder;

    @Inject
    private Provider<TargetURIs> targetUris;

    @Inject
    private TargetURICollector collector;

    @Inject
    private IResourceServiceProvider.Registry registry;

    @Inject
    private DocumentExtensions documents;

    /** Where each of {@code declarations} writes its name. */
    public List<Location> names(List<EObject> declarations) {
        List<Location> locations = new ArrayList<>();
        for (EObject d : declarations) {
            EStructuralFeature name = d.eClass().getEStructuralFeature("name");
            Location at = name == null ? null : documents.newLocation(d, name, -1);
            if (at != null) {
                locations.add(at);
            }
        }
        return locations;
    }

    /**
     * Every reference to one of {@code declarations} in the files {@code index} knows, read through
     * {@code access}; with null for both, in the workspace index the declarations' resource set
     * carries (the language server's).
     */
    public List<Location> uses(List<EObject> declarations, IReferenceFinder.IResourceAccess access,
            IResourceDescriptions index, CancelIndicator cancel) {
        if (declarations.isEmpty()) {
            return List.of();
        }
        ResourceSet resources = declarations.get(0).eResource().getResourceSet();
        IReferenceFinder.IResourceAccess reader = access != null ? access : new IReferenceFinder.IResourceAccess() {
            @Override
            public <R> R readOnly(URI uri, IUnitOfWork<R, ResourceSet> work) {
                try {
                    return work.exec(resources);
                } catch (Exception e) {
                    throw new WrappedException(e);
                }
            }
        };
        IResourceDescriptions descriptions = index != null ? index : ChunkedResourceDescriptions.findInEmfObject(resources);
        if (descriptions == null) {
            return usesIn(declarations, declarations.get(0).eResource(), cancel).stream().map(Use::location).toList();
        }
        Set<Use> uses = new LinkedHashSet<>();
        finder.findAllReferences(targets(declarations), reader, descriptions, new ReferenceAcceptor(registry,
                reference -> reader.readOnly(reference.getSourceEObjectUri(), set -> {
                    EObject source = set.getEObject(reference.getSourceEObjectUri(), true);
                    add(uses, source, reference.getEReference(), reference.getIndexInList());
                    return null;
                })), new CancelIndicatorProgressMonitor(cancel));
        return uses.stream().map(Use::location).toList();
    }

    /** Every reference to one of {@code declarations} from within {@code file}. */
    public List<Use> usesIn(List<EObject> declarations, Resource file, CancelIndicator cancel) {
        Set<Use> uses = new LinkedHashSet<>();
        finder.findReferences(targets(declarations), file, new IReferenceFinder.Acceptor() {
            @Override
            public void accept(EObject source, URI sourceUri, EReference reference, int index, EObject target,
                    URI targetUri) {
                add(uses, source, reference, index);
            }

            @Override
            public void accept(IReferenceDescription description) {
                add(uses, file.getResourceSet().getEObject(description.getSourceEObjectUri(), true),
                        description.getEReference(), description.getIndexInList());
            }
        }, new CancelIndicatorProgressMonitor(cancel));
        return new ArrayList<>(uses);
    }

    private TargetURIs targets(List<EObject> declarations) {
        TargetURIs targets = targetUris.get();
        declarations.forEach(d -> collector.add(d, targets));
        return targets;
    }

    private void add(Set<Use> uses, EObject source, EReference reference, int index) {
        Location at = source == null ? null : documents.newLocation(source, reference, index);
        if (at != null) {
            uses.add(new Use(at, reference));
        }
    }
}
