package io.rdustudio.dfk.ide;

import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.ide.editor.folding.FoldingRange;
import org.eclipse.xtext.ide.editor.folding.FoldingRangeKind;
import org.eclipse.xtext.ide.editor.folding.IFoldingRangeProvider;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;

import io.rdustudio.dfk.dfk.Function;
import io.rdustudio.dfk.dfk.Import;
import io.rdustudio.dfk.dfk.Kernel;
import io.rdustudio.dfk.dfk.Loop;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.Schedule;

/**
 * Folding ranges of DFK: kernels, fns, the schedule and its loops (from the header to the last line
 * before the closing brace, which stays visible), block comments, runs of two or more line comments
 * (the header comments of the examples), and a group of two or more imports.
 */
public class DfkFoldingRangeProvider implements IFoldingRangeProvider {

    @Override
    public SortedSet<FoldingRange> getFoldingRanges(XtextResource resource, CancelIndicator cancelIndicator) {
        SortedSet<FoldingRange> ranges = new TreeSet<>(
                Comparator.comparingInt(FoldingRange::getOffset).thenComparing(r -> -r.getLength()));
        if (resource.getParseResult() == null || resource.getContents().isEmpty()) {
            return ranges;
        }
        for (var it = resource.getAllContents(); it.hasNext();) {
            EObject object = it.next();
            if (object instanceof Kernel || object instanceof Function || object instanceof Schedule
                    || object instanceof Loop) {
                block(object, ranges);
            }
        }
        if (resource.getContents().get(0) instanceof Model model) {
            imports(model.getImports(), ranges);
        }
        comments(resource.getParseResult().getRootNode(), ranges);
        return ranges;
    }

    /** From the start of {@code object} to the end of the last token before its closing brace. */
    private static void block(EObject object, SortedSet<FoldingRange> ranges) {
        ICompositeNode node = NodeModelUtils.findActualNodeFor(object);
        if (node == null) {
            return;
        }
        ILeafNode beforeClose = null;
        ILeafNode previous = null;
        for (ILeafNode leaf : node.getLeafNodes()) {
            if (leaf.isHidden()) {
                continue;
            }
            if (leaf.getText().equals("}")) {
                beforeClose = previous;
            }
            previous = leaf;
        }
        if (beforeClose != null && beforeClose.getEndOffset() > node.getOffset()) {
            ranges.add(new FoldingRange(node.getOffset(), beforeClose.getEndOffset() - node.getOffset()));
        }
    }

    private static void imports(List<Import> imports, SortedSet<FoldingRange> ranges) {
        if (imports.size() < 2) {
            return;
        }
        ICompositeNode first = NodeModelUtils.findActualNodeFor(imports.get(0));
        ICompositeNode last = NodeModelUtils.findActualNodeFor(imports.get(imports.size() - 1));
        if (first != null && last != null) {
            ranges.add(new FoldingRange(first.getOffset(), last.getEndOffset() - first.getOffset(),
                    FoldingRangeKind.IMPORTS));
        }
    }

    /** Block comments, and runs of line comments on consecutive lines. */
    private static void comments(ICompositeNode root, SortedSet<FoldingRange> ranges) {
        String text = root.getText();
        int runStart = -1;
        int runEnd = -1;
        int runLines = 0;
        for (ILeafNode leaf : root.getLeafNodes()) {
            String rule = leaf.getGrammarElement() instanceof org.eclipse.xtext.TerminalRule terminal ? terminal.getName() : "";
            if (rule.equals("ML_COMMENT")) {
                ranges.add(new FoldingRange(leaf.getOffset(), leaf.getLength(), FoldingRangeKind.COMMENT));
            } else if (rule.equals("SL_COMMENT")) {
                int lineStart = text.lastIndexOf('\n', leaf.getOffset() - 1) + 1;
                if (!text.substring(lineStart, leaf.getOffset()).isBlank()) {
                    addRun(runStart, runEnd, runLines, ranges);
                    runStart = -1;
                    continue;
                }
                String gap = runStart < 0 ? "" : text.substring(runEnd, leaf.getOffset());
                boolean nextLine = runStart >= 0 && gap.isBlank() && gap.chars().filter(c -> c == '\n').count() == 1;
                if (!nextLine) {
                    addRun(runStart, runEnd, runLines, ranges);
                    runStart = leaf.getOffset();
                    runLines = 0;
                }
                runLines++;
                runEnd = leaf.getOffset() + leaf.getText().stripTrailing().length();
            } else if (!rule.equals("WS")) {
                addRun(runStart, runEnd, runLines, ranges);
                runStart = -1;
            }
        }
        addRun(runStart, runEnd, runLines, ranges);
    }

    private static void addRun(int start, int end, int lines, SortedSet<FoldingRange> ranges) {
        if (start >= 0 && lines >= 2) {
            ranges.add(new FoldingRange(start, end - start, FoldingRangeKind.COMMENT));
        }
    }
}
