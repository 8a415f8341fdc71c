package io.rdustudio.coe.model;

import java.util.Objects;
import java.util.OptionalInt;

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
 * @param batchSize         prompts the router runs together while serving this workload; empty for the
 *                          policy's {@link RuntimePolicy#batchSize()}. The paper's four cases are two workloads
 *                          (20 and 200 output tokens) at batch 1 and batch 8
 * @param location          where the workload is declared
 */
public record Workload(String name, int promptTokens, int outputTokens, double arrivalsPerSecond, ExpertMix mix,
        int requests, long seed, OptionalInt batchSize, SourceLocation location) {

    public static final int DEFAULT_REQUESTS = 1000;
    public static final long DEFAULT_SEED = 1;

    public Workload {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mix, "mix");
        Objects.requireNonNull(batchSize, "batchSize");
        Objects.requireNonNull(location, "location");
    }

    /** A workload served at the policy's batch size. */
    public Workload(String name, int promptTokens, int outputTokens, double arrivalsPerSecond, ExpertMix mix,
            int requests, long seed, SourceLocation location) {
        this(name, promptTokens, outputTokens, arrivalsPerSecond, mix, requests, seed, OptionalInt.empty(), location);
    }

    /** The contract's sketch signature; the location is unknown. */
    public Workload(String name, int promptTokens, int outputTokens, double arrivalsPerSecond, ExpertMix mix,
            int requests, long seed) {
        this(name, promptTokens, outputTokens, arrivalsPerSecond, mix, requests, seed, SourceLocation.UNKNOWN);
    }

    /** The batch size this workload is served at under {@code policy}: its own, else the policy's. */
    public int batchSizeUnder(RuntimePolicy policy) {
        return batchSize.orElse(policy.batchSize());
    }

    public Workload withRequests(int count) {
        return new Workload(name, promptTokens, outputTokens, arrivalsPerSecond, mix, count, seed, batchSize, location);
    }

    public Workload withSeed(long newSeed) {
        return new Workload(name, promptTokens, outputTokens, arrivalsPerSecond, mix, requests, newSeed, batchSize, location);
    }

    /** The same workload served at batch size {@code batch}, whatever the policy says. */
    public Workload withBatchSize(int batch) {
        return new Workload(name, promptTokens, outputTokens, arrivalsPerSecond, mix, requests, seed, OptionalInt.of(batch),
                location);
    }
}
