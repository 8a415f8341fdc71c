package io.rdustudio.dfk.resource;

import org.eclipse.emf.common.notify.Notifier;
import org.eclipse.emf.common.notify.impl.AdapterImpl;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.ResourceSet;
import org.eclipse.xtext.util.OnChangeEvictingCache;

import com.google.inject.Singleton;

/**
 * Xtext's per-resource cache (linking, scopes, the index entry, the lowering, the analysis). Xtext's
 * own cache empties when anything in the resource changes, listening to every object of the model;
 * installing that listener on every object of a new parse was a tenth of the build of an edit on a
 * 2,000-line program. In a resource set marked {@linkplain #modelsChangeOnlyByNewText(ResourceSet)
 * as one whose models change only by a new text} (the language server's workspace: it reloads a file
 * for each edit, and its code actions and rename answer with text edits) this cache listens to the
 * resource alone and empties when the resource gets a new text or is unloaded; Xtext's partial
 * reparse empties it explicitly ({@link DfkResource#update(int, int, String)}). Everywhere else (the
 * scratch resource sets in which Xtext's rename changes models in place, the CLI, tests) it is
 * Xtext's cache.
 */
@Singleton
public class DfkResourceScopeCache extends OnChangeEvictingCache {

    /** Marks {@code resourceSet}: its models are never changed through the EMF API, only reloaded. */
    public static void modelsChangeOnlyByNewText(ResourceSet resourceSet) {
        if (!changesOnlyByNewText(resourceSet)) {
            resourceSet.eAdapters().add(new NewTextOnly());
        }
    }

    /** Takes the mark off again (for a resource set in which models are about to be changed in place). */
    public static void modelsChangeInPlace(ResourceSet resourceSet) {
        resourceSet.eAdapters().removeIf(NewTextOnly.class::isInstance);
    }

    static boolean changesOnlyByNewText(ResourceSet resourceSet) {
        return resourceSet != null && resourceSet.eAdapters().stream().anyMatch(NewTextOnly.class::isInstance);
    }

    @Override
    public CacheAdapter getOrCreate(Resource resource) {
        CacheAdapter adapter = findCacheAdapter(resource);
        if (adapter != null) {
            return adapter;
        }
        if (!changesOnlyByNewText(resource.getResourceSet())) {
            return super.getOrCreate(resource);
        }
        ResourceCacheAdapter created = new ResourceCacheAdapter();
        resource.eAdapters().add(created);
        created.of(resource);
        return created;
    }

    private static final class NewTextOnly extends AdapterImpl {
    }

    /** Xtext's cache adapter, attached to the resource only, never to its objects. */
    static final class ResourceCacheAdapter extends CacheAdapter {

        void of(Resource resource) {
            setResource(resource);
        }

        @Override
        protected void setTarget(Resource target) {
            basicSetTarget(target);
        }

        @Override
        protected void unsetTarget(Resource target) {
            basicUnsetTarget(target);
        }

        /** A root added to the resource is not listened to: its arrival has emptied the cache already. */
        @Override
        protected void addAdapter(Notifier notifier) {
        }
    }
}
