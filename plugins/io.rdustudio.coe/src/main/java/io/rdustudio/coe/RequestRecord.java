package io.rdustudio.coe;

/**
 * One simulated request and where its time went. The four parts add up to its latency.
 *
 * @param id               its index in arrival order
 * @param arrivalSeconds   when it arrived
 * @param expert           the expert that served it (instance name)
 * @param node             the node that served it
 * @param promptTokens     its prompt's length
 * @param outputTokens     tokens it generated (after the policy's cap)
 * @param batch            the index of its batch on its node
 * @param hit              its expert was resident when its turn came (no copy for it)
 * @param queueingSeconds  waiting: for its batch to fill and start, and for the earlier pairs of its batch to run
 * @param routerSeconds    its batch's router run
 * @param switchSeconds    time its node stalled on copies into HBM, within its batch, before its own
 *                         execution started (its expert's copy and those of earlier pairs, the router's if in DDR)
 * @param executionSeconds its prefill and decode steps
 * @param firstTokenSeconds from arrival to the end of its prefill (time to first token)
 */
public record RequestRecord(int id, double arrivalSeconds, String expert, int node, int promptTokens, int outputTokens,
        int batch, boolean hit, double queueingSeconds, double routerSeconds, double switchSeconds,
        double executionSeconds, double firstTokenSeconds) {

    public double latencySeconds() {
        return queueingSeconds + routerSeconds + switchSeconds + executionSeconds;
    }

    public double completionSeconds() {
        return arrivalSeconds + latencySeconds();
    }
}
