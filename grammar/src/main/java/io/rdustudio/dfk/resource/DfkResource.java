package io.rdustudio.dfk.resource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.ResourceSet;
import org.eclipse.xtext.linking.lazy.LazyLinkingResource;
import org.eclipse.xtext.util.CancelIndicator;

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
 *
 * <p>An edit's build asks for every lazy link to be resolved four times (the builder, the index
 * entry's references and its imported names, the validator), and each time Xtext walks every object
 * of the file: resolving is done once per state of the resource here, the other three walks are
 * skipped (a fifth of the build of an edit on the 2,000-line program).
 */
public class DfkResource extends LazyLinkingResource {

    /**
     * The resource-cache key under which a completed resolution is recorded. The cache forgets it
     * with every new text and unload (outside the language server's workspace also with any
     * notifying change, {@link DfkResourceScopeCache}), and linking, the only step that installs
     * lazy links, resets it.
     */
    private static final String LINKS_RESOLVED = DfkResource.class.getName() + ".linksResolved";

    private boolean proxiesNeeded = true;

    /**
     * Resolves the lazy links as Xtext does, unless a resolution of the same state of the resource
     * has completed already: the links it resolved stay resolved, and those it could not resolve
     * stay in Xtext's cache of unresolvable links with their diagnostics in {@link #getErrors()},
     * so a second walk would find nothing to do. A cancelled resolution is not recorded.
     */
    @Override
    public void resolveLazyCrossReferences(CancelIndicator monitor) {
        boolean[] resolved = linksResolved();
        if (resolved[0]) {
            return;
        }
        super.resolveLazyCrossReferences(monitor);
        resolved[0] = true;
    }

    /**
     * Xtext's partial reparse may replace objects deep inside the model, which the resource's cache
     * may not listen to ({@link DfkResourceScopeCache}): what it held of the old text goes.
     */
    @Override
    public void update(int offset, int replacedTextLength, String newText) {
        super.update(offset, replacedTextLength, newText);
        getCache().clear(this);
    }

    /** Linking installs new lazy links (a load, a reparse, {@link #relink()}): they are yet to be resolved. */
    @Override
    protected void doLinking() {
        super.doLinking();
        linksResolved()[0] = false;
    }

    /** Whether the links of the current state have been resolved: a flag held in the resource's cache. */
    private boolean[] linksResolved() {
        return getCache().get(LINKS_RESOLVED, this, () -> new boolean[1]);
    }

    /**
     * What EMF's unload walks to make proxies of: the whole contents when another loaded file
     * imports this one, otherwise nothing. Nothing can refer to the objects of a file nobody imports:
     * they are detached and left to the garbage collector, without the walk (a tenth of an edit's
     * build on a 2,000-line file).
     */
    @Override
    protected List<EObject> getUnloadingContents() {
        proxiesNeeded = importedByAnotherLoadedResource();
        return proxiesNeeded ? super.getUnloadingContents() : new ArrayList<>();
    }

    /**
     * Unloads as EMF does when another loaded file imports this one. Otherwise the contents are
     * detached without notifications (which would walk every object to take the listeners off it)
     * and nothing is walked ({@link #getUnloadingContents()}). The resource's cache still empties:
     * {@link #unload()} notifies that the resource is no longer loaded once this returns.
     */
    @Override
    protected void doUnload() {
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
