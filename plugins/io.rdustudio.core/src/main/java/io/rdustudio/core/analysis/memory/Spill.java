package io.rdustudio.core.analysis.memory;

/**
 * A tensor the planner moved from HBM to DDR, and why.
 *
 * @param bytes                  its size on the socket
 * @param aggregateTransferBytes bytes its launches read and write over the whole program
 * @param reason                 a sentence for reports: what overflowed and why this tensor went first
 */
public record Spill(String tensor, long bytes, long aggregateTransferBytes, String reason) {

    public double transferPerByteFreed() {
        return bytes == 0 ? Double.POSITIVE_INFINITY : (double) aggregateTransferBytes / bytes;
    }
}
