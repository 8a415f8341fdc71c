package io.rdustudio.coelang.lowering;

import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.util.LineAndColumn;

import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.dfk.lowering.Locations;

/** Source locations in a descriptor: of a whole declaration, or of one of its properties ({@code tp 8}). */
final class Places {

    private Places() {
    }

    static SourceLocation of(EObject object) {
        return Locations.of(object);
    }

    /** Where {@code feature} of {@code object} is written (its first occurrence); the whole object when it is not. */
    static SourceLocation of(EObject object, EStructuralFeature feature) {
        List<INode> nodes = NodeModelUtils.findNodesForFeature(object, feature);
        if (nodes.isEmpty()) {
            return of(object);
        }
        INode node = nodes.get(0);
        LineAndColumn lc = NodeModelUtils.getLineAndColumn(node, node.getOffset());
        String uri = object.eResource() == null || object.eResource().getURI() == null ? ""
                : object.eResource().getURI().toString();
        return new SourceLocation(uri, node.getOffset(), node.getLength(), lc.getLine(), lc.getColumn());
    }

    /** How often {@code feature} is written in {@code object}: a property given twice in one declaration. */
    static int occurrences(EObject object, EStructuralFeature feature) {
        return NodeModelUtils.findNodesForFeature(object, feature).size();
    }
}
