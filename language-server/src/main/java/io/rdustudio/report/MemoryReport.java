package io.rdustudio.report;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.memory.Allocation;
import io.rdustudio.core.analysis.memory.MemoryPlan;
import io.rdustudio.core.analysis.memory.MemoryPlanJson;
import io.rdustudio.core.analysis.memory.SocketPlan;
import io.rdustudio.core.analysis.memory.Spill;
import io.rdustudio.core.analysis.memory.TensorSummary;
import io.rdustudio.core.analysis.memory.TierUsage;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.Tier;

/**
 * {@code dfk memory}: the static memory plan. Per group of sockets holding the same tensors: peak
 * HBM and DDR against capacity, the spills to DDR and why, then every buffer (tensor, version, tier,
 * address, size, live launches, read-only). The JSON is the header fields, the plan as
 * {@link MemoryPlanJson} writes it under {@code plan} (its diagnostics moved to the top-level
 * {@code diagnostics} with file, line and column), and {@code diagnostics}.
 */
public final class MemoryReport {

    private MemoryReport() {
    }

    public static void text(AnalysisHeader header, ProgramAnalysis.Result result, PrintWriter out) {
        out.println(header.textLine("memory"));
        result.memory().ifPresent(plan -> planText(plan, out));
        List<Diagnostic> diagnostics = diagnostics(result);
        if (!diagnostics.isEmpty()) {
            out.println();
            diagnostics.forEach(d -> out.println(header.diagnosticLine(d)));
        }
        if (result.cancelled()) {
            out.println("(cancelled: the report is partial)");
        }
        out.flush();
    }

    private static void planText(MemoryPlan plan, PrintWriter out) {
        out.printf(Locale.ROOT, "%nprogram %s: %d socket%s, %d launches on the timeline%s%n", plan.program(),
                plan.sockets(), plan.sockets() == 1 ? "" : "s", plan.timelineCalls(),
                plan.timelineCompressed() ? " (loops unrolled three times)" : "");
        for (SocketPlan socket : plan.socketPlans()) {
            out.printf(Locale.ROOT, "%nsockets %s%n", socket.sockets().stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")));
            for (Tier tier : List.of(Tier.HBM, Tier.DDR)) {
                TierUsage u = socket.tier(tier);
                out.printf(Locale.ROOT, "  %-4s peak %s of %s (%.1f%%), most live at once %s%s%n", tier.name(),
                        AnalysisHeader.binaryBytes(u.extentBytes()), AnalysisHeader.binaryBytes(u.capacityBytes()),
                        u.capacityBytes() == 0 ? 0.0 : 100.0 * u.extentBytes() / u.capacityBytes(),
                        AnalysisHeader.binaryBytes(u.peakLiveBytes()), u.fits() ? "" : "  DOES NOT FIT");
            }
            out.printf(Locale.ROOT, "  activations: peak %s live, %s without address sharing%n",
                    AnalysisHeader.binaryBytes(socket.activationPeakBytes()),
                    AnalysisHeader.binaryBytes(socket.activationTotalBytes()));
            if (socket.spills().isEmpty()) {
                out.println("  spills: none (everything fits in HBM)");
            } else {
                out.println("  spills to DDR:");
                for (Spill s : socket.spills()) {
                    out.printf(Locale.ROOT, "    %s (%s): %s%n", s.tensor(), AnalysisHeader.binaryBytes(s.bytes()),
                            s.reason());
                }
            }
            String format = "    %-20s %4s %-7s %-4s %14s %12s %11s %s%n";
            out.println("  allocations:");
            out.println(String.format(Locale.ROOT, format, "tensor", "ver", "role", "tier", "offset", "size", "launches", "")
                    .stripTrailing());
            for (Allocation a : socket.allocations()) {
                out.println(String.format(Locale.ROOT, format, a.tensor(), a.version(), a.role().name().toLowerCase(Locale.ROOT),
                        a.tier().name(), String.format(Locale.ROOT, "0x%x", a.offset()),
                        AnalysisHeader.binaryBytes(a.bytes()), a.firstCall() + "-" + a.lastCall(),
                        a.readOnly() ? "read-only" : "").stripTrailing());
            }
        }
        List<String> readOnly = plan.tensors().stream().filter(TensorSummary::readOnly).map(TensorSummary::name).toList();
        out.printf(Locale.ROOT, "%nread-only (never written back when evicted): %s%n",
                readOnly.isEmpty() ? "none" : String.join(", ", readOnly));
    }

    /** The plan's diagnostics and any analysis that failed; the cost model's warnings belong to estimate. */
    private static List<Diagnostic> diagnostics(ProgramAnalysis.Result result) {
        List<Diagnostic> plan = result.memory().map(MemoryPlan::diagnostics).orElse(List.of());
        return result.diagnostics().stream()
                .filter(d -> plan.contains(d) || d.code().equals(ProgramAnalysis.FAILED_CODE)).toList();
    }

    public static String json(AnalysisHeader header, ProgramAnalysis.Result result) {
        JsonObject root = header.jsonRoot("memory");
        result.memory().ifPresent(plan -> {
            JsonObject json = JsonParser.parseString(MemoryPlanJson.toJson(plan)).getAsJsonObject();
            json.remove("diagnostics");
            root.add("plan", json);
        });
        root.add("diagnostics", header.diagnosticsJson(diagnostics(result)));
        root.addProperty("cancelled", result.cancelled());
        return AnalysisHeader.pretty(root);
    }
}
