package io.rdustudio.coe.model;

/**
 * How long one model takes on one target at its tensor-parallel degree, as a
 * {@link ModelResolver} derives it. Times are wall-clock seconds of the whole model (every layer,
 * every socket or GPU of its tensor-parallel group), weights already resident in HBM: the
 * simulator adds expert switches itself.
 *
 * <p>Implementations must be deterministic (equal arguments, equal answers) and cheap enough to
 * call often, or memoise: the simulator memoises {@link #generationSeconds} per model and lengths,
 * but a sweep asks many lengths.
 */
public interface ModelTiming {

    /**
     * One prefill pass: {@code batch} prompts of {@code promptTokens} tokens each, building their KV
     * caches. For the router this is its whole run (its verdict is read from the prefill's logits).
     *
     * @param promptTokens tokens per prompt, at least 1
     * @param batch        prompts processed together, at least 1
     */
    double prefillSeconds(int promptTokens, int batch);

    /**
     * One decode step: one new token for each of {@code batch} sequences whose KV caches hold
     * {@code kvLengthTokens} tokens before the step.
     *
     * @param kvLengthTokens tokens already in each sequence's KV cache, at least 1
     * @param batch          sequences decoded together, at least 1
     */
    double decodeStepSeconds(int kvLengthTokens, int batch);

    /**
     * A whole request: the prefill, then {@code outputTokens} decode steps, step {@code j}
     * (0-based) reading a KV cache of {@code promptTokens + j} tokens. Implementations with a closed
     * form may override it; the result must equal this sum.
     */
    default double generationSeconds(int promptTokens, int outputTokens, int batch) {
        double seconds = prefillSeconds(promptTokens, batch);
        for (int j = 0; j < outputTokens; j++) {
            seconds += decodeStepSeconds(promptTokens + j, batch);
        }
        return seconds;
    }
}
