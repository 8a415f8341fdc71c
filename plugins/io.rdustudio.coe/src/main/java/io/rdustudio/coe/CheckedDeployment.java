package io.rdustudio.coe;

import java.util.List;

import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.core.diag.Diagnostic;

/**
 * A deployment after {@link DeploymentCheck}: its experts expanded, its models resolved, its
 * footprint on one platform, and the diagnostics. What the simulator, the sweep and the planner
 * start from.
 *
 * @param table      the expanded experts; {@code null} when the count is out of range
 * @param router     the router resolved; {@code null} when it did not
 * @param declModels per expert declaration, resolved; an entry is {@code null} when it did not
 */
record CheckedDeployment(Deployment deployment, CoePlatform platform, ExpertTable table, ResolvedModel router,
        ResolvedModel[] declModels, DeploymentFootprint footprint) {

    List<Diagnostic> diagnostics() {
        return footprint.diagnostics();
    }

    boolean hasErrors() {
        return footprint.hasErrors();
    }

    /** Throws the diagnostics when there is an error. */
    CheckedDeployment orThrow() {
        if (hasErrors()) {
            throw new DeploymentException(diagnostics());
        }
        return this;
    }
}
