package io.rdustudio.coe;

import java.util.List;

import io.rdustudio.core.diag.Diagnostic;

/**
 * The outcome of one serving simulation (plain data; renderers turn it into text, JSON and HTML).
 *
 * @param deployment          the deployment's name
 * @param platform            the target profile's name
 * @param workload            the workload's name
 * @param seed                the workload's seed
 * @param batchSize           the policy's batch size
 * @param prefetch            whether prefetch was on
 * @param copyFigure          the copy bandwidth used for switches and where it comes from
 * @param requests            every simulated request in arrival order
 * @param latency             end-to-end latency (arrival to last token)
 * @param queueing            the queueing part of each latency
 * @param router              the router part
 * @param switching           the expert-switch part
 * @param execution           the execution part (prefill and decode)
 * @param firstToken          time to first token
 * @param makespanSeconds     from the first arrival to the last completion
 * @param requestsPerSecond   completed requests over the makespan
 * @param outputTokensPerSecond generated tokens over the makespan
 * @param hits                requests whose expert was resident when their turn came
 * @param hitRate             hits over requests (1 when there are none)
 * @param copies              expert (and router) copies into HBM
 * @param bytesCopied         bytes those copies moved
 * @param evictions           experts evicted from HBM (nothing is ever copied back)
 * @param batches             router runs
 * @param footprint           the deployment's memory use on the platform
 * @param notes               warnings and notes (an output cap that bit, say)
 * @param complete            false when cancelled: the figures cover the requests simulated so far
 */
public record ServingResult(String deployment, String platform, String workload, long seed, int batchSize,
        boolean prefetch, String copyFigure, List<RequestRecord> requests, LatencySummary latency,
        LatencySummary queueing, LatencySummary router, LatencySummary switching, LatencySummary execution,
        LatencySummary firstToken, double makespanSeconds, double requestsPerSecond, double outputTokensPerSecond,
        long hits, double hitRate, long copies, long bytesCopied, long evictions, long batches,
        DeploymentFootprint footprint, List<Diagnostic> notes, boolean complete) {

    public ServingResult {
        requests = List.copyOf(requests);
        notes = List.copyOf(notes);
    }

    /** Mean prompts per router run. */
    public double meanBatchSize() {
        return batches == 0 ? 0 : (double) requests.size() / batches;
    }
}
