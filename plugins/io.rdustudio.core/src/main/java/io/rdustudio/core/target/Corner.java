package io.rdustudio.core.target;

/**
 * A consistent choice of bound for every figure of a profile, used to compute error bands: a
 * model evaluated on {@code profile.at(OPTIMISTIC)} and {@code profile.at(PESSIMISTIC)} brackets
 * its nominal result.
 *
 * <p>"Low" does not mean "slow": a low bandwidth makes a run slower, a low latency makes it
 * faster. Each {@link FigureKey} states which direction is better, and a corner picks the bound
 * accordingly.
 */
public enum Corner {
    /** Every figure at its nominal value. */
    NOMINAL,
    /** Every figure at the bound that makes work faster: high bandwidths, low latencies. */
    OPTIMISTIC,
    /** Every figure at the bound that makes work slower: low bandwidths, high latencies. */
    PESSIMISTIC;

    /** The bound of {@code key}'s figure that this corner selects. */
    public Bound boundFor(FigureKey key) {
        if (this == NOMINAL || key.better() == FigureKey.Better.NEITHER) {
            return Bound.NOMINAL;
        }
        boolean higherIsFaster = key.better() == FigureKey.Better.HIGHER;
        return (this == OPTIMISTIC) == higherIsFaster ? Bound.HIGH : Bound.LOW;
    }
}
