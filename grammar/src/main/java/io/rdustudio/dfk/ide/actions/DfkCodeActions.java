package io.rdustudio.dfk.ide.actions;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionParams;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.DocumentExtensions;
import org.eclipse.xtext.ide.server.UriExtensions;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.service.OperationCanceledManager;
import org.eclipse.xtext.util.CancelIndicator;

import com.google.inject.Inject;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.fusion.FusionHint;
import io.rdustudio.dfk.dfk.CallStep;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.Schedule;
import io.rdustudio.dfk.dfk.Statement;
import io.rdustudio.dfk.dfk.TensorDecl;
import io.rdustudio.dfk.lowering.DfkEditorAnalyses;
import io.rdustudio.dfk.validation.DfkAnalysisValidator;

/**
 * The code actions of DFK, each a workspace edit with a title that says what it does: apply a
 * fusion hint (a quick fix on the hint and on the calls it names), split a kernel at a statement,
 * move a tensor to another tier, switch the schedule's orchestration, and turn repeated calls into
 * a loop. Every action leaves a program that checks clean; the analysis of the edited document then
 * shows the new estimate.
 */
public class DfkCodeActions implements ICodeActionService2 {

    @Inject
    private DfkEditorAnalyses analyses;

    @Inject
    private DocumentExtensions positions;

    @Inject
    private UriExtensions uris;

    @Inject
    private Scratch scratch;

    @Inject
    private OperationCanceledManager cancellation;

    @Override
    public List<Either<Command, CodeAction>> getCodeActions(Options options) {
        if (options.getDocument() != null && options.getResource() instanceof XtextResource resource) {
            return actions(options.getDocument(), resource, options.getCodeActionParams(), cancel(options));
        }
        return options.getLanguageServerAccess().doSyncRead(options.getURI(), context -> context.getResource()
                instanceof XtextResource resource
                        ? actions(context.getDocument(), resource, options.getCodeActionParams(), cancel(options))
                        : List.of());
    }

    private static CancelIndicator cancel(Options options) {
        return options.getCancelIndicator() == null ? CancelIndicator.NullImpl : options.getCancelIndicator();
    }

    private List<Either<Command, CodeAction>> actions(Document document, XtextResource resource, CodeActionParams params,
            CancelIndicator cancel) {
        List<Either<Command, CodeAction>> actions = new ArrayList<>();
        if (resource.getContents().isEmpty() || !(resource.getContents().get(0) instanceof Model model)
                || resource.getParseResult() == null || resource.getParseResult().hasSyntaxErrors()) {
            return actions;
        }
        ProgramAnalysis.Result analysis = analyses.of(resource);
        Source source = new Source(resource, model, analysis, document.getOffSet(params.getRange().getStart()),
                document.getOffSet(params.getRange().getEnd()), positions, uris, cancel);
        if (analysis != null && analysis.fusion().isPresent()) {
            for (FusionHint hint : analysis.fusion().get().hints()) {
                List<Diagnostic> about = params.getContext() == null || params.getContext().getDiagnostics() == null
                        ? List.of() : params.getContext().getDiagnostics().stream()
                                .filter(d -> isHint(d, hint, document)).toList();
                if (!about.isEmpty() || hint.callLocations().stream().anyMatch(source::touches)) {
                    FuseKernels.action(source, hint).ifPresent(a -> {
                        a.setDiagnostics(about);
                        a.setIsPreferred(true);
                        actions.add(Either.forRight(a));
                    });
                }
            }
        }
        // a client asks at every move of the cursor; the next question cancels this one
        cancellation.checkCanceled(cancel);
        Statement statement = source.at(Statement.class);
        if (statement != null) {
            SplitKernel.action(source, statement, scratch).ifPresent(a -> actions.add(Either.forRight(a)));
        }
        cancellation.checkCanceled(cancel);
        TensorDecl tensor = source.at(TensorDecl.class);
        if (tensor != null) {
            MoveTier.actions(source, tensor).forEach(a -> actions.add(Either.forRight(a)));
        }
        CallStep call = source.at(CallStep.class);
        if (call != null) {
            CallsToLoop.action(source, call).ifPresent(a -> actions.add(Either.forRight(a)));
        }
        Schedule schedule = source.schedule();
        if (schedule != null && SwitchOrchestration.onHeader(source, schedule)) {
            SwitchOrchestration.action(source, schedule).ifPresent(a -> actions.add(Either.forRight(a)));
        }
        List<String> only = params.getContext() == null ? null : params.getContext().getOnly();
        if (only != null && !only.isEmpty()) {
            actions.removeIf(a -> only.stream().noneMatch(kind -> a.getRight().getKind().startsWith(kind)));
        }
        return actions;
    }

    /** Whether {@code d} is the fusion-hint diagnostic of {@code hint} (it spans the hint's calls). */
    private static boolean isHint(Diagnostic d, FusionHint hint, Document document) {
        if (d.getCode() == null || !d.getCode().isLeft() || !DfkAnalysisValidator.FUSION_HINT.equals(d.getCode().getLeft())
                || hint.callLocations().isEmpty()) {
            return false;
        }
        int start = document.getOffSet(d.getRange().getStart());
        return start == hint.callLocations().get(0).offset();
    }
}
