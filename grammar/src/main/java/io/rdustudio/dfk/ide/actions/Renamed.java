package io.rdustudio.dfk.ide.actions;

import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.CrossReference;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.RuleCall;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;

/**
 * The source text of a piece of the tree with some names changed: every reference to, and the
 * declared name of, an object in {@code names} is written with its new name; everything else,
 * comments and line breaks included, stays as written.
 */
final class Renamed {

    private Renamed() {
    }

    /** The renamed text of the part of {@code object} from offset {@code from} to offset {@code to}. */
    static String text(EObject object, Map<EObject, String> names, int from, int to) {
        INode node = NodeModelUtils.findActualNodeFor(object);
        StringBuilder out = new StringBuilder();
        for (ILeafNode leaf : node.getLeafNodes()) {
            if (leaf.getOffset() >= from && leaf.getEndOffset() <= to) {
                out.append(renamed(leaf, names));
            }
        }
        return out.toString();
    }

    private static String renamed(ILeafNode leaf, Map<EObject, String> names) {
        if (leaf.isHidden() || names.isEmpty()) {
            return leaf.getText();
        }
        EObject owner = NodeModelUtils.findActualSemanticObjectFor(leaf);
        if (owner == null) {
            return leaf.getText();
        }
        if (leaf.getGrammarElement() instanceof CrossReference grammar) {
            EReference reference = GrammarUtil.getReference(grammar);
            Object target = reference == null ? null : owner.eGet(reference, true);
            String name = target instanceof EObject e ? names.get(e) : null;
            return name == null ? leaf.getText() : name;
        }
        if (leaf.getGrammarElement() instanceof RuleCall call && GrammarUtil.containingAssignment(call) != null
                && "name".equals(GrammarUtil.containingAssignment(call).getFeature()) && names.containsKey(owner)) {
            return names.get(owner);
        }
        return leaf.getText();
    }
}
