package io.rdustudio.dfk.ide.actions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.dfk.dfk.DfkPackage;
import io.rdustudio.dfk.dfk.TensorDecl;
import io.rdustudio.dfk.ide.AnalysisText;

/**
 * Moves a tensor to another memory tier: one action per tier the memory plan can honour (an
 * {@code @sram} that does not fit is not offered), and one that removes a declared tier so the
 * planner chooses. Each title gives the program's estimate before and after, from the same analysis
 * run on the program with the tensor moved.
 */
final class MoveTier {

    private MoveTier() {
    }

    static List<CodeAction> actions(Source source, TensorDecl declaration) {
        List<CodeAction> actions = new ArrayList<>();
        ProgramAnalysis.Result now = source.analysis();
        if (now == null || now.cost().isEmpty() || declaration.eResource() != source.resource()) {
            return actions;
        }
        String name = declaration.getName();
        Optional<io.rdustudio.core.ir.TensorDecl> lowered = now.program().tensor(name);
        if (lowered.isEmpty()) {
            return actions;
        }
        Optional<Tier> declared = lowered.get().tier();
        String before = AnalysisText.total(now.cost().get().calls()).formatSeconds();
        for (Tier tier : Tier.values()) {
            if (declared.equals(Optional.of(tier))) {
                continue;
            }
            estimate(source, lowered.get(), Optional.of(tier)).ifPresent(after -> {
                CodeAction action = new CodeAction("Place " + name + " in " + tier.keyword().toUpperCase(java.util.Locale.ROOT)
                        + " (@" + tier.keyword() + "): est. " + before + " -> " + after);
                action.setKind(CodeActionKind.RefactorRewrite);
                action.setEdit(edit(source, declaration, "@" + tier.keyword()));
                actions.add(action);
            });
        }
        if (declared.isPresent()) {
            estimate(source, lowered.get(), Optional.empty()).ifPresent(after -> {
                CodeAction action = new CodeAction("Let the memory planner place " + name + " (remove @"
                        + declared.get().keyword() + "): est. " + before + " -> " + after);
                action.setKind(CodeActionKind.RefactorRewrite);
                action.setEdit(edit(source, declaration, null));
                actions.add(action);
            });
        }
        return actions;
    }

    /** The program's estimate with the tensor on {@code tier}, or empty when the memory plan refuses it. */
    private static Optional<String> estimate(Source source, io.rdustudio.core.ir.TensorDecl tensor, Optional<Tier> tier) {
        Program program = source.analysis().program();
        List<io.rdustudio.core.ir.TensorDecl> tensors = new ArrayList<>();
        for (io.rdustudio.core.ir.TensorDecl t : program.tensors()) {
            tensors.add(t.name().equals(tensor.name())
                    ? new io.rdustudio.core.ir.TensorDecl(t.name(), t.role(), t.type(), tier, t.location()) : t);
        }
        Program moved = new Program(program.name(), program.uri(), program.constants(), tensors, program.kernels(),
                program.schedule());
        ProgramAnalysis.Result result = ProgramAnalysis.analyse(moved, source.analysis().target(), source.cancelled());
        boolean refused = result.memory().isEmpty() || result.memory().get().diagnostics().stream()
                .anyMatch(d -> d.severity() == Severity.ERROR);
        if (refused || result.cost().isEmpty() || result.cancelled()) {
            return Optional.empty();
        }
        return Optional.of(AnalysisText.total(result.cost().get().calls()).formatSeconds());
    }

    /** Writes {@code tier} ({@code @hbm}) on the declaration, or removes its tier when null. */
    private static org.eclipse.lsp4j.WorkspaceEdit edit(Source source, TensorDecl declaration, String tier) {
        SourceEdits edits = source.edits();
        List<INode> written = NodeModelUtils.findNodesForFeature(declaration, DfkPackage.Literals.TENSOR_DECL__TIER);
        INode type = NodeModelUtils.findActualNodeFor(declaration.getType());
        if (!written.isEmpty()) {
            int at = written.get(0).getOffset();
            String text = SourceEdits.text(source.resource());
            int atSign = text.lastIndexOf('@', at);
            if (tier == null) {
                edits.replace(source.resource(), type.getEndOffset(), written.get(0).getEndOffset() - type.getEndOffset(), "");
            } else {
                edits.replace(source.resource(), atSign, written.get(0).getEndOffset() - atSign, tier);
            }
        } else {
            edits.insert(source.resource(), type.getEndOffset(), " " + tier);
        }
        return edits.build();
    }
}
