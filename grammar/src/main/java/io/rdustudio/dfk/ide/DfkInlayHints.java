package io.rdustudio.dfk.ide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintKind;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;

import com.google.inject.Inject;

import io.rdustudio.dfk.lowering.DfkEditorAnalyses;
import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.cost.CallCost;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.Value;

/**
 * Inlay hints (Xtext 2.40 has no service for them; the language server asks this class): the
 * inferred type after each {@code name = expr} of a kernel, {@code : bf16[1, 4096]}, and the
 * estimated time after each kernel call of the schedule, {@code est. 36.5 us (31.1-46.8)}.
 * A kernel with several instances gets the distinct types of all of them, joined by {@code |}.
 */
public class DfkInlayHints {

    @Inject
    private DfkEditorAnalyses analyses;

    /** The hints of {@code resource} inside {@code range} (all of them when range is null). */
    public List<InlayHint> compute(Document document, XtextResource resource, Range range, CancelIndicator cancel) {
        List<InlayHint> hints = new ArrayList<>();
        ProgramAnalysis.Result result = analyses.forRequest(resource, cancel);
        if (result == null) {
            return hints;
        }
        String here = resource.getURI().toString();
        int from = range == null ? 0 : offsetOf(document, range.getStart());
        int to = range == null ? Integer.MAX_VALUE : offsetOf(document, range.getEnd());
        Map<Integer, List<String>> shapes = new LinkedHashMap<>();
        for (Kernel kernel : result.program().kernels().values()) {
            for (Operation op : kernel.operations()) {
                SourceLocation at = op.location();
                if (!here.equals(at.uri()) || op.outputs().stream().anyMatch(v -> v.name().startsWith("%"))) {
                    continue;
                }
                List<String> types = new ArrayList<>();
                for (Value v : op.outputs()) {
                    types.add(v.type().toString());
                }
                List<String> labels = shapes.computeIfAbsent(at.endOffset(), k -> new ArrayList<>());
                String label = String.join(", ", types);
                if (!labels.contains(label)) {
                    labels.add(label);
                }
            }
        }
        shapes.forEach((offset, labels) -> {
            if (offset >= from && offset <= to) {
                hints.add(hint(document, offset, ": " + String.join(" | ", labels), InlayHintKind.Type));
            }
        });
        if (result.cost().isPresent()) {
            for (CallCost call : result.cost().get().calls()) {
                SourceLocation at = call.location();
                if (here.equals(at.uri()) && at.endOffset() >= from && at.endOffset() <= to) {
                    String label = call.calls() > 1
                            ? "est. " + call.calls() + " x " + call.perCall().time().formatSeconds() + " = "
                                    + call.totalTime().formatSeconds()
                            : "est. " + call.totalTime().formatSeconds();
                    hints.add(hint(document, at.endOffset(), label, null));
                }
            }
        }
        return hints;
    }

    /** A position past the end (an editor's visible range may be) counts as the end. */
    private static int offsetOf(Document document, org.eclipse.lsp4j.Position position) {
        try {
            return document.getOffSet(position);
        } catch (IndexOutOfBoundsException e) {
            return document.getContents().length();
        }
    }

    private static InlayHint hint(Document document, int offset, String label, InlayHintKind kind) {
        InlayHint hint = new InlayHint(document.getPosition(offset), Either.forLeft(label));
        hint.setKind(kind);
        hint.setPaddingLeft(true);
        return hint;
    }
}
