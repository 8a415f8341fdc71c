package io.rdustudio.core.analysis.memory;

import java.util.List;

/**
 * What one {@link SpillOrder} does on one socket, so that the two orders can be compared.
 *
 * @param spilled          tensors moved to DDR, in the order they were chosen
 * @param spilledBytes     their total size
 * @param ddrTransferBytes the traffic they put on DDR over the whole program (their aggregate transfer)
 * @param fits             whether HBM fits after these spills
 */
public record SpillOutcome(SpillOrder order, List<String> spilled, long spilledBytes, long ddrTransferBytes,
        boolean fits) {

    public SpillOutcome {
        spilled = List.copyOf(spilled);
    }
}
