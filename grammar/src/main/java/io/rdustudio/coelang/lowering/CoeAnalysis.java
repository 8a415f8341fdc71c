package io.rdustudio.coelang.lowering;

import java.util.List;

import io.rdustudio.coe.DeploymentFootprint;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ModelResolver;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.target.TargetProfile;

/**
 * What the editor and the commands know of one descriptor: its deployment, the profile of its
 * hardware, the simulator's footprint and checks on it, and every diagnostic (the language's first,
 * then the simulator's).
 *
 * @param deployment  null when the descriptor has language errors
 * @param profile     the hardware's target profile; null when the deployment is null or the profile does not load
 * @param footprint   per-tier use and the checks; null when the profile is
 * @param resolver    the resolver the footprint was computed with (its timings are memoised)
 * @param diagnostics all problems, in the order found
 */
public record CoeAnalysis(Deployment deployment, TargetProfile profile, DeploymentFootprint footprint,
        ModelResolver resolver, List<Diagnostic> diagnostics) {

    public CoeAnalysis {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.severity() == io.rdustudio.core.diag.Severity.ERROR);
    }
}
