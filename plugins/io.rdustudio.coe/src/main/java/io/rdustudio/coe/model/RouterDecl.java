package io.rdustudio.coe.model;

import java.util.Objects;
import java.util.Optional;

import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.Tier;

/**
 * The router: the model whose output picks each prompt's expert. It runs once per batch, at the
 * batch's size, on every node.
 *
 * @param model          the router's model
 * @param weightsTier    where its weights live: {@link Tier#HBM} (the default when empty, as in
 *                       Samba-CoE: permanently resident) or {@link Tier#DDR} (held in DDR and brought
 *                       into HBM through the expert cache like any expert, so it can be evicted
 *                       and pays a switch when it is). Other tiers are refused by the check
 * @param tensorParallel sockets (GPUs) one router run spans; the check refuses a degree the model
 *                       cannot be split at or the node does not have
 * @param location       where the router is declared
 */
public record RouterDecl(ModelSpec model, Optional<Tier> weightsTier, int tensorParallel, SourceLocation location) {

    public RouterDecl {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(weightsTier, "weightsTier");
        Objects.requireNonNull(location, "location");
    }

    /** The tier the router's weights live in: the declared one, else HBM. */
    public Tier effectiveWeightsTier() {
        return weightsTier.orElse(Tier.HBM);
    }
}
