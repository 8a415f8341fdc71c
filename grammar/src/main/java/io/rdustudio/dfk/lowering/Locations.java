package io.rdustudio.dfk.lowering;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.util.LineAndColumn;

import io.rdustudio.core.ir.SourceLocation;

/** Source locations of syntax-tree nodes, read from Xtext's node model. */
public final class Locations {

    private Locations() {
    }

    public static SourceLocation of(EObject object) {
        if (object == null) {
            return SourceLocation.UNKNOWN;
        }
        return of(object, NodeModelUtils.findActualNodeFor(object));
    }

    static String uriOf(EObject object) {
        return object.eResource() == null || object.eResource().getURI() == null ? ""
                : object.eResource().getURI().toString();
    }

    private static SourceLocation of(EObject object, INode node) {
        String uri = uriOf(object);
        if (node == null) {
            return new SourceLocation(uri, 0, 0, 1, 1);
        }
        LineAndColumn lc = NodeModelUtils.getLineAndColumn(node, node.getOffset());
        return new SourceLocation(uri, node.getOffset(), node.getLength(), lc.getLine(), lc.getColumn());
    }

    /** The source text of a whole node ({@code wq[l]}), or "" when the parser produced none. */
    public static String text(EObject object) {
        INode node = object == null ? null : NodeModelUtils.findActualNodeFor(object);
        return node == null ? "" : NodeModelUtils.getTokenText(node);
    }

    /** The source text of a node, e.g. an unresolved callee's name. */
    public static String text(EObject object, EStructuralFeature feature) {
        var nodes = NodeModelUtils.findNodesForFeature(object, feature);
        return nodes.isEmpty() ? "" : NodeModelUtils.getTokenText(nodes.get(0));
    }
}
