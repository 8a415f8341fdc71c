package io.rdustudio.core.target;

/** One of the three values a {@link Figure} carries. */
public enum Bound {
    NOMINAL,
    LOW,
    HIGH
}
