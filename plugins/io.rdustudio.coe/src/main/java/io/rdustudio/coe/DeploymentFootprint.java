package io.rdustudio.coe;

import java.util.List;
import java.util.Optional;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;

/**
 * Per-tier memory use of a deployment on one platform, per node and per expert declaration
 * ({@link Footprints#of}); what inlay hints and hovers show.
 *
 * @param platform    the platform's figures
 * @param router      the router, when it resolved
 * @param nodes       one entry per node
 * @param experts     one entry per expert declaration that resolved, in order
 * @param diagnostics every problem {@link DeploymentCheck} finds; the figures cover what resolved
 */
public record DeploymentFootprint(CoePlatform platform, Optional<RouterFootprint> router, List<NodeFootprint> nodes,
        List<ExpertFootprint> experts, List<Diagnostic> diagnostics) {

    public DeploymentFootprint {
        nodes = List.copyOf(nodes);
        experts = List.copyOf(experts);
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    public long backingUsedBytes() {
        return nodes.stream().mapToLong(NodeFootprint::backingUsedBytes).sum();
    }

    public long hbmUsedBytes() {
        return nodes.stream().mapToLong(NodeFootprint::hbmUsedBytes).sum();
    }
}
