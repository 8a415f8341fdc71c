package io.rdustudio.dfk.ide;

import java.util.List;

import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;

import io.rdustudio.dfk.validation.AnalysisFindings;

/**
 * The findings a language's analysis adds to a document's diagnostics, computed by the language
 * server after the first diagnostics of an edit (syntax, names, shapes) are out, in the background,
 * and cancelled by the next edit. A language without such an analysis binds none.
 */
public interface BackgroundFindings {

    /**
     * The findings of {@code resource} as it is now, in the file's offsets.
     *
     * <p>Throws Xtext's cancellation exception ({@code OperationCanceledManager}) when {@code cancel}
     * fires before the analysis is done.
     */
    List<AnalysisFindings.Finding> of(XtextResource resource, CancelIndicator cancel);
}
