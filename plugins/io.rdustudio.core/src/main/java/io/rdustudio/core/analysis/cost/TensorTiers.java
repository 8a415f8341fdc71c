package io.rdustudio.core.analysis.cost;

import java.util.Map;
import java.util.Optional;

import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.TensorDecl;
import io.rdustudio.core.ir.Tier;

/**
 * Where each program tensor lives, as the caller knows it (a memory plan, say). A tensor the
 * caller does not place takes its declared tier, else {@link #DEFAULT_TIER}.
 */
@FunctionalInterface
public interface TensorTiers {

    /** Where tensors and materialised intermediates live when nothing else says. */
    Tier DEFAULT_TIER = Tier.HBM;

    /** The caller's placement of {@code tensor}, if it has one. */
    Optional<Tier> placed(String tensor);

    TensorTiers NONE = tensor -> Optional.empty();

    static TensorTiers of(Map<String, Tier> placement) {
        Map<String, Tier> copy = Map.copyOf(placement);
        return tensor -> Optional.ofNullable(copy.get(tensor));
    }

    /** The tier of {@code tensor} in {@code program}: the caller's, else declared, else HBM. */
    default Tier tierOf(Program program, String tensor) {
        return placed(tensor).or(() -> program.tensor(tensor).flatMap(TensorDecl::tier)).orElse(DEFAULT_TIER);
    }
}
