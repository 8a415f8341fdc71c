package io.rdustudio.dfk.lowering;

import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.util.IResourceScopeCache;

import com.google.inject.Inject;
import com.google.inject.Singleton;

import io.rdustudio.dfk.dfk.Model;

/**
 * The lowered program of a resource, computed once per resource state and cached until the
 * resource changes, so that validation, editor requests and the CLI share one lowering.
 */
@Singleton
public class DfkPrograms {

    @Inject
    private IResourceScopeCache cache;

    public LoweringResult of(Resource resource) {
        return cache.get(DfkPrograms.class, resource, () -> {
            if (resource.getContents().isEmpty() || !(resource.getContents().get(0) instanceof Model model)) {
                return new LoweringResult(null, java.util.List.of());
            }
            return DfkLowering.lower(model);
        });
    }
}
