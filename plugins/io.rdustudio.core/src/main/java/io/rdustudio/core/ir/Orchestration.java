package io.rdustudio.core.ir;

/** Who issues kernel launches (DOMAIN.md section 3). */
public enum Orchestration {
    /** The host issues each launch and pays round trips per launch. */
    SOFTWARE,
    /** The AGCUs run a static schedule from the device. */
    HARDWARE
}
