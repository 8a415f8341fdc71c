package io.rdustudio.coe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.ModelResolver;
import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.core.target.TargetProfile;

/**
 * Per-tier memory use of a deployment (DOMAIN.md section 5): every expert in DDR (host memory on a
 * GPU node, once the experts no longer all fit in GPU HBM); in HBM the router, KV caches for a
 * batch at the maximum context, the running model's workspace and the pinned experts; the LRU
 * expert cache gets what HBM has left. Also each expert's switch time, DDR (or host) to HBM, from
 * the platform's copy figure.
 */
public final class Footprints {

    private Footprints() {
    }

    /** The footprint of {@code deployment} on {@code platform}, with every diagnostic of {@link DeploymentCheck}. */
    public static DeploymentFootprint of(Deployment deployment, ModelResolver resolver, TargetProfile platform) {
        return DeploymentCheck.analyse(deployment, List.of(), resolver, platform).footprint();
    }

    /** Adds the fit diagnostics to {@code out} and returns the footprint carrying all of {@code out}. */
    static DeploymentFootprint compute(Deployment d, CoePlatform platform, ExpertTable table, ResolvedModel router,
            ResolvedModel[] declModels, List<Diagnostic> out) {
        List<ExpertFootprint> experts = new ArrayList<>();
        for (int i = 0; i < declModels.length; i++) {
            ResolvedModel m = declModels[i];
            if (m != null) {
                ExpertDecl e = d.experts().get(i);
                experts.add(new ExpertFootprint(e.name(), e.count(), m.footprint().weightBytes(),
                        m.footprint().kvCacheBytesPerToken(), m.footprint().maxContextTokens(),
                        platform.switchSeconds(m.footprint().weightBytes(), e.tensorParallel()), e.pinned(), e.location(), m));
            }
        }
        int batch = Math.max(1, Math.min(d.policy().batchSize(), Limits.MAX_BATCH));
        Optional<RouterFootprint> routerFootprint = Optional.ofNullable(router).map(r -> new RouterFootprint(
                r.footprint().weightBytes(), d.router().effectiveWeightsTier(), r.footprint().kvCacheBytes(batch),
                platform.switchSeconds(r.footprint().weightBytes(), d.router().tensorParallel()), r));
        List<NodeFootprint> nodes = new ArrayList<>();
        int nodeCount = d.hardware().nodes();
        if (table != null && router != null && nodeCount >= 1 && nodeCount <= Limits.MAX_NODES) {
            List<List<Integer>> members = new ArrayList<>();
            for (int n = 0; n < nodeCount; n++) {
                members.add(new ArrayList<>());
            }
            for (int e = 0; e < table.size(); e++) {
                members.get(table.node(e)).add(e);
            }
            for (int n = 0; n < nodeCount; n++) {
                nodes.add(new Node(d, platform, table, router, declModels, batch, n, members.get(n), out).footprint());
            }
        }
        return new DeploymentFootprint(platform, routerFootprint, nodes, experts, out);
    }

    /** One node's arithmetic and its diagnostics. */
    private static final class Node {
        private final Deployment d;
        private final CoePlatform platform;
        private final ExpertTable table;
        private final ResolvedModel[] declModels;
        private final int node;
        private final List<Integer> members;
        private final List<Diagnostic> out;
        private final String where;
        private final long routerBytes;
        private final boolean routerCached;
        private final long kv;
        private final long workspace;
        private final int batch;
        private final int routerContext;
        private int expertContext;

