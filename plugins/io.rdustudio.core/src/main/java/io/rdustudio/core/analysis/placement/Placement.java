package io.rdustudio.core.analysis.placement;

import java.util.List;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;

/**
 * A placement preview of one kernel on one socket. Plain data, rendered by {@link PlacementSvg}
 * and {@link PlacementJson}. Coordinates: {@code x} runs over both dies side by side
 * ({@code 0..2 x columnsPerDie - 1}, die {@code x / columnsPerDie}), {@code y} over rows; every
 * grid position holds one PCU and one PMU.
 *
 * @param groups            stages then stage buffers; a unit's {@code group} indexes this list
 * @param units             every placed PCU and PMU
 * @param wireLengthByteHops the placer's objective: sum over unit-to-unit streams of bytes x hops
 * @param rowMajorByteHops  the same objective for units laid out row-major in dataflow order
 * @param randomByteHops    the same objective for a random layout (seeded)
 * @param pipelineSeconds   the estimated time of one kernel run: the slowest stage's work over its PCUs' rate
 * @param longestRoutes     the unit-to-unit streams with the most hops, longest first
 * @param mostLoadedLinks   mesh and die-to-die links by bytes routed (XY routing), heaviest first
 * @param dieCrossingBytes  bytes that cross between the dies per kernel run
 */
public record Placement(String kernel, int columnsPerDie, int rows, int dies, int pcusAvailable, int pmusAvailable,
        List<Group> groups, List<Unit> units, double pcuUtilisation, double pmuUtilisation, double wireLengthByteHops,
        double rowMajorByteHops, double randomByteHops, double pipelineSeconds, List<Route> longestRoutes,
        List<LinkLoad> mostLoadedLinks, double dieCrossingBytes, double dieCrossingBytesPerSecond,
        double dieToDieBytesPerSecond, List<Diagnostic> diagnostics, boolean cancelled) {

    public Placement {
        groups = List.copyOf(groups);
        units = List.copyOf(units);
        longestRoutes = List.copyOf(longestRoutes);
        mostLoadedLinks = List.copyOf(mostLoadedLinks);
        diagnostics = List.copyOf(diagnostics);
    }

    public enum UnitKind {
        PCU, PMU
    }

    /**
     * A compute stage (PCUs) or a stage buffer (PMUs).
     *
     * @param name              the stage's result value or the buffer's value
     * @param operator          the stage's operator keyword; {@code buffer} for a buffer
     * @param work              a stage's work (FLOPs or element operations); 0 for a buffer
     * @param bytes             a buffer's capacity; 0 for a stage
     * @param unitsForCapacity  a buffer's PMUs for capacity; 1 for a stage
     * @param unitsForBandwidth a buffer's PMUs for bandwidth; 0 for a stage
     * @param units             PCUs or PMUs given
     */
    public record Group(String name, UnitKind kind, String operator, double work, long bytes, int unitsForCapacity,
            int unitsForBandwidth, int units, int line) {
    }

    public record Unit(UnitKind kind, int group, int x, int y) {
    }

    /** One unit-to-unit stream: {@code bytes} per kernel run over {@code hops} mesh hops. */
    public record Route(String from, String to, int fromX, int fromY, int toX, int toY, int hops, double bytes,
            boolean crossesDies) {
    }

    /**
     * A directed link from grid position (x1, y1) to its neighbour (x2, y2); {@code dieToDie} for the
     * links that cross the die boundary.
     *
     * @param load bytes per second needed at the pipeline's rate over the link's bandwidth (1 = saturated)
     */
    public record LinkLoad(int x1, int y1, int x2, int y2, boolean dieToDie, double bytes, double bytesPerSecond,
            double capacityBytesPerSecond, double load) {
    }

    public boolean ok() {
        return !cancelled && diagnostics.stream().noneMatch(d -> d.severity() == Severity.ERROR);
    }
}
