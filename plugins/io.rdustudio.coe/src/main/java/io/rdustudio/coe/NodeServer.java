package io.rdustudio.coe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import io.rdustudio.coe.model.ModelTiming;
import io.rdustudio.coe.model.RuntimePolicy;

/**
 * The serving of one node, as a discrete-event simulation (docs/coe-simulation.md). The node
 * computes one thing at a time (the router, then each (prompt, expert) pair in turn) and has one
 * copy engine moving experts from DDR (host memory) into HBM. Per batch:
 * <ol>
 * <li>the batch starts when the node is free and either {@code batchSize} prompts have arrived or
 * the oldest has waited {@code maxBatchWaitSeconds}; it takes the prompts arrived by then;</li>
 * <li>the router runs once at the batch's size (after its own copy, if its weights live in DDR and
 * it was evicted);</li>
 * <li>the batch's pairs run grouped by expert, experts in order of first appearance, prompts in
 * arrival order. An expert that is not resident is copied first, evicting the least recently used
 * experts that no unfinished pair of the batch needs (never copying back). Without prefetch a copy
 * starts when its expert's turn comes; with prefetch every copy the batch needs starts as soon as
 * the router has picked the experts, the copy engine is free and room can be made, so it overlaps
 * the pairs that run before it.</li>
 * </ol>
 * Deterministic: no clocks, no randomness (the requests are drawn beforehand), ordered iteration.
 */
final class NodeServer {

    /** Batches between two looks at the cancellation flag. */
    private static final int CANCEL_POLL = 64;

    private final RuntimePolicy policy;
    private final RequestStream stream;
    private final int[] members;
    private final LruCache cache;
    private final boolean[] pinned;
    private final ModelTiming[] timingOf;
    private final double[] switchSecondsOf;
    private final ModelTiming routerTiming;
    private final int routerId;
    private final TimingMemo memo;
    private final Outcome out;

    // per-batch scratch, indexed by cache id; a stamp says which batch an entry belongs to
    private final double[] busyUntil;
    private final int[] busyStamp;
    private final int[] groupStamp;
    private final int[] groupIndex;
    private int stamp;
    private int batches;

    /** What the node's requests came to, written into arrays shared by all nodes (indexed by request). */
    static final class Outcome {
        final double[] queueing;
        final double[] router;
        final double[] switching;
        final double[] execution;
        final double[] firstToken;
        final boolean[] hit;
        final int[] batch;
        final boolean[] done;
        long copies;
        long bytesCopied;
        long evictions;
        long batches;

        Outcome(int requests) {
            queueing = new double[requests];
            router = new double[requests];
            switching = new double[requests];
            execution = new double[requests];
            firstToken = new double[requests];
            hit = new boolean[requests];
            batch = new int[requests];
            done = new boolean[requests];
        }
    }

    /**
     * @param members         this node's requests (indices into {@code stream}), in arrival order
     * @param cache           the node's HBM cache, already warm
     * @param pinned          per expert: pinned in HBM (always resident, never in the cache)
     * @param timingOf        per expert: its timing model
     * @param switchSecondsOf per cache id (experts, then the router): the copy time into HBM
     * @param routerId        the router's cache id when its weights live in DDR, else -1
     */
    NodeServer(RuntimePolicy policy, RequestStream stream, int[] members, LruCache cache, boolean[] pinned,
            ModelTiming[] timingOf, double[] switchSecondsOf, ModelTiming routerTiming, int routerId, TimingMemo memo,
            Outcome out) {
        this.policy = policy;
        this.stream = stream;
        this.members = members;
        this.cache = cache;
        this.pinned = pinned;
        this.timingOf = timingOf;
        this.switchSecondsOf = switchSecondsOf;
        this.routerTiming = routerTiming;
        this.routerId = routerId;
        this.memo = memo;
        this.out = out;
        int ids = switchSecondsOf.length;
        busyUntil = new double[ids];
        busyStamp = new int[ids];
        groupStamp = new int[ids];
        groupIndex = new int[ids];
    }

    /**
     * Serves every member request, or stops early when {@code cancelled} says so.
     *
     * @param served receives how many requests each batch completed, for progress
     * @return false when cancelled
     */
    boolean run(BooleanSupplier cancelled, IntConsumer served) {
        double free = 0;
        int first = 0;
        int batchSize = policy.batchSize();
        while (first < members.length) {
            if (batches % CANCEL_POLL == 0 && cancelled.getAsBoolean()) {
                finish();
                return false;
            }
            double oldest = stream.arrival[members[first]];
            double fullAt = first + batchSize - 1 < members.length ? stream.arrival[members[first + batchSize - 1]]
                    : Double.POSITIVE_INFINITY;
            double start = Math.max(free, Math.min(oldest + policy.maxBatchWaitSeconds(), fullAt));
            int end = first + 1;
            while (end < members.length && end - first < batchSize && stream.arrival[members[end]] <= start) {
                end++;
            }
            free = serveBatch(first, end, start);
            served.accept(end - first);
            first = end;
        }
        finish();
        return true;
    }

    private void finish() {
        out.batches += batches;
        out.evictions += cache.evictions();
    }

