package io.rdustudio.coe.model;

import java.util.Objects;

import io.rdustudio.core.ir.SourceLocation;

/**
 * The machine a deployment runs on.
 *
 * @param targetProfile a bundled target-profile name or a profile file's path, as
 *                      {@code io.rdustudio.core.target.TargetProfiles.load(String)} takes it;
 *                      {@value #DEFAULT_PROFILE} by default (one SN40L node of 8 sockets)
 * @param nodes         how many such nodes; 1 by default. Each node holds its own router and the
 *                      experts {@link Deployment#spread()} assigns to it
 * @param location      where the hardware is declared; {@link SourceLocation#UNKNOWN} when it is a default
 */
public record Hardware(String targetProfile, int nodes, SourceLocation location) {

    public static final String DEFAULT_PROFILE = "sn40l-node";

    /** One SN40L node: what a descriptor that says nothing about hardware means. */
    public static final Hardware DEFAULT = new Hardware(DEFAULT_PROFILE, 1, SourceLocation.UNKNOWN);

    public Hardware {
        Objects.requireNonNull(targetProfile, "targetProfile");
        Objects.requireNonNull(location, "location");
    }

    /** The contract's sketch signature; the location is unknown. */
    public Hardware(String targetProfile, int nodes) {
        this(targetProfile, nodes, SourceLocation.UNKNOWN);
    }

    /** The same hardware with another profile (the GPU baselines run a descriptor on a DGX). */
    public Hardware withTargetProfile(String profile) {
        return new Hardware(profile, nodes, location);
    }

    /** The same hardware with another node count (capacity planning). */
    public Hardware withNodes(int count) {
        return new Hardware(targetProfile, count, location);
    }
}
