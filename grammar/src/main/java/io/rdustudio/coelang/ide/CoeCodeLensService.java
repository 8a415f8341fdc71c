package io.rdustudio.coelang.ide;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.CodeLensParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.codelens.ICodeLensService;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;

import com.google.inject.Inject;

import io.rdustudio.coe.NodeFootprint;
import io.rdustudio.coe.Units;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.coelang.lowering.CoeAnalysis;
import io.rdustudio.coelang.lowering.CoeDeployments;
import io.rdustudio.core.ir.SourceLocation;

/**
 * Code lenses of a descriptor: above the deployment, each node's memory use
 * ({@code DDR 1.8 TiB of 12.0 TiB · HBM 512.0 GiB of 512.0 GiB · the HBM cache holds 39 of 150
 * experts}, command {@value CoeCommandService#FOOTPRINT}); above each workload {@code Simulate}
 * ({@value CoeCommandService#SIMULATE}) and {@code Plan capacity} ({@value CoeCommandService#PLAN}).
 * Arguments are the document URI and, for a workload's lenses, its name; the server runs them
 * through {@code workspace/executeCommand} ({@link CoeCommandService}, docs/lsp-extensions.md).
 */
public class CoeCodeLensService implements ICodeLensService {

    @Inject
    private CoeDeployments deployments;

    @Override
    public List<? extends CodeLens> computeCodeLenses(Document document, XtextResource resource, CodeLensParams params,
            CancelIndicator indicator) {
        List<CodeLens> lenses = new ArrayList<>();
        CoeAnalysis analysis = deployments.of(resource);
        if (analysis.footprint() == null) {
            return lenses;
        }
        String uri = params.getTextDocument().getUri();
        Range top = lineOf(document, analysis.deployment().location());
        List<NodeFootprint> nodes = analysis.footprint().nodes();
        for (NodeFootprint n : nodes) {
            lenses.add(lens(top, (nodes.size() > 1 ? "node " + n.node() + ": " : "") + footprint(n, analysis),
                    CoeCommandService.FOOTPRINT, uri));
        }
        for (Workload w : analysis.deployment().workloads()) {
            Range at = lineOf(document, w.location());
            lenses.add(lens(at, "Simulate", CoeCommandService.SIMULATE, uri, w.name()));
            lenses.add(lens(at, "Plan capacity", CoeCommandService.PLAN, uri, w.name()));
        }
        return lenses;
    }

    static String footprint(NodeFootprint n, CoeAnalysis analysis) {
        String backing = analysis.footprint().platform().backingName();
        String cache = n.allResident() ? "all " + n.cachedModels() + " experts stay in HBM"
                : "the HBM cache holds " + n.cacheHolds() + " of " + n.cachedModels() + " experts";
        return backing + " " + Units.bytes(n.backingUsedBytes()) + " of " + Units.bytes(n.backingCapacityBytes()) + " · HBM "
                + Units.bytes(n.hbmUsedBytes()) + " of " + Units.bytes(n.hbmCapacityBytes()) + " · " + cache;
    }

    private static CodeLens lens(Range range, String title, String command, Object... arguments) {
        return new CodeLens(range, new Command(title, command, List.of(arguments)), null);
    }

    private static Range lineOf(Document document, SourceLocation location) {
        Position start = document.getPosition(location.offset());
        return new Range(start, start);
    }
}
