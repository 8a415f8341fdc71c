package io.rdustudio.core.target;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures of one hardware target, as loaded by {@link TargetProfiles}, seen at one
 * {@link Corner}. {@link #value(FigureKey)} answers in the key's unit at this view's corner;
 * {@link #at(Corner)} gives the same profile at another corner, so a model computes an error band
 * by running once on {@code at(Corner.OPTIMISTIC)} and once on {@code at(Corner.PESSIMISTIC)}.
 *
 * <p>Immutable and safe to share between threads. A profile holds exactly the figures that
 * apply to its {@link #kind()} (see {@link FigureKey#appliesTo(TargetKind)}).
 */
public final class TargetProfile {

    private final String name;
    private final TargetKind kind;
    private final String description;
    private final String source;
    private final String contentHash;
    private final Map<FigureKey, Figure> figures;
    private final Corner corner;

    TargetProfile(String name, TargetKind kind, String description, String source, String contentHash,
            Map<FigureKey, Figure> figures) {
        this(name, kind, description, source, contentHash,
                Collections.unmodifiableMap(new EnumMap<>(figures)), Corner.NOMINAL);
    }

    private TargetProfile(String name, TargetKind kind, String description, String source,
            String contentHash, Map<FigureKey, Figure> figures, Corner corner) {
        this.name = name;
        this.kind = kind;
        this.description = description;
        this.source = source;
        this.contentHash = contentHash;
        this.figures = figures;
        this.corner = corner;
    }

    /** The profile's {@code "name"}, e.g. {@code sn40l}. */
    public String name() {
        return name;
    }

    public TargetKind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    /** Where the profile was read from: {@code classpath:/...} for a bundled one, else the file path. */
    public String source() {
        return source;
    }

    /**
     * SHA-256 of the profile's bytes exactly as read, as 64 lowercase hex digits. Results that
     * depend on a profile record this hash so that a changed profile is noticed.
     */
    public String contentHash() {
        return contentHash;
    }

    /** The corner this view answers {@link #value(FigureKey)} at; {@link Corner#NOMINAL} as loaded. */
    public Corner corner() {
        return corner;
    }

    /** This profile seen at {@code newCorner}; the figures are shared, not copied. */
    public TargetProfile at(Corner newCorner) {
        return new TargetProfile(name, kind, description, source, contentHash, figures, newCorner);
    }

    /**
     * The value of {@code key} at this view's corner, in {@code key.unit()}.
     *
     * @throws IllegalArgumentException if {@code key} does not apply to this profile's kind
     */
    public double value(FigureKey key) {
        return figure(key).at(corner.boundFor(key));
    }

    /**
     * The full figure of {@code key}: nominal, range, unit and provenance, whatever the corner.
     *
     * @throws IllegalArgumentException if {@code key} does not apply to this profile's kind
     */
    public Figure figure(FigureKey key) {
        Figure figure = figures.get(key);
        if (figure == null) {
            throw new IllegalArgumentException("target profile " + name + " (kind " + kind.jsonName()
                    + ") has no figure " + key.jsonKey() + "; only profiles of kind " + kindsOf(key) + " have it");
        }
        return figure;
    }

    /** All figures of the profile, in {@link FigureKey} order; unmodifiable. */
    public Map<FigureKey, Figure> figures() {
        return figures;
    }

    private static String kindsOf(FigureKey key) {
        return Arrays.stream(TargetKind.values())
                .filter(key::appliesTo)
                .map(TargetKind::jsonName)
                .collect(Collectors.joining(" or "));
    }

    @Override
    public String toString() {
        return name + " (" + kind.jsonName() + ", " + corner.name().toLowerCase(Locale.ROOT) + ") from " + source;
    }
}
