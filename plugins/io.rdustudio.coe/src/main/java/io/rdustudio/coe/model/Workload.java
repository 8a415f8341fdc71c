package io.rdustudio.coe.model;

import java.util.Objects;

import io.rdustudio.core.ir.SourceLocation;

/**
 * A stream of requests to serve: their lengths, how fast they come and which experts they need.
 *
 * @param name              the workload's name, e.g. {@code "chatbot"}
 * @param promptTokens      tokens in each prompt (a trace line may give its own)
 * @param outputTokens      tokens generated per request, capped at {@link RuntimePolicy#maxOutputTokens()}
 *                          (a trace line may give its own); 20 for the paper's chatbot turn, 200 for translation
 * @param arrivalsPerSecond mean arrival rate of a Poisson process, in requests per second; unused for a
 *                          {@link ExpertMix.Trace}
 * @param mix               how requests spread over the experts, or the trace they are replayed from
 * @param requests          how many requests to simulate ({@value #DEFAULT_REQUESTS} by default); for a trace,
 *                          at most this many from its earliest arrival, 0 meaning the whole trace
 * @param seed              seeds the arrival times and the expert choices; equal seeds give equal runs
 *                          ({@value #DEFAULT_SEED} by default)
 * @param location          where the workload is declared
 */
public record Workload(String name, int promptTokens, int outputTokens, double arrivalsPerSecond, ExpertMix mix,
        int requests, long seed, SourceLocation location) {

    public static final int DEFAULT_REQUESTS = 1000;
    public static final long DEFAULT_SEED = 1;

    public Workload {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mix, "mix");
        Objects.requireNonNull(location, "location");
    }

    /** The contract's sketch signature; the location is unknown. */
    public Workload(String name, int promptTokens, int outputTokens, double arrivalsPerSecond, ExpertMix mix,
            int requests, long seed) {
        this(name, promptTokens, outputTokens, arrivalsPerSecond, mix, requests, seed, SourceLocation.UNKNOWN);
    }

    public Workload withRequests(int count) {
        return new Workload(name, promptTokens, outputTokens, arrivalsPerSecond, mix, count, seed, location);
    }

    public Workload withSeed(long newSeed) {
        return new Workload(name, promptTokens, outputTokens, arrivalsPerSecond, mix, requests, newSeed, location);
    }
}
