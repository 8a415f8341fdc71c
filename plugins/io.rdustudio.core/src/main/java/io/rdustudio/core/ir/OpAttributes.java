package io.rdustudio.core.ir;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named, evaluated attributes of an operator call ({@code axis=-1}, {@code perm=[0, 2, 1]},
 * {@code eps=1e-5}, {@code to=hbm}). Integers and integer lists are stored as lists of longs,
 * numbers as doubles, names (tiers) as strings.
 */
public record OpAttributes(Map<String, List<Long>> integers, Map<String, Double> numbers, Map<String, String> names) {

    public static final OpAttributes NONE = new OpAttributes(Map.of(), Map.of(), Map.of());

    public OpAttributes {
        integers = Map.copyOf(integers);
        numbers = Map.copyOf(numbers);
        names = Map.copyOf(names);
    }

    public Optional<Long> integer(String key) {
        List<Long> v = integers.get(key);
        return v == null || v.size() != 1 ? Optional.empty() : Optional.of(v.get(0));
    }

    public Optional<List<Long>> integerList(String key) {
        return Optional.ofNullable(integers.get(key));
    }

    public Optional<Double> number(String key) {
        Double d = numbers.get(key);
        if (d != null) {
            return Optional.of(d);
        }
        return integer(key).map(Long::doubleValue);
    }

    public Optional<String> name(String key) {
        return Optional.ofNullable(names.get(key));
    }

    public boolean has(String key) {
        return integers.containsKey(key) || numbers.containsKey(key) || names.containsKey(key);
    }

    /** Every key present, in no particular order. */
    public java.util.Set<String> keys() {
        java.util.Set<String> all = new java.util.HashSet<>(integers.keySet());
        all.addAll(numbers.keySet());
        all.addAll(names.keySet());
        return all;
    }

    /** A mutable builder used by front ends. */
    public static final class Builder {
        private final Map<String, List<Long>> integers = new LinkedHashMap<>();
        private final Map<String, Double> numbers = new LinkedHashMap<>();
        private final Map<String, String> names = new LinkedHashMap<>();

        public Builder integer(String key, long value) {
            integers.put(key, List.of(value));
            return this;
        }

        public Builder integers(String key, List<Long> values) {
            integers.put(key, List.copyOf(values));
            return this;
        }

        public Builder number(String key, double value) {
            numbers.put(key, value);
            return this;
        }

        public Builder name(String key, String value) {
            names.put(key, value);
            return this;
        }

        public OpAttributes build() {
            return new OpAttributes(integers, numbers, names);
        }
    }
}
