package io.rdustudio.coelang.ide;

import java.util.List;
import java.util.OptionalDouble;

import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.xtext.ide.server.ILanguageServerAccess;
import org.eclipse.xtext.ide.server.commands.IExecutableCommandService;
import org.eclipse.xtext.util.CancelIndicator;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.inject.Inject;

import io.rdustudio.coe.CapacityPlan;
import io.rdustudio.coe.DeploymentException;
import io.rdustudio.coe.ServingResult;
import io.rdustudio.coe.ServingSimulator;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.coe.report.FootprintReport;
import io.rdustudio.coe.report.PlanReport;
import io.rdustudio.coe.report.ServingReport;
import io.rdustudio.coelang.lowering.CoeAnalysis;
import io.rdustudio.coelang.lowering.CoeDeployments;
import io.rdustudio.core.target.TargetProfiles;

/**
 * The commands of the CoE code lenses, run by the server's {@code workspace/executeCommand}
 * (docs/lsp-extensions.md): {@value #FOOTPRINT} (the descriptor's memory per node), {@value #SIMULATE}
 * (serve a workload, as {@code dfk coe simulate}) and {@value #PLAN} (capacity planning against
 * dgx-a100 and dgx-h100, as {@code dfk coe plan}). Arguments: the document's URI, and for the
 * last two the workload's name (default the first). Each answers with the JSON that the matching
 * {@code dfk coe ... --format json} prints under its {@code footprint}, {@code simulation} or
 * {@code plan} key. A descriptor with errors, or one the simulator refuses, is an InvalidParams
 * error whose message lists the problems; an edit cancels a running simulation.
 */
public class CoeCommandService implements IExecutableCommandService {

    public static final String FOOTPRINT = "coe.footprint";
    public static final String SIMULATE = "coe.simulate";
    public static final String PLAN = "coe.plan";

    private static final List<String> BASELINES = List.of("dgx-a100", "dgx-h100");

    @Inject
    private CoeDeployments deployments;

    @Override
    public List<String> initialize() {
        return List.of(FOOTPRINT, SIMULATE, PLAN);
    }

    @Override
    public Object execute(ExecuteCommandParams params, ILanguageServerAccess access, CancelIndicator cancel) {
        List<Object> arguments = params.getArguments() == null ? List.of() : params.getArguments();
        String uri = text(arguments, 0);
        if (uri == null) {
            throw invalid(params.getCommand() + " needs the descriptor's URI as its first argument");
        }
        String workloadName = text(arguments, 1);
        return access.doSyncRead(uri, context -> {
            CoeAnalysis analysis = deployments.of(context.getResource());
            if (analysis.footprint() == null || analysis.hasErrors()) {
                throw invalid(uri + " has errors; fix them first: " + String.join("; ", analysis.diagnostics().stream()
                        .filter(d -> d.severity() == io.rdustudio.core.diag.Severity.ERROR).limit(3)
                        .map(d -> d.location().line() + ":" + d.location().column() + " " + d.message()).toList()));
            }
            JsonObject answer = new JsonObject();
            try {
                switch (params.getCommand()) {
                    case SIMULATE -> {
                        Workload w = workload(analysis, workloadName);
                        ServingResult r = ServingSimulator.simulate(analysis.deployment(), w, analysis.resolver(),
                                analysis.profile(), cancel::isCanceled, f -> { });
                        if (!r.complete()) {
                            throw new ResponseErrorException(new ResponseError(ResponseErrorCode.RequestCancelled,
                                    "the simulation was cancelled by an edit", null));
                        }
                        answer.add("simulation", ServingReport.json(r, false));
                    }
                    case PLAN -> {
                        Workload w = workload(analysis, workloadName);
                        CapacityPlan.Plan plan = CapacityPlan.plan(analysis.deployment(), w, analysis.resolver(),
                                analysis.profile(), BASELINES.stream().map(TargetProfiles::load).toList(),
                                OptionalDouble.empty(), 90, cancel::isCanceled, f -> { });
                        answer.add("plan", PlanReport.json(plan));
                    }
                    default -> answer.add("footprint", FootprintReport.json(analysis.footprint()));
                }
            } catch (DeploymentException e) {
                throw invalid(e.getMessage());
            }
            return answer;
        });
    }

    private static String text(List<Object> arguments, int index) {
        if (arguments.size() <= index || arguments.get(index) == null) {
            return null;
        }
        Object a = arguments.get(index);
        return a instanceof JsonElement e && e.isJsonPrimitive() ? e.getAsString()
                : a instanceof JsonPrimitive p ? p.getAsString() : a.toString();
    }

    private static Workload workload(CoeAnalysis analysis, String name) {
        if (name != null) {
            return analysis.deployment().workload(name).orElseThrow(() -> invalid("no workload named " + name));
        }
        if (analysis.deployment().workloads().isEmpty()) {
            throw invalid("the descriptor declares no workload to simulate");
        }
        return analysis.deployment().workloads().get(0);
    }

    private static ResponseErrorException invalid(String message) {
        return new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams, message, null));
    }
}
