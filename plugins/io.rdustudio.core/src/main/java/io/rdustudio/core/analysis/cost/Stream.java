package io.rdustudio.core.analysis.cost;

/**
 * One off-chip stream of a kernel: a value read from or written to a memory tier (or a
 * collective's traffic on P2P), with the bytes it moves per launch.
 *
 * @param value   the kernel parameter or intermediate value the stream carries
 * @param write   true for a store, false for a load
 */
public record Stream(String value, MemoryChannel channel, boolean write, double bytes) {
}
