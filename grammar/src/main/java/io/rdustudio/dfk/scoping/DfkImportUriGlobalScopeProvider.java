package io.rdustudio.dfk.scoping;

import java.util.LinkedHashSet;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.impl.ImportUriGlobalScopeProvider;
import org.eclipse.xtext.util.IResourceScopeCache;

import com.google.common.base.Predicate;
import com.google.inject.Inject;

import io.rdustudio.dfk.dfk.Import;
import io.rdustudio.dfk.dfk.Model;

/**
 * Makes the declarations of imported files visible, transitively, with import paths resolved
 * relative to the importing file ({@code import "lib/llama.dfk"} next to the program).
 */
public class DfkImportUriGlobalScopeProvider extends ImportUriGlobalScopeProvider {

    @Inject
    private IResourceScopeCache cache;

    private record ScopeKey(EClass type, boolean ignoreCase) {
    }

    /**
     * The imported declarations of a type, built once per state of the importing file instead of
     * once per reference (an unfiltered scope does not depend on the reference). It never outlives
     * the names it shows: a change to an imported file's names makes the importing file affected,
     * and Xtext reloads it.
     */
    @Override
    protected IScope getScope(Resource resource, boolean ignoreCase, EClass type, Predicate<IEObjectDescription> filter) {
        if (filter != null) {
            return super.getScope(resource, ignoreCase, type, filter);
        }
        return cache.get(new ScopeKey(type, ignoreCase), resource, () -> super.getScope(resource, ignoreCase, type, null));
    }

    @Override
    protected LinkedHashSet<URI> getImportedUris(Resource resource) {
        return cache.get(DfkImportUriGlobalScopeProvider.class, resource, () -> {
            LinkedHashSet<URI> uris = new LinkedHashSet<>();
            collect(resource, uris);
            uris.remove(resource.getURI());
            return uris;
        });
    }

    /**
     * Adds to {@code uris} every file {@code resource} imports, transitively, loading each into the
     * resource's resource set (what a CoE descriptor that names a program needs to see).
     */
    public static void collect(Resource resource, LinkedHashSet<URI> uris) {
        if (resource == null || resource.getContents().isEmpty() || !(resource.getContents().get(0) instanceof Model model)) {
            return;
        }
        for (Import imp : model.getImports()) {
            URI uri = resolve(resource, imp.getImportURI());
            if (uri == null || !uris.add(uri)) {
                continue;
            }
            collect(load(resource, uri), uris);
        }
    }

    /** The import's URI relative to the importing resource, or null when it is not a usable path. */
    public static URI resolve(Resource importing, String written) {
        if (written == null || written.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.createURI(written);
            return uri.isRelative() && importing.getURI() != null ? uri.resolve(importing.getURI()) : uri;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The resource at {@code uri} in the resource set of {@code importing}, or null when it cannot be loaded. */
    public static Resource load(Resource importing, URI uri) {
        if (importing.getResourceSet() == null) {
            return null;
        }
        try {
            return importing.getResourceSet().getResource(uri, true);
        } catch (RuntimeException e) {
            return null; // a missing file is reported by the lowering at the import statement
        }
    }
}
