package io.rdustudio.coe;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;
import java.util.function.ToDoubleFunction;

import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.ModelResolver;
import io.rdustudio.coe.model.ModelTiming;
import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.core.target.TargetProfile;

/**
 * Serving a workload on a deployment, simulated (issue 6, "Serving simulation"; the model and its
 * assumptions are in docs/coe-simulation.md). The same code serves the SN40L and the GPU
 * baselines: only the platform's figures differ (HBM, the tier experts live in, the copy bandwidth).
 *
 * <p>Lifecycle: the deployment and the workload are checked on the platform ({@link DeploymentCheck});
 * any error is thrown as a {@link DeploymentException} carrying the located diagnostics. The
 * requests are drawn from the workload's seed (or read from its trace), each node's HBM cache is
 * filled with its experts in declaration order while they fit (the state after loading the
 * deployment; those copies are not counted), and each node serves its requests ({@link NodeServer}).
 * Deterministic: equal inputs and seed give an equal result.
 */
public final class ServingSimulator {

    private ServingSimulator() {
    }

    /**
     * @param workload  the workload to serve (one of the deployment's, or another), at its batch size when it
     *                  sets one, else the policy's
     * @param platform  the target profile to serve on; the descriptor's own, or a GPU baseline
     * @param cancelled polled between batches; once true the simulation stops and the result is
     *                  marked incomplete
     * @param progress  receives the fraction of requests served, 0 to 1, about a hundred times
     * @throws DeploymentException when the deployment, the workload or its trace has errors
     */
    public static ServingResult simulate(Deployment deployment, Workload workload, ModelResolver resolver,
            TargetProfile platform, BooleanSupplier cancelled, DoubleConsumer progress) {
        CheckedDeployment checked = DeploymentCheck.analyse(deployment.servingAt(workload).withWorkloads(List.of(workload)),
                List.of(), resolver, platform).orThrow();
        return simulate(checked, workload, new TimingMemo(), cancelled, progress);
    }

    static ServingResult simulate(CheckedDeployment c, Workload w, TimingMemo memo, BooleanSupplier cancelled,
            DoubleConsumer progress) {
        Deployment d = c.deployment();
        ExpertTable table = c.table();
        int experts = table.size();
        boolean routerCached = d.router().effectiveWeightsTier() == Tier.DDR;
        int ids = experts + (routerCached ? 1 : 0);
        long[] bytes = new long[ids];
        double[] switchSeconds = new double[ids];
        boolean[] pinned = new boolean[experts];
        ModelTiming[] timing = new ModelTiming[experts];
        for (int e = 0; e < experts; e++) {
            ExpertDecl decl = table.declaration(e);
            ResolvedModel m = c.declModels()[table.decl(e)];
            bytes[e] = m.footprint().weightBytes();
            switchSeconds[e] = c.platform().switchSeconds(bytes[e], decl.tensorParallel());
            pinned[e] = decl.pinned();
            timing[e] = m.timing();
        }
        if (routerCached) {
            bytes[experts] = c.router().footprint().weightBytes();
            switchSeconds[experts] = c.platform().switchSeconds(bytes[experts], d.router().tensorParallel());
        }
        RequestStream stream = RequestStream.of(c, w);
        int total = stream.size();
        NodeServer.Outcome out = new NodeServer.Outcome(total);
        int[][] members = NodeServer.membersByNode(stream, table, d.hardware().nodes());
        Progress meter = new Progress(total, progress);
        boolean complete = true;
        for (int n = 0; n < members.length && complete; n++) {
            LruCache cache = new LruCache(c.footprint().nodes().get(n).cacheCapacityBytes(), bytes);
            if (routerCached) {
                warm(cache, experts);
            }
            for (int e = 0; e < experts; e++) {
                if (table.node(e) == n && !pinned[e]) {
                    warm(cache, e);
                }
            }
            NodeServer server = new NodeServer(d.policy(), stream, members[n], cache, pinned, timing, switchSeconds,
                    c.router().timing(), routerCached ? experts : -1, memo, out);
            complete = server.run(cancelled, meter);
        }
        progress.accept(1.0);
        return result(c, w, stream, out, complete);
    }

    private static void warm(LruCache cache, int id) {
        if (cache.bytes(id) <= cache.freeBytes()) {
            cache.insert(id);
        }
    }

    /** Forwards progress about a hundred times over a run, not once per batch. */
    private static final class Progress implements IntConsumer {
        private final int total;
        private final DoubleConsumer sink;
        private long served;
        private long reported;

        Progress(int total, DoubleConsumer sink) {
            this.total = total;
            this.sink = sink;
        }

        @Override
        public void accept(int requests) {
            served += requests;
            if ((served - reported) * 100 >= total) {
                reported = served;
                sink.accept((double) served / total);
            }
        }
    }

    private static ServingResult result(CheckedDeployment c, Workload w, RequestStream s, NodeServer.Outcome out,
            boolean complete) {
        ExpertTable table = c.table();
        String[] names = new String[table.size()];
        List<RequestRecord> records = new ArrayList<>();
        double firstArrival = Double.POSITIVE_INFINITY;
        double lastCompletion = 0;
        long hits = 0;
        long tokens = 0;
        for (int r = 0; r < s.size(); r++) {
            if (!out.done[r]) {
                continue;
            }
            int e = s.expert[r];
            if (names[e] == null) {
                names[e] = table.name(e);
            }
            RequestRecord rec = new RequestRecord(r, s.arrival[r], names[e], table.node(e), s.prompt[r], s.output[r],
                    out.batch[r], out.hit[r], out.queueing[r], out.router[r], out.switching[r], out.execution[r],
                    out.firstToken[r]);
            records.add(rec);
            firstArrival = Math.min(firstArrival, rec.arrivalSeconds());
            lastCompletion = Math.max(lastCompletion, rec.completionSeconds());
            hits += rec.hit() ? 1 : 0;
            tokens += rec.outputTokens();
        }
        int n = records.size();
        double makespan = n == 0 ? 0 : lastCompletion - firstArrival;
        List<Diagnostic> notes = new ArrayList<>();
        int cap = c.deployment().policy().maxOutputTokens();
        if (w.outputTokens() > cap) {
            notes.add(Diagnostic.warning("coe.output-capped", "workload '" + w.name() + "' asks for " + w.outputTokens()
                    + " output tokens; the policy caps each request at " + cap, w.location()));
        }
        return new ServingResult(c.deployment().name(), c.platform().name(), w.name(), w.seed(),
                c.deployment().policy().batchSize(), c.deployment().policy().prefetch(), c.platform().copySummary(), records,
                summary(records, RequestRecord::latencySeconds), summary(records, RequestRecord::queueingSeconds),
                summary(records, RequestRecord::routerSeconds), summary(records, RequestRecord::switchSeconds),
                summary(records, RequestRecord::executionSeconds), summary(records, RequestRecord::firstTokenSeconds),
                makespan, makespan > 0 ? n / makespan : 0, makespan > 0 ? tokens / makespan : 0, hits,
                n == 0 ? 1 : (double) hits / n, out.copies, out.bytesCopied, out.evictions, out.batches, c.footprint(), notes,
                complete);
    }

    private static LatencySummary summary(List<RequestRecord> records, ToDoubleFunction<RequestRecord> part) {
        return LatencySummary.of(records.stream().mapToDouble(part).toArray());
    }
}
