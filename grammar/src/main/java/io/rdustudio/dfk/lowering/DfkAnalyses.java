package io.rdustudio.dfk.lowering;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.util.IResourceScopeCache;

import com.google.inject.Inject;
import com.google.inject.Singleton;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.dfk.validation.TargetSelection;

/**
 * The static analysis ({@link ProgramAnalysis}) of a resource's lowered program, computed once per
 * resource state and target profile and cached until the resource changes: hovers, hints and
 * previews of one document version read the same result instead of recomputing it.
 *
 * <p>The profile is the one {@link TargetSelection} holds when asked; the cache key includes its
 * content hash, so selecting another profile recomputes. A resource whose program did not lower
 * (syntax errors) has no analysis: {@link #of} answers null, and the lowering's diagnostics say why.
 *
 * <p>A cancelled analysis is not cached, so the next request computes it in full.
 */
@Singleton
public class DfkAnalyses {

    private record Key(String profileHash) {
    }

    @Inject
    private IResourceScopeCache cache;

    @Inject
    private DfkPrograms programs;

    @Inject
    private TargetSelection targets;

    /** The analysis of {@code resource} on the selected profile, or null when nothing lowered. */
    public ProgramAnalysis.Result of(Resource resource) {
        return of(resource, () -> false);
    }

    /**
     * As {@link #of(Resource)}, checking {@code cancelled} as it goes; a cancelled result is partial
     * and is not kept.
     */
    public ProgramAnalysis.Result of(Resource resource, BooleanSupplier cancelled) {
        TargetProfile profile = targets.profile();
        AtomicReference<ProgramAnalysis.Result> slot = cache.get(new Key(profile.contentHash()), resource,
                AtomicReference::new);
        synchronized (slot) {
            ProgramAnalysis.Result result = slot.get();
            if (result != null) {
                return result;
            }
            LoweringResult lowered = programs.of(resource);
            if (lowered.program() == null) {
                return null;
            }
            result = ProgramAnalysis.analyse(lowered.program(), profile, cancelled);
            if (!result.cancelled()) {
                slot.set(result);
            }
            return result;
        }
    }
}
