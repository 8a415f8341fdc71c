package io.rdustudio.core.ops;

import io.rdustudio.core.ir.OpAttributes;
import io.rdustudio.core.ir.OpKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Typed, checked access to the attributes of one operator call. Every accessor reports a value of
 * the wrong kind ({@code axis=hbm}, {@code k=[1, 2]}, {@code window=0.5}) as a {@link ShapeError}
 * naming the attribute and the value given.
 */
final class AttributeReader {

    private final OpKind kind;
    private final OpAttributes attributes;

    AttributeReader(OpKind kind, OpAttributes attributes) {
        this.kind = kind;
        this.attributes = attributes;
    }

    /** Rejects keys the operator does not declare in {@link OpKind#attributes()}. */
    void checkKeys() throws ShapeError {
        List<String> unknown = new ArrayList<>();
        for (String key : attributes.keys()) {
            if (!kind.attributes().contains(key)) {
                unknown.add(key);
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        Collections.sort(unknown);
        String allowed = kind.attributes().isEmpty() ? kind.keyword() + " takes no attributes"
                : "allowed: " + String.join(", ", kind.attributes());
        throw new ShapeError("unknown attribute" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                + " (" + allowed + ")");
    }

    /** A single integer, if given. */
    Optional<Long> integer(String key) throws ShapeError {
        if (!attributes.has(key)) {
            return Optional.empty();
        }
        List<Long> values = attributes.integers().get(key);
        if (values == null) {
            throw new ShapeError(key + " must be an integer, got " + written(key));
        }
        if (values.size() != 1) {
            throw new ShapeError(key + " must be a single integer, got " + values);
        }
        return Optional.of(values.get(0));
    }

    long integer(String key, long defaultValue) throws ShapeError {
        return integer(key).orElse(defaultValue);
    }

    /** A single integer that the call must give; {@code purpose} says what it is for. */
    long requiredInteger(String key, String purpose) throws ShapeError {
        Optional<Long> value = integer(key);
        if (value.isEmpty()) {
            throw new ShapeError("attribute " + key + " is required (" + purpose + ")");
        }
        return value.get();
    }

    /** An integer or a list of integers ({@code axis=1} and {@code axis=[0, 2]}), if given. */
    Optional<List<Long>> integers(String key) throws ShapeError {
        if (!attributes.has(key)) {
            return Optional.empty();
        }
        List<Long> values = attributes.integers().get(key);
        if (values == null) {
            throw new ShapeError(key + " must be an integer or a list of integers, got " + written(key));
        }
        return Optional.of(values);
    }

    /** A 0/1 switch, 0 when absent. */
    boolean flag(String key) throws ShapeError {
        long value = integer(key, 0);
        if (value != 0 && value != 1) {
            throw new ShapeError(key + " must be 0 or 1, got " + value);
        }
        return value == 1;
    }

    /** An optional integer that must be at least {@code min} when given. */
    long atLeast(String key, long min, long defaultValue) throws ShapeError {
        long value = integer(key, defaultValue);
        if (value < min) {
            throw new ShapeError(key + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    /** A number (integers count as numbers), if given. */
    Optional<Double> number(String key) throws ShapeError {
        if (!attributes.has(key)) {
            return Optional.empty();
        }
        Optional<Double> value = attributes.number(key);
        if (value.isEmpty()) {
            throw new ShapeError(key + " must be a number, got " + written(key));
        }
        return value;
    }

    /** An optional number that must be strictly positive when given. */
    void positiveNumber(String key) throws ShapeError {
        Optional<Double> value = number(key);
        if (value.isPresent() && !(value.get() > 0)) {
            throw new ShapeError(key + " must be > 0, got " + value.get());
        }
    }

    /** A name ({@code to=hbm}) that the call must give; {@code expected} lists the valid names. */
    String requiredName(String key, String expected) throws ShapeError {
        if (!attributes.has(key)) {
            throw new ShapeError("attribute " + key + " is required (one of " + expected + ")");
        }
        Optional<String> value = attributes.name(key);
        if (value.isEmpty()) {
            throw new ShapeError(key + " must be one of " + expected + ", got " + written(key));
        }
        return value.get();
    }

    private String written(String key) {
        if (attributes.names().containsKey(key)) {
            return "'" + attributes.names().get(key) + "'";
        }
        if (attributes.numbers().containsKey(key)) {
            return String.valueOf(attributes.numbers().get(key));
        }
        List<Long> values = attributes.integers().get(key);
        return values.size() == 1 ? String.valueOf(values.get(0)) : values.toString();
    }
}
