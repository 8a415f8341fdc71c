package io.rdustudio.dfk.ide;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

import io.rdustudio.dfk.lowering.DfkEditorAnalyses;
import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.cost.CallCost;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.Schedule;
import io.rdustudio.core.ir.SourceLocation;

/**
 * Code lenses above each kernel and the schedule of the document: the estimate with its bound
 * ({@code est. 1.8 ms (1.5-2.2) - HBM-bound}, command {@value #ESTIMATE}), {@code Placement preview}
 * (command {@value #PLACEMENT}, kernels only) and {@code Run on emulator} (command {@value #RUN}).
 * The commands' arguments are the document URI and, on a kernel, its name; the client runs them
 * with the {@code dfk/...} requests of {@code docs/lsp-extensions.md}.
 */
public class DfkCodeLensService implements ICodeLensService {

    public static final String ESTIMATE = "dfk.estimate";
    public static final String PLACEMENT = "dfk.placement";
    public static final String RUN = "dfk.run";

    @Inject
    private DfkEditorAnalyses analyses;

    @Override
    public List<? extends CodeLens> computeCodeLenses(Document document, XtextResource resource, CodeLensParams params,
            CancelIndicator indicator) {
        List<CodeLens> lenses = new ArrayList<>();
        ProgramAnalysis.Result result = analyses.forRequest(resource, indicator);
        if (result == null) {
            return lenses;
        }
        String uri = params.getTextDocument().getUri();
        String here = resource.getURI().toString();
        Set<String> done = new HashSet<>();
        for (Kernel kernel : result.program().kernels().values()) {
            if (!here.equals(kernel.location().uri()) || !done.add(kernel.name())) {
                continue;
            }
            Range range = lineOf(document, kernel.location());
            List<CallCost> calls = AnalysisText.callsOf(result, kernel.name());
            String title = calls.isEmpty() ? "not called: no estimate" : AnalysisText.lensTitle(calls);
            lenses.add(lens(range, title, ESTIMATE, uri, kernel.name()));
            lenses.add(lens(range, "Placement preview", PLACEMENT, uri, kernel.name()));
            lenses.add(lens(range, "Run on emulator", RUN, uri, kernel.name()));
        }
        if (result.program().schedule().isPresent() && result.cost().isPresent()) {
            Schedule schedule = result.program().schedule().get();
            if (here.equals(schedule.location().uri())) {
                Range range = lineOf(document, schedule.location());
                lenses.add(lens(range, AnalysisText.lensTitle(result.cost().get().calls()), ESTIMATE, uri));
                lenses.add(lens(range, "Run on emulator", RUN, uri));
            }
        }
        return lenses;
    }

    private static CodeLens lens(Range range, String title, String command, Object... arguments) {
        return new CodeLens(range, new Command(title, command, List.of(arguments)), null);
    }

    private static Range lineOf(Document document, SourceLocation location) {
        Position start = document.getPosition(location.offset());
        return new Range(start, start);
    }
}
