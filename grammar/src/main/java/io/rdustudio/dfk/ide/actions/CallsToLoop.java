package io.rdustudio.dfk.ide.actions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;

import io.rdustudio.dfk.dfk.CallStep;
import io.rdustudio.dfk.dfk.Index;
import io.rdustudio.dfk.dfk.IntLiteral;
import io.rdustudio.dfk.dfk.Loop;
import io.rdustudio.dfk.dfk.Step;
import io.rdustudio.dfk.dfk.Target;

/**
 * Turns consecutive calls of one kernel that differ only in the integer indices of their stacked
 * tensors, each index one more than in the call before ({@code w[0]}, {@code w[1]}, {@code w[2]}),
 * into a loop over those indices: {@code for l in 0..3 { x = layer(x, w[l]) }}. A loop keeps the
 * schedule short, and N calls of one kernel in a loop are what kernel looping folds into one launch.
 */
final class CallsToLoop {

    private CallsToLoop() {
    }

    /** A call as a template: its text with the literal indices cut out, and those indices. */
    private record Shape(String template, List<IntLiteral> indices, List<Long> values) {
    }

    static Optional<CodeAction> action(Source source, CallStep at) {
        List<Step> siblings = Source.siblings(at);
        int index = siblings.indexOf(at);
        Shape shape = shape(at);
        if (shape == null || shape.indices().isEmpty()) {
            return Optional.empty();
        }
        int first = index;
        while (first > 0 && follows(siblings.get(first - 1), siblings.get(first))) {
            first--;
        }
        int last = index;
        while (last + 1 < siblings.size() && follows(siblings.get(last), siblings.get(last + 1))) {
            last++;
        }
        if (last == first) {
            return Optional.empty();
        }
        CallStep start = (CallStep) siblings.get(first);
        CallStep end = (CallStep) siblings.get(last);
        Shape base = shape(start);
        String variable = Source.fresh("l", taken(source, at));
        long from = base.values().get(0);
        long to = from + (last - first + 1);
        String indent = SourceEdits.indentation(start);
        String body = loopBody(start, base, variable, from);
        String loop = "for " + variable + " in " + from + ".." + to + " {\n" + indent + "    "
                + body.replace("\n", "\n    ") + "\n" + indent + "}";
        INode startNode = NodeModelUtils.findActualNodeFor(start);
        INode endNode = NodeModelUtils.findActualNodeFor(end);
        SourceEdits edits = source.edits();
        edits.replace(source.resource(), startNode.getOffset(), endNode.getEndOffset() - startNode.getOffset(), loop);
        String kernel = Source.text(start.getCall()).substring(0, Source.text(start.getCall()).indexOf('(')).strip();
        CodeAction action = new CodeAction("Turn the " + (last - first + 1) + " calls of " + kernel
                + " into a loop: for " + variable + " in " + from + ".." + to);
        action.setKind(CodeActionKind.RefactorRewrite);
        action.setEdit(edits.build());
        return Optional.of(action);
    }

    /** Whether {@code next} calls what {@code previous} calls with every literal index one higher. */
    private static boolean follows(Step previous, Step next) {
        if (!(previous instanceof CallStep p) || !(next instanceof CallStep n)) {
            return false;
        }
        Shape a = shape(p);
        Shape b = shape(n);
        if (a == null || b == null || !a.template().equals(b.template()) || a.values().isEmpty()) {
            return false;
        }
        for (int i = 0; i < a.values().size(); i++) {
            if (b.values().get(i) != a.values().get(i) + 1) {
                return false;
            }
        }
        return true;
    }

    /** The call's text with each integer literal that indexes a tensor replaced by a mark. */
    private static Shape shape(CallStep step) {
        if (step.getCall() == null) {
            return null;
        }
        List<IntLiteral> literals = new ArrayList<>();
        for (Target target : step.getTargets()) {
            target.getIndices().stream().filter(IntLiteral.class::isInstance).map(IntLiteral.class::cast)
                    .forEach(literals::add);
        }
        for (Index indexed : EcoreUtil2.getAllContentsOfType(step.getCall(), Index.class)) {
            indexed.getIndices().stream().filter(IntLiteral.class::isInstance).map(IntLiteral.class::cast)
                    .forEach(literals::add);
        }
        literals.sort(java.util.Comparator.comparingInt(l -> NodeModelUtils.findActualNodeFor(l).getOffset()));
        List<Long> values = new ArrayList<>();
        for (IntLiteral literal : literals) {
            try {
                values.add(Long.parseLong(literal.getValue().replace("_", "")));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return new Shape(replaced(step, literals, List.of()), literals, values);
    }

    /** The body of the loop: the first call with each index written in terms of the loop variable. */
    private static String loopBody(CallStep step, Shape shape, String variable, long from) {
        List<String> written = new ArrayList<>();
        for (long value : shape.values()) {
            long offset = value - from;
            written.add(offset == 0 ? variable : variable + (offset > 0 ? " + " : " - ") + Math.abs(offset));
        }
        return replaced(step, shape.indices(), written);
    }

    /** The step's text with {@code literals} replaced by {@code by} (a mark when {@code by} is empty). */
    private static String replaced(CallStep step, List<IntLiteral> literals, List<String> by) {
        INode node = NodeModelUtils.findActualNodeFor(step);
        StringBuilder text = new StringBuilder(SourceEdits.text(step.eResource()).substring(node.getOffset(),
                node.getEndOffset()));
        for (int i = literals.size() - 1; i >= 0; i--) {
            INode literal = NodeModelUtils.findActualNodeFor(literals.get(i));
            int at = literal.getOffset() - node.getOffset();
            text.replace(at, at + literal.getLength(), by.isEmpty() ? "#" : by.get(i));
        }
        return by.isEmpty() ? text.toString().replaceAll("\\s+", "") : text.toString();
    }

    /** The names a loop variable must not take: the enclosing loops' variables and the top-level names. */
    private static Set<String> taken(Source source, CallStep at) {
        Set<String> names = new HashSet<>(source.topLevelNames());
        for (var e = at.eContainer(); e != null; e = e.eContainer()) {
            if (e instanceof Loop loop && loop.getVariable() != null) {
                names.add(loop.getVariable().getName());
            }
        }
        return names;
    }
}
