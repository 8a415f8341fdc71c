package io.rdustudio.core.analysis.cost;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.rdustudio.core.diag.Diagnostic;

/**
 * The cost of a whole schedule: every call site times its launches (loop trip counts multiplied).
 * Launch costs are not included; they belong to the emulator.
 *
 * @param complete false when the analysis was cancelled and {@code calls} holds only a prefix
 */
public record ProgramCost(List<CallCost> calls, List<Diagnostic> diagnostics, boolean complete) {

    public ProgramCost {
        calls = List.copyOf(calls);
        diagnostics = List.copyOf(diagnostics);
    }

    public double flops() {
        return calls.stream().mapToDouble(c -> c.perCall().flops() * c.calls()).sum();
    }

    public double bytes(MemoryChannel channel) {
        return calls.stream().mapToDouble(c -> c.perCall().bytes(channel) * c.calls()).sum();
    }

    public Map<MemoryChannel, Double> bytesByChannel() {
        Map<MemoryChannel, Double> all = new EnumMap<>(MemoryChannel.class);
        for (MemoryChannel c : MemoryChannel.values()) {
            all.put(c, bytes(c));
        }
        return all;
    }

    public double offChipBytes() {
        return bytes(MemoryChannel.HBM) + bytes(MemoryChannel.DDR) + bytes(MemoryChannel.HOST);
    }

    public double intensity() {
        double b = offChipBytes();
        return b == 0 ? Double.POSITIVE_INFINITY : flops() / b;
    }

    public Estimate time() {
        Estimate t = Estimate.ZERO;
        for (CallCost c : calls) {
            t = t.plus(c.totalTime());
        }
        return t;
    }
}
