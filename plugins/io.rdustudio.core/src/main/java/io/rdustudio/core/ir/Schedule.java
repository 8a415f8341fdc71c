package io.rdustudio.core.ir;

import java.util.List;

/** The launch sequence of a program, on {@code sockets} sockets. */
public record Schedule(int sockets, Orchestration orchestration, List<Step> steps, SourceLocation location) {

    public Schedule {
        steps = List.copyOf(steps);
    }

    public Schedule withSockets(int newSockets) {
        return new Schedule(newSockets, orchestration, steps, location);
    }

    public Schedule withOrchestration(Orchestration newOrchestration) {
        return new Schedule(sockets, newOrchestration, steps, location);
    }
}
