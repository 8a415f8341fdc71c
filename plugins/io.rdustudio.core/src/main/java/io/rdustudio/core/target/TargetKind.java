package io.rdustudio.core.target;

import java.util.Arrays;
import java.util.Optional;

/** The kind of machine a profile describes; it decides which figures the profile must give. */
public enum TargetKind {
    /** A SambaNova reconfigurable dataflow unit: one SN40L socket or a node of sockets. */
    RDU("rdu"),
    /** A GPU system used as a comparison baseline, such as a DGX node. */
    GPU("gpu");

    private final String jsonName;

    TargetKind(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value of the profile's {@code "kind"} field. */
    public String jsonName() {
        return jsonName;
    }

    /** The kind whose {@link #jsonName()} is {@code text}, if any. */
    public static Optional<TargetKind> fromJsonName(String text) {
        return Arrays.stream(values()).filter(kind -> kind.jsonName.equals(text)).findFirst();
    }
}
