package io.rdustudio.core.analysis.cost;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.rdustudio.core.ir.SourceLocation;

/**
 * The roofline cost of one launch of a kernel (or of a part of one, or of several fused).
 *
 * @param name          the kernel instance, or a description of the part or the fusion
 * @param work          FLOPs by PCU resource, transcendentals, P2P bytes
 * @param bytesByChannel bytes moved per launch on each channel (SRAM = stage-buffer traffic)
 * @param streams       the off-chip streams behind the HBM, DDR, host and P2P figures
 * @param time          roofline time of one launch: nominal, optimistic, pessimistic, in seconds
 * @param terms         each roofline term at nominal figures, in seconds; the largest is {@code bound}
 * @param bound         the term that decides the nominal time
 * @param ops           per-operator costs (empty for a fusion of several kernels)
 */
public record KernelCost(String name, OpWork work, Map<MemoryChannel, Double> bytesByChannel, List<Stream> streams,
        Estimate time, Map<Limiter, Double> terms, Limiter bound, List<OpCost> ops, SourceLocation location) {

    public KernelCost {
        bytesByChannel = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(bytesByChannel)); // sorted: reports must not depend on hash order
        streams = List.copyOf(streams);
        terms = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(terms)); // sorted: reports must not depend on hash order
        ops = List.copyOf(ops);
    }

    public double flops() {
        return work.flops();
    }

    public double bytes(MemoryChannel channel) {
        return bytesByChannel.getOrDefault(channel, 0.0);
    }

    /** Bytes moved to and from HBM, DDR and host memory: the denominator of intensity. */
    public double offChipBytes() {
        return bytes(MemoryChannel.HBM) + bytes(MemoryChannel.DDR) + bytes(MemoryChannel.HOST);
    }

    /** FLOPs per off-chip byte; infinite for a kernel that moves no off-chip bytes. */
    public double intensity() {
        double b = offChipBytes();
        return b == 0 ? Double.POSITIVE_INFINITY : flops() / b;
    }

    /** The bytes per channel as an ordered map, zero channels included. */
    public Map<MemoryChannel, Double> bytesTable() {
        Map<MemoryChannel, Double> all = new EnumMap<>(MemoryChannel.class);
        for (MemoryChannel c : MemoryChannel.values()) {
            all.put(c, bytes(c));
        }
        return all;
    }
}
