package io.rdustudio.coe.report;

import java.util.Locale;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.rdustudio.coe.CapacityPlan;
import io.rdustudio.coe.Units;

/** A capacity plan as text and JSON. */
public final class PlanReport {

    private PlanReport() {
    }

    public static String text(CapacityPlan.Plan p) {
        StringBuilder s = new StringBuilder();
        s.append("Capacity plan of '").append(p.deployment()).append("', workload '").append(p.workload()).append("' on one ")
                .append(p.platform()).append(" node\n");
        s.append("  target: p").append(p.percentile()).append(" latency at most ").append(Units.seconds(p.latencyTargetSeconds()));
        if (!p.targetGiven()) {
            s.append(String.format(Locale.ROOT, " (one expert, which never switches, takes %s; plus %.0f%%)",
                    Units.seconds(p.noSwitchSeconds()), 100 * CapacityPlan.DEFAULT_TOLERANCE));
        }
        s.append('\n');
        s.append("  DDR holds ").append(Units.count(p.ddrHolds())).append(" experts; HBM keeps ").append(Units.count(p.hbmHolds()))
                .append(" of them resident at once\n");
        if (p.maxExperts() == 0) {
            s.append("  no expert count meets the target: one expert alone takes ").append(Units.seconds(p.noSwitchSeconds()))
                    .append(" at p").append(p.percentile()).append('\n');
        } else {
            s.append("  serves ").append(Units.count(p.maxExperts())).append(" experts within the target, switches included (limited by ")
                    .append(p.limitedBy()).append(")");
            p.atMax().ifPresent(l -> s.append(String.format(Locale.ROOT, ": p%d %s, HBM hit rate %.1f%%", p.percentile(),
                    Units.seconds(l.at(p.percentile())), 100 * p.hitRateAtMax())));
            s.append('\n');
        }
        for (CapacityPlan.GpuNodes g : p.gpu()) {
            s.append("  ").append(g.platform()).append(": ");
            if (g.nodes() == 0) {
                s.append("cannot keep the experts in GPU HBM: ").append(g.reason()).append('\n');
            } else {
                s.append(Units.count(g.nodes())).append(g.nodes() == 1 ? " node keeps " : " nodes keep ").append("all ")
                        .append(Units.count(g.experts())).append(" experts in GPU HBM (up to ").append(g.expertsPerNode())
                        .append(" a node, no switch over PCIe)");
                g.latency().ifPresent(l -> s.append(": p").append(p.percentile()).append(' ').append(Units.seconds(l.at(p.percentile()))));
                s.append('\n');
            }
        }
        if (!p.complete()) {
            s.append("  INCOMPLETE: cancelled during the search; the count is a lower bound\n");
        }
        return s.toString();
    }

    public static JsonObject json(CapacityPlan.Plan p) {
        JsonObject o = new JsonObject();
        o.addProperty("deployment", p.deployment());
        o.addProperty("workload", p.workload());
        o.addProperty("platform", p.platform());
        o.addProperty("percentile", p.percentile());
        o.addProperty("latencyTargetSeconds", p.latencyTargetSeconds());
        o.addProperty("targetGiven", p.targetGiven());
        o.addProperty("tolerance", p.targetGiven() ? 0 : CapacityPlan.DEFAULT_TOLERANCE);
        o.addProperty("noSwitchSeconds", p.noSwitchSeconds());
        o.addProperty("ddrHolds", p.ddrHolds());
        o.addProperty("hbmHolds", p.hbmHolds());
        o.addProperty("maxExperts", p.maxExperts());
        o.addProperty("limitedBy", p.limitedBy());
        p.atMax().ifPresent(l -> o.add("latencyAtMaxSeconds", Json.latency(l)));
        o.addProperty("hitRateAtMax", p.hitRateAtMax());
        JsonArray gpu = new JsonArray();
        for (CapacityPlan.GpuNodes g : p.gpu()) {
            JsonObject x = new JsonObject();
            x.addProperty("platform", g.platform());
            x.addProperty("experts", g.experts());
            x.addProperty("nodes", g.nodes());
            x.addProperty("expertsPerNode", g.expertsPerNode());
            if (!g.reason().isEmpty()) {
                x.addProperty("reason", g.reason());
            }
            g.latency().ifPresent(l -> x.add("latencySeconds", Json.latency(l)));
            gpu.add(x);
        }
        o.add("gpu", gpu);
        o.addProperty("complete", p.complete());
        return o;
    }
}