        Node(Deployment d, CoePlatform platform, ExpertTable table, ResolvedModel router, ResolvedModel[] declModels,
                int batch, int node, List<Integer> members, List<Diagnostic> out) {
            this.d = d;
            this.platform = platform;
            this.table = table;
            this.declModels = declModels;
            this.node = node;
            this.members = members;
            this.out = out;
            this.batch = batch;
            this.where = d.hardware().nodes() == 1 ? "the " + platform.name() + " node" : "node " + node;
            this.routerBytes = router.footprint().weightBytes();
            this.routerCached = d.router().effectiveWeightsTier() == Tier.DDR;
            this.routerContext = router.footprint().maxContextTokens();
            long expertKv = 0;
            // the router runs the whole batch at once, an expert one (prompt, expert) pair at a time
            long ws = router.footprint().workspaceBytes(batch);
            for (int e : members) {
                ResolvedModel m = declModels[table.decl(e)];
                if (m != null) {
                    if (m.footprint().kvCacheBytes(batch) > expertKv) {
                        expertKv = m.footprint().kvCacheBytes(batch);
                        expertContext = m.footprint().maxContextTokens();
                    }
                    ws = Math.max(ws, m.footprint().workspaceBytes(1));
                }
            }
            this.kv = router.footprint().kvCacheBytes(batch) + expertKv;
            this.workspace = ws;
        }

        NodeFootprint footprint() {
            double pinned = 0;
            double all = routerCached ? routerBytes : 0;
            List<Long> cached = new ArrayList<>();
            if (routerCached) {
                cached.add(routerBytes);
            }
            for (int e : members) {
                ResolvedModel m = declModels[table.decl(e)];
                if (m == null) {
                    continue;
                }
                long w = m.footprint().weightBytes();
                all += w;
                if (table.declaration(e).pinned()) {
                    pinned += w;
                } else {
                    cached.add(w);
                }
            }
            long routerHbm = routerCached ? 0 : routerBytes;
            long hbm = platform.hbmBytesPerNode();
            long fixed = saturate((double) routerHbm + kv + workspace + pinned);
            long cacheCapacity = hbm - fixed;
            long[] sizes = cached.stream().mapToLong(Long::longValue).toArray();
            long cachedBytes = saturate(Arrays.stream(sizes).asDoubleStream().sum());
            boolean allResident = cacheCapacity >= 0 && cachedBytes <= cacheCapacity;
            int holds = holdsLargestFirst(sizes, cacheCapacity);
            long backingUsed = platform.isGpu() ? (allResident ? 0 : cachedBytes) : saturate(all);
            NodeFootprint f = new NodeFootprint(node, members.size(), platform.backingBytesPerNode(), backingUsed, hbm,
                    routerHbm, kv, workspace, saturate(pinned), cacheCapacity, sizes.length, cachedBytes, holds, allResident);
            if (fixed > hbm) {
                hbmOverflow(f);
            } else if (sizes.length > 0 && Arrays.stream(sizes).max().getAsLong() > cacheCapacity) {
                tooLargeForCache(f);
            }
            if (backingUsed > platform.backingBytesPerNode()) {
                backingOverflow(f);
            }
            return f;
        }

        private void hbmOverflow(NodeFootprint f) {
            StringBuilder parts = new StringBuilder();
            parts.append("the router (").append(Units.bytes(f.routerHbmBytes())).append("), the KV caches of a batch of ")
                    .append(batch).append(" at ").append(Units.count(routerContext)).append(" and ")
                    .append(Units.count(expertContext)).append(" tokens (").append(Units.bytes(f.kvCacheBytes())).append(")");
            if (f.workspaceBytes() > 0) {
                parts.append(", the workspace (").append(Units.bytes(f.workspaceBytes())).append(")");
            }
            int pinnedCount = (int) members.stream().filter(e -> table.declaration(e).pinned()).count();
            if (pinnedCount > 0) {
                parts.append(" and ").append(pinnedCount).append(" pinned expert").append(pinnedCount == 1 ? "" : "s")
                        .append(" (").append(Units.bytes(f.pinnedBytes())).append(")");
            }
            long over = f.hbmFixedBytes() - f.hbmCapacityBytes();
            SourceLocation at = pinnedCount > 0 ? crossingPinned(f.hbmCapacityBytes() - (f.hbmFixedBytes() - f.pinnedBytes()))
                    : d.router().location();
            out.add(Diagnostic.error("coe.hbm-overflow", "the HBM of " + where + " (" + Units.bytes(f.hbmCapacityBytes())
                    + ") cannot hold " + parts + ": over by " + Units.bytes(over) + ", with nothing left for the expert cache; "
                    + (pinnedCount > 0 ? "unpin experts, " : "") + "lower the batch size or shorten the maximum context", at));
        }

