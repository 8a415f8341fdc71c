package io.rdustudio.dfk.ide;

import java.util.List;

import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;

import com.google.inject.Inject;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.dfk.lowering.DfkEditorAnalyses;
import io.rdustudio.dfk.validation.AnalysisFindings;

/**
 * DFK's background findings: the fusion hints, bandwidth bottlenecks and memory-plan failures of
 * the analysis the editor features read ({@link DfkEditorAnalyses}), so the analysis computed here
 * is the one a hover, a code lens or an inlay hint of the same document version then finds cached.
 */
public class DfkBackgroundFindings implements BackgroundFindings {

    @Inject
    private DfkEditorAnalyses analyses;

    @Override
    public List<AnalysisFindings.Finding> of(XtextResource resource, CancelIndicator cancel) {
        ProgramAnalysis.Result result = analyses.forRequest(resource, cancel);
        return result == null ? List.of() : AnalysisFindings.in(result, resource.getURI().toString());
    }
}
