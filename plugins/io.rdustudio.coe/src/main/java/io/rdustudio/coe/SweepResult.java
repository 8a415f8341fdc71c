package io.rdustudio.coe;

import java.util.List;
import java.util.OptionalInt;

import io.rdustudio.core.diag.Diagnostic;

/**
 * Latency and footprint against the number of experts on every platform (the shape of the SN40L
 * paper's comparison).
 *
 * @param deployment        the deployment's name
 * @param workload          the workload's name
 * @param expertClass       the declaration whose copies stand for the experts beyond those declared
 * @param requestsPerPoint  requests simulated at each point
 * @param platforms         the platforms' names, in order
 * @param points            every point: for each platform, each count in ascending order
 * @param notes             what the sweep changed about the descriptor (a node spread dropped, say)
 * @param complete          false when cancelled
 */
public record SweepResult(String deployment, String workload, String expertClass, int requestsPerPoint,
        List<String> platforms, List<SweepPoint> points, List<Diagnostic> notes, boolean complete) {

    public SweepResult {
        platforms = List.copyOf(platforms);
        points = List.copyOf(points);
        notes = List.copyOf(notes);
    }

    public List<SweepPoint> points(String platform) {
        return points.stream().filter(p -> p.platform().equals(platform)).toList();
    }

    /** The smallest count at which {@code platform} runs out of memory, if any. */
    public OptionalInt firstOutOfMemory(String platform) {
        return points(platform).stream().filter(p -> p.placement() == SweepPoint.Placement.OUT_OF_MEMORY)
                .mapToInt(SweepPoint::experts).min();
    }

    /** The largest count at which every expert stays in HBM on {@code platform}, if any. */
    public OptionalInt lastAllInHbm(String platform) {
        return points(platform).stream().filter(p -> p.placement() == SweepPoint.Placement.ALL_IN_HBM)
                .mapToInt(SweepPoint::experts).max();
    }
}