        /** The pinned declaration at which the pinned weights pass {@code room}. */
        private SourceLocation crossingPinned(long room) {
            double sum = 0;
            for (int e : members) {
                ResolvedModel m = declModels[table.decl(e)];
                if (m != null && table.declaration(e).pinned()) {
                    sum += m.footprint().weightBytes();
                    if (sum > room) {
                        return table.declaration(e).location();
                    }
                }
            }
            return d.router().location();
        }

        private void tooLargeForCache(NodeFootprint f) {
            long room = f.cacheCapacityBytes();
            if (routerCached && routerBytes > room) {
                out.add(Diagnostic.error("coe.too-large-for-cache", "the router's weights (" + Units.bytes(routerBytes)
                        + ") live in DDR but cannot come into HBM: " + where + " leaves " + Units.bytes(room)
                        + " for the expert cache after the KV caches and the pinned experts; keep the router in hbm, unpin experts"
                        + " or lower the batch size", d.router().location()));
                return;
            }
            for (int e : members) {
                ResolvedModel m = declModels[table.decl(e)];
                if (m != null && !table.declaration(e).pinned() && m.footprint().weightBytes() > room) {
                    out.add(Diagnostic.error("coe.too-large-for-cache", "expert '" + table.declaration(e).name() + "' ("
                            + Units.bytes(m.footprint().weightBytes()) + ") can never become resident: " + where + " leaves "
                            + Units.bytes(room) + " of HBM for the expert cache after the router, the KV caches and the pinned"
                            + " experts (short by " + Units.bytes(m.footprint().weightBytes() - room)
                            + "); unpin experts, lower the batch size or use a smaller dtype", table.declaration(e).location()));
                    return;
                }
            }
        }

        private void backingOverflow(NodeFootprint f) {
            long capacity = f.backingCapacityBytes();
            double sum = routerCached ? routerBytes : 0;
            int fitted = 0;
            SourceLocation at = d.location();
            long eachBytes = 0;
            for (int e : members) {
                ResolvedModel m = declModels[table.decl(e)];
                if (m == null || (platform.isGpu() && table.declaration(e).pinned())) {
                    continue;
                }
                sum += m.footprint().weightBytes();
                if (sum > capacity) {
                    at = table.declaration(e).location();
                    eachBytes = m.footprint().weightBytes();
                    break;
                }
                fitted++;
            }
            long over = f.backingUsedBytes() - capacity;
            if (platform.isGpu()) {
                out.add(Diagnostic.error("coe.out-of-memory", platform.name() + " runs out of memory at " + (fitted + 1)
                        + " experts" + (d.hardware().nodes() == 1 ? "" : " on node " + node) + ": its GPU HBM caches "
                        + f.cacheHolds() + " of them, so every expert lives in host memory, and " + Units.count(f.experts())
                        + " experts need " + Units.bytes(f.backingUsedBytes()) + " of its " + Units.bytes(capacity)
                        + " (over by " + Units.bytes(over) + "); at most " + fitted + " fit. Add nodes or remove experts", at));
            } else {
                out.add(Diagnostic.error("coe.ddr-overflow", "the experts do not fit the DDR of " + where + ": "
                        + Units.count(f.experts()) + " experts need " + Units.bytes(f.backingUsedBytes()) + ", it has "
                        + Units.bytes(capacity) + " (over by " + Units.bytes(over) + "); " + fitted + " fit"
                        + (eachBytes > 0 ? " (" + Units.bytes(eachBytes) + " each)" : "")
                        + ". Remove experts, use a smaller dtype, or add a node and spread the experts", at));
            }
        }
    }

    /** How many of {@code sizes} fit {@code capacity} whichever they are: the largest first. */
    static int holdsLargestFirst(long[] sizes, long capacity) {
        long[] sorted = sizes.clone();
        Arrays.sort(sorted);
        long used = 0;
        int n = 0;
        for (int i = sorted.length - 1; i >= 0 && used + sorted[i] <= capacity; i--) {
            used += sorted[i];
            n++;
        }
        return n;
    }

    static long saturate(double bytes) {
        return (long) bytes;
    }
}
