package io.rdustudio.core.analysis.fusion;

import java.util.Map;

import io.rdustudio.core.analysis.cost.Estimate;
import io.rdustudio.core.analysis.cost.MemoryChannel;

/**
 * A program's totals at one fusion level: all launches of all kernels the level makes.
 *
 * @param name      "unfused", "as written" or "largest fusion"
 * @param launches  kernel launches in the whole schedule
 */
public record FusionLevel(String name, long launches, double flops, Map<MemoryChannel, Double> bytesByChannel,
        Estimate time) {

    public FusionLevel {
        bytesByChannel = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(bytesByChannel)); // sorted: reports must not depend on hash order
    }

    public double offChipBytes() {
        return bytesByChannel.getOrDefault(MemoryChannel.HBM, 0.0) + bytesByChannel.getOrDefault(MemoryChannel.DDR, 0.0)
                + bytesByChannel.getOrDefault(MemoryChannel.HOST, 0.0);
    }

    public double intensity() {
        double b = offChipBytes();
        return b == 0 ? Double.POSITIVE_INFINITY : flops / b;
    }
}
