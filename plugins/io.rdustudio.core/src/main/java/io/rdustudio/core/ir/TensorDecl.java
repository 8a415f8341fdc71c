package io.rdustudio.core.ir;

import java.util.Optional;

/**
 * A program-level tensor. A declared tier is a hard constraint for the memory planner; without one
 * the planner decides (HBM first).
 */
public record TensorDecl(String name, Role role, TensorType type, Optional<Tier> tier, SourceLocation location) {
}
