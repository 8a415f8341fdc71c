package io.rdustudio.coe;

/**
 * The largest inputs the checks accept. They exist so that an absurd descriptor (a million experts,
 * a billion requests) is refused with a message instead of exhausting the heap; each is far beyond
 * what one node serves (docs/coe-simulation.md, "Limits").
 */
public final class Limits {

    /** Experts in one deployment, copies counted (Samba-CoE has 150; a sweep goes to about 1,000). */
    public static final int MAX_EXPERTS = 100_000;
    /** Requests in one simulation; each keeps a record of its latency split. */
    public static final int MAX_REQUESTS = 1_000_000;
    /** Nodes of one deployment. */
    public static final int MAX_NODES = 4096;
    /** Prompts in one batch. */
    public static final int MAX_BATCH = 4096;
    /** Tokens of one prompt or one output. */
    public static final int MAX_TOKENS = 10_000_000;

    private Limits() {
    }
}
