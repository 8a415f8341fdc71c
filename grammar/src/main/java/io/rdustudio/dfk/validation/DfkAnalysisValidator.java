package io.rdustudio.dfk.validation;

import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.EValidatorRegistrar;

import com.google.inject.Inject;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.lowering.DfkEditorAnalyses;

/**
 * Reports what the program analysis finds ({@link AnalysisFindings}: fusion hints as informations,
 * bandwidth bottlenecks as warnings, memory-plan failures as errors), composed into {@link DfkValidator} for {@code dfk check --hints}.
 * The analysis is the one the editor features read ({@link DfkEditorAnalyses}: cached per resource
 * state, on the profile {@code dfk estimate} picks), so a hint and a hover never disagree.
 *
 * <p>Only when {@link TargetSelection#analysisHints()} asks for them: plain {@code dfk check} skips
 * the analysis, and the language server turns it off here because it publishes the same findings
 * itself, from a background analysis that does not hold up the first diagnostics of an edit.
 */
public class DfkAnalysisValidator extends AbstractDeclarativeValidator {

    public static final String FUSION_HINT = AnalysisFindings.FUSION_HINT;

    @Inject
    private DfkEditorAnalyses analyses;

    @Inject
    private TargetSelection selection;

    /** Composed into {@link DfkValidator}: never registered on its own, or every check would run twice. */
    @Override
    public void register(EValidatorRegistrar registrar) {
    }

    @Check
    public void checkAnalysis(Model model) {
        if (!selection.analysisHints()) {
            return;
        }
        ProgramAnalysis.Result result;
        try {
            result = analyses.of(model.eResource());
        } catch (RuntimeException | StackOverflowError e) {
            getMessageAcceptor().acceptError("internal error in the DFK analysis (" + e
                    + "); the other diagnostics stand; please report this with the file", model, 0, 0, "dfk.internal");
            return;
        }
        if (result == null) {
            return;
        }
        for (AnalysisFindings.Finding f : AnalysisFindings.in(result, model.eResource().getURI().toString())) {
            String[] data = f.data().toArray(String[]::new);
            if (f.severity() == Severity.ERROR) {
                getMessageAcceptor().acceptError(f.message(), model, f.offset(), f.length(), f.code(), data);
            } else if (f.severity() == Severity.WARNING) {
                getMessageAcceptor().acceptWarning(f.message(), model, f.offset(), f.length(), f.code(), data);
            } else {
                getMessageAcceptor().acceptInfo(f.message(), model, f.offset(), f.length(), f.code(), data);
            }
        }
    }
}
