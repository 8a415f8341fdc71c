package io.rdustudio.core.analysis.memory;

import java.util.List;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;

/**
 * The static memory plan of a program (DOMAIN.md section 4): where every tensor lives on every
 * socket, at which address, and for how long. Produced by {@link MemoryPlanner}; plain data.
 *
 * @param sockets            the schedule's socket count (0 for a library file)
 * @param timelineCalls      launches on the timeline the lifetimes are measured on
 * @param timelineCompressed loops were unrolled three times instead of fully (see {@link MemoryPlanner})
 * @param socketPlans        one plan per group of sockets holding the same tensors, socket 0's first
 * @param diagnostics        errors (does not fit), warnings and notes; never an exception for a user error
 * @param cancelled          the request was cancelled; the plan is partial
 */
public record MemoryPlan(String program, String target, int sockets, int timelineCalls, boolean timelineCompressed,
        List<TensorSummary> tensors, List<SocketPlan> socketPlans, List<Diagnostic> diagnostics, boolean cancelled) {

    public MemoryPlan {
        tensors = List.copyOf(tensors);
        socketPlans = List.copyOf(socketPlans);
        diagnostics = List.copyOf(diagnostics);
    }

    /** The plan of {@code socket}; an empty plan for a socket outside the schedule. */
    public SocketPlan socket(int socket) {
        for (SocketPlan p : socketPlans) {
            if (p.sockets().contains(socket)) {
                return p;
            }
        }
        return new SocketPlan(List.of(socket), List.of(), java.util.Map.of(), List.of(), List.of(), 0, 0);
    }

    public boolean fits() {
        return diagnostics.stream().noneMatch(d -> d.severity() == Severity.ERROR) && !cancelled;
    }
}
