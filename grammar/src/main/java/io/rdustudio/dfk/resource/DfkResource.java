package io.rdustudio.dfk.resource;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.InternalEObject;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.ResourceSet;
import org.eclipse.xtext.linking.lazy.LazyLinkingResource;

import io.rdustudio.dfk.dfk.Import;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.scoping.DfkImportUriGlobalScopeProvider;

/**
 * A DFK file's resource. Unloading a resource (the language server does it for every edit, before
 * it loads the new text into a new resource) turns each of its objects into a proxy carrying its
 * URI, so that the references other files hold into it resolve again to the reloaded objects.
 * Computing those URIs was a third of the time from an edit of a 2,000-line program to its
 * diagnostics; only a file that another loaded file imports (directly or through other imports)
 * can be referred to, so only such a file pays for it.
 */
public class DfkResource extends LazyLinkingResource {

    private boolean proxiesNeeded = true;

    /**
     * Unloads as EMF does when another loaded file imports this one. Otherwise nothing can refer to
     * its objects: they are detached without notifications (which would walk every object to take
     * the resource cache's adapter off it, a tenth of an edit's build on a 2,000-line file) and left
     * to the garbage collector. The resource's cache still empties: {@link #unload()} notifies that
     * the resource is no longer loaded once this returns.
     */
    @Override
    protected void doUnload() {
        proxiesNeeded = importedByAnotherLoadedResource();
        if (proxiesNeeded) {
            super.doUnload();
            return;
        }
        boolean deliver = eDeliver();
        eSetDeliver(false);
        try {
            super.doUnload();
        } finally {
            eSetDeliver(deliver);
            proxiesNeeded = true;
        }
    }

    @Override
    protected void unloaded(InternalEObject object) {
        if (proxiesNeeded) {
            super.unloaded(object);
        }
    }

    /** Whether a loaded resource of this resource set imports this one, directly or transitively. */
    private boolean importedByAnotherLoadedResource() {
        ResourceSet resourceSet = getResourceSet();
        if (resourceSet == null || getURI() == null) {
            return false;
        }
        for (Resource other : resourceSet.getResources()) {
            if (other != this && other.isLoaded() && imports(other, getURI(), resourceSet)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code from}'s imports reach {@code target}, through loaded resources only (loading none). */
    private static boolean imports(Resource from, URI target, ResourceSet resourceSet) {
        Deque<Resource> pending = new ArrayDeque<>();
        Set<URI> seen = new HashSet<>();
        pending.add(from);
        while (!pending.isEmpty()) {
            Resource r = pending.pop();
            if (r.getContents().isEmpty() || !(r.getContents().get(0) instanceof Model model)) {
                continue;
            }
            for (Import imp : model.getImports()) {
                URI uri = DfkImportUriGlobalScopeProvider.resolve(r, imp.getImportURI());
                if (uri == null || !seen.add(uri)) {
                    continue;
                }
                if (uri.equals(target)) {
                    return true;
                }
                Resource imported = resourceSet.getResource(uri, false);
                if (imported != null && imported.isLoaded()) {
                    pending.add(imported);
                }
            }
        }
        return false;
    }
}
