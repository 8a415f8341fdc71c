package io.rdustudio.core.ops;

/**
 * How a value of a tensor-parallel kernel is spread over the sockets (Megatron-LM's vocabulary).
 *
 * @param kind how the value is held
 * @param axis for {@link Kind#SHARDED}, the axis (0-based, of the whole tensor) cut into equal
 *             contiguous slices, one per socket; -1 otherwise
 */
public record Sharding(Kind kind, int axis) {

    public enum Kind {
        /** Every socket holds the whole tensor. */
        REPLICATED,
        /** Socket s holds slice s of {@code axis}: the axis' size divided by the degree. */
        SHARDED,
        /** Every socket holds a tensor of the whole shape whose sum over the sockets is the value. */
        PARTIAL
    }

    public static final Sharding REPLICATED = new Sharding(Kind.REPLICATED, -1);

    public static final Sharding PARTIAL = new Sharding(Kind.PARTIAL, -1);

    public Sharding {
        if ((kind == Kind.SHARDED) != (axis >= 0)) {
            throw new IllegalArgumentException("only a sharded value has an axis: " + kind + ", " + axis);
        }
    }

    public static Sharding sharded(int axis) {
        return new Sharding(Kind.SHARDED, axis);
    }

    public boolean isSharded() {
        return kind == Kind.SHARDED;
    }

    public boolean isReplicated() {
        return kind == Kind.REPLICATED;
    }

    @Override
    public String toString() {
        return kind == Kind.SHARDED ? "sharded(" + axis + ")" : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
