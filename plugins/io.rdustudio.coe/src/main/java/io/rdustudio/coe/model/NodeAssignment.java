package io.rdustudio.coe.model;

import java.util.List;
import java.util.Objects;

import io.rdustudio.core.ir.SourceLocation;

/**
 * Which experts one node of a multi-node deployment holds. The router runs on every node; a
 * request is served by the node that holds its expert.
 *
 * @param node     the node's index, 0-based ({@code 0 <= node < Hardware.nodes()})
 * @param experts  names of experts on that node: an {@link ExpertDecl#name()} (all its copies)
 *                 or one copy's {@link ExpertDecl#instanceName(int)}
 * @param location where the assignment is written
 */
public record NodeAssignment(int node, List<String> experts, SourceLocation location) {

    public NodeAssignment {
        experts = List.copyOf(experts);
        Objects.requireNonNull(location, "location");
    }

    /** The contract's sketch signature; the location is unknown. */
    public NodeAssignment(int node, List<String> experts) {
        this(node, experts, SourceLocation.UNKNOWN);
    }
}