    /** Serves members [from, to) starting at {@code start}; returns when the node is free again. */
    private double serveBatch(int from, int to, double start) {
        stamp++;
        int batchNumber = batches++;
        double routerSwitch = 0;
        double routerStart = start;
        int maxPrompt = 0;
        for (int m = from; m < to; m++) {
            maxPrompt = Math.max(maxPrompt, stream.prompt[members[m]]);
        }
        double routerSeconds = memo.router(routerTiming, maxPrompt, to - from);
        if (routerId >= 0) {
            if (!cache.isResident(routerId)) {
                double copyStart = makeRoom(cache.bytes(routerId), start);
                routerStart = copy(routerId, copyStart);
                routerSwitch = routerStart - start;
            }
            cache.touch(routerId);
            busy(routerId, routerStart + routerSeconds);
        }
        double routerEnd = routerStart + routerSeconds;

        List<int[]> groups = groups(from, to);
        for (int[] group : groups) {
            int e = stream.expert[group[0]];
            if (!pinned[e] && cache.isResident(e)) {
                busy(e, Double.POSITIVE_INFINITY);
            }
        }
        double engineFree = routerEnd;
        double previousEnd = routerEnd;
        double stalled = routerSwitch;
        for (int[] group : groups) {
            int e = stream.expert[group[0]];
            boolean hit = pinned[e] || cache.isResident(e);
            double ready = previousEnd;
            if (!hit) {
                double earliest = policy.prefetch() ? engineFree : Math.max(engineFree, previousEnd);
                double copyStart = makeRoom(cache.bytes(e), earliest);
                ready = copy(e, copyStart);
                engineFree = ready;
            }
            double execStart = Math.max(previousEnd, ready);
            stalled += execStart - previousEnd;
            if (!pinned[e]) {
                cache.touch(e);
                busy(e, Double.POSITIVE_INFINITY);
            }
            double t = execStart;
            for (int r : group) {
                double[] gen = memo.generation(timingOf[e], stream.prompt[r], stream.output[r]);
                double arrival = stream.arrival[r];
                double complete = t + gen[1];
                out.router[r] = routerSeconds;
                out.switching[r] = stalled;
                out.execution[r] = gen[1];
                out.queueing[r] = complete - arrival - routerSeconds - stalled - gen[1];
                out.firstToken[r] = t + gen[0] - arrival;
                out.hit[r] = hit;
                out.batch[r] = batchNumber;
                out.done[r] = true;
                t = complete;
            }
            if (!pinned[e]) {
                busy(e, t);
            }
            previousEnd = t;
        }
        return previousEnd;
    }

    /** The batch's requests grouped by expert: experts in order of first appearance, requests in arrival order. */
    private List<int[]> groups(int from, int to) {
        List<int[]> groups = new ArrayList<>();
        int[] sizes = new int[to - from];
        for (int m = from; m < to; m++) {
            int e = stream.expert[members[m]];
            if (groupStamp[e] != stamp) {
                groupStamp[e] = stamp;
                groupIndex[e] = groups.size();
                groups.add(null);
            }
            sizes[groupIndex[e]]++;
        }
        int[] filled = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            groups.set(g, new int[sizes[g]]);
        }
        for (int m = from; m < to; m++) {
            int r = members[m];
            int g = groupIndex[stream.expert[r]];
            groups.get(g)[filled[g]++] = r;
        }
        return groups;
    }

    private void busy(int id, double until) {
        busyStamp[id] = stamp;
        busyUntil[id] = until;
    }

    private double availableAt(int id) {
        return busyStamp[id] == stamp ? busyUntil[id] : Double.NEGATIVE_INFINITY;
    }

    /** Copies model {@code id} into HBM starting at {@code at}; returns when it is resident. */
    private double copy(int id, double at) {
        cache.insert(id);
        out.copies++;
        out.bytesCopied += cache.bytes(id);
        return at + switchSecondsOf[id];
    }

    /**
     * Evicts least recently used models until {@code need} bytes are free, taking only models that
     * no unfinished part of the batch needs; waits (returns a later time than {@code earliest}) for a
     * running pair to finish when that is what frees the room. If nothing else makes room, it evicts
     * an expert a later pair of the batch needs; that pair then copies it again.
     *
     * @return the time the copy can start
     */
    private double makeRoom(long need, double earliest) {
        if (cache.freeBytes() >= need) {
            return earliest;
        }
        List<Integer> lru = new ArrayList<>();
        for (int id = cache.leastRecent(); id >= 0; id = cache.moreRecent(id)) {
            lru.add(id);
        }
        double[] times = lru.stream().mapToDouble(this::availableAt).filter(Double::isFinite)
                .filter(t -> t > earliest).sorted().toArray();
        double when = earliest;
        for (int i = -1; i < times.length; i++) {
            when = i < 0 ? earliest : times[i];
            if (cache.freeBytes() + evictableBytes(lru, when) >= need) {
                evictUntil(lru, when, need);
                return when;
            }
        }
        evictUntil(lru, when, need);
        for (int id : lru) {
            if (cache.freeBytes() >= need) {
                break;
            }
            if (cache.isResident(id)) {
                cache.evict(id);
            }
        }
        return when;
    }

    private long evictableBytes(List<Integer> lru, double when) {
        long sum = 0;
        for (int id : lru) {
            if (availableAt(id) <= when) {
                sum += cache.bytes(id);
            }
        }
        return sum;
    }

    private void evictUntil(List<Integer> lru, double when, long need) {
        for (int id : lru) {
            if (cache.freeBytes() >= need) {
                return;
            }
            if (cache.isResident(id) && availableAt(id) <= when) {
                cache.evict(id);
            }
        }
    }

    /** Every request index of {@code stream} that lives on each node, in arrival order. */
    static int[][] membersByNode(RequestStream stream, ExpertTable table, int nodes) {
        int[] counts = new int[nodes];
        for (int r = 0; r < stream.size(); r++) {
            counts[table.node(stream.expert[r])]++;
        }
        int[][] members = new int[nodes][];
        for (int n = 0; n < nodes; n++) {
            members[n] = new int[counts[n]];
        }
        Arrays.fill(counts, 0);
        for (int r = 0; r < stream.size(); r++) {
            int n = table.node(stream.expert[r]);
            members[n][counts[n]++] = r;
        }
        return members;
    }
}
