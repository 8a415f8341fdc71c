package io.rdustudio.coe;

import java.util.HashMap;
import java.util.Map;

import io.rdustudio.coe.model.ModelResolutionException;
import io.rdustudio.coe.model.ModelResolver;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.core.target.TargetProfile;

/**
 * Asks a resolver once per (spec, degree, profile content, corner) and answers repeats from memory,
 * failures included. Sweeps and plans check and simulate many variants of one deployment; with
 * this, a slow emulator-backed resolver is asked once per distinct model, and the answers are the
 * same objects each time, so {@link TimingMemo} memoises across all the variants.
 */
final class MemoisingResolver implements ModelResolver {

    private record Key(ModelSpec spec, int tensorParallel, String profileHash, String profileName, Object corner) {
    }

    private final ModelResolver inner;
    private final Map<Key, Object> answers = new HashMap<>();

    MemoisingResolver(ModelResolver inner) {
        this.inner = inner;
    }

    static MemoisingResolver of(ModelResolver resolver) {
        return resolver instanceof MemoisingResolver m ? m : new MemoisingResolver(resolver);
    }

    @Override
    public ResolvedModel resolve(ModelSpec spec, int tensorParallel, TargetProfile platform) {
        Key key = new Key(spec, tensorParallel, platform.contentHash(), platform.name(), platform.corner());
        Object answer = answers.get(key);
        if (answer == null) {
            try {
                answer = inner.resolve(spec, tensorParallel, platform);
            } catch (ModelResolutionException e) {
                answer = e;
            }
            answers.put(key, answer);
        }
        if (answer instanceof ModelResolutionException e) {
            throw new ModelResolutionException(e.getMessage(), e);
        }
        return (ResolvedModel) answer;
    }
}
