package io.rdustudio.dfk.validation;

import java.util.List;

import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.EValidatorRegistrar;

import com.google.inject.Inject;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.fusion.FusionHint;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.lowering.DfkEditorAnalyses;

/**
 * Reports what the program analysis finds, composed into {@link DfkValidator} so that editors and
 * {@code dfk check} show the same: each fusion hint as an information at the calls it would merge
 * ("kernels a and b could be one kernel: intensity X -> Y FLOP/B, est. Nx faster, saves Z of HBM
 * traffic"), and the memory plan's errors (a program that does not fit) as errors. The analysis is
 * the one the editor features read ({@link DfkEditorAnalyses}: cached per resource state, on the
 * profile {@code dfk estimate} picks), so a hint and a hover never disagree.
 */
public class DfkAnalysisValidator extends AbstractDeclarativeValidator {

    public static final String FUSION_HINT = "dfk.fusion-hint";

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
        String here = model.eResource().getURI().toString();
        result.fusion().ifPresent(fusion -> {
            for (FusionHint hint : fusion.hints()) {
                reportHint(model, here, hint);
            }
        });
        result.memory().ifPresent(plan -> {
            for (Diagnostic d : plan.diagnostics()) {
                if (d.severity() == Severity.ERROR && here.equals(d.location().uri())) {
                    getMessageAcceptor().acceptError(d.message(), model, d.location().offset(), d.location().length(),
                            d.code());
                }
            }
        });
    }

    private void reportHint(Model model, String here, FusionHint hint) {
        List<SourceLocation> calls = hint.callLocations().stream().filter(c -> here.equals(c.uri())).toList();
        if (calls.isEmpty()) {
            return;
        }
        int start = calls.get(0).offset();
        int end = calls.get(calls.size() - 1).endOffset();
        getMessageAcceptor().acceptInfo(hint.message(), model, start, Math.max(0, end - start), FUSION_HINT,
                hint.kernels().toArray(String[]::new));
    }
}
