package io.rdustudio.coe.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.rdustudio.coe.DeploymentFootprint;
import io.rdustudio.coe.ExpertFootprint;
import io.rdustudio.coe.NodeFootprint;
import io.rdustudio.coe.Units;

/** A deployment's memory use per tier and node, and each expert's footprint and switch time. */
public final class FootprintReport {

    private FootprintReport() {
    }

    public static String text(DeploymentFootprint f) {
        StringBuilder s = new StringBuilder();
        String backing = f.platform().backingName();
        for (NodeFootprint n : f.nodes()) {
            s.append(f.nodes().size() == 1 ? "memory" : "node " + n.node()).append(": ").append(Units.count(n.experts()))
                    .append(" experts; ").append(backing).append(' ').append(Units.bytes(n.backingUsedBytes())).append(" of ")
                    .append(Units.bytes(n.backingCapacityBytes())).append("; HBM ").append(Units.bytes(n.hbmUsedBytes()))
                    .append(" of ").append(Units.bytes(n.hbmCapacityBytes())).append('\n');
            s.append("  HBM: router ").append(Units.bytes(n.routerHbmBytes())).append(", KV caches ")
                    .append(Units.bytes(n.kvCacheBytes())).append(n.workspaceBytes() > 0 ? ", workspace "
                            + Units.bytes(n.workspaceBytes()) : "").append(", pinned ").append(Units.bytes(n.pinnedBytes()))
                    .append(", expert cache ").append(Units.bytes(Math.max(0, n.cacheCapacityBytes()))).append(" holding ")
                    .append(n.allResident() ? "all " + n.cachedModels() : n.cacheHolds() + " of " + n.cachedModels())
                    .append(n.allResident() ? " (no switches)" : "").append('\n');
        }
        for (ExpertFootprint e : f.experts()) {
            s.append("expert ").append(e.name()).append(e.count() > 1 ? " x " + Units.count(e.count()) : "").append(": ")
                    .append(Units.bytes(e.weightBytes())).append(e.count() > 1 ? " each" : "").append(e.pinned() ? ", pinned" : "")
                    .append(", switch ").append(Units.seconds(e.switchSeconds())).append(" (")
                    .append(backing).append(" to HBM)\n");
        }
        return s.toString();
    }

    public static JsonObject json(DeploymentFootprint f) {
        JsonObject o = new JsonObject();
        o.addProperty("platform", f.platform().name());
        o.addProperty("backingTier", f.platform().backingTier().keyword());
        o.addProperty("copyBytesPerSecond", f.platform().copyBytesPerSecond());
        JsonArray nodes = new JsonArray();
        for (NodeFootprint n : f.nodes()) {
            JsonObject x = new JsonObject();
            x.addProperty("node", n.node());
            x.addProperty("experts", n.experts());
            x.addProperty("backingUsedBytes", n.backingUsedBytes());
            x.addProperty("backingCapacityBytes", n.backingCapacityBytes());
            x.addProperty("hbmUsedBytes", n.hbmUsedBytes());
            x.addProperty("hbmCapacityBytes", n.hbmCapacityBytes());
            x.addProperty("routerHbmBytes", n.routerHbmBytes());
            x.addProperty("kvCacheBytes", n.kvCacheBytes());
            x.addProperty("workspaceBytes", n.workspaceBytes());
            x.addProperty("pinnedBytes", n.pinnedBytes());
            x.addProperty("cacheCapacityBytes", n.cacheCapacityBytes());
            x.addProperty("cachedModels", n.cachedModels());
            x.addProperty("cacheHolds", n.cacheHolds());
            x.addProperty("allResident", n.allResident());
            nodes.add(x);
        }
        o.add("nodes", nodes);
        JsonArray experts = new JsonArray();
        for (ExpertFootprint e : f.experts()) {
            JsonObject x = new JsonObject();
            x.addProperty("name", e.name());
            x.addProperty("count", e.count());
            x.addProperty("weightBytes", e.weightBytes());
            x.addProperty("kvCacheBytesPerToken", e.kvCacheBytesPerToken());
            x.addProperty("maxContextTokens", e.maxContextTokens());
            x.addProperty("switchSeconds", e.switchSeconds());
            x.addProperty("pinned", e.pinned());
            experts.add(x);
        }
        o.add("experts", experts);
        o.add("diagnostics", Json.diagnostics(f.diagnostics()));
        return o;
    }
}
