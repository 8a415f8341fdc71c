package io.rdustudio.dfk.ide;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;

import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.Constant;
import io.rdustudio.dfk.dfk.DfkPackage;
import io.rdustudio.dfk.dfk.Loop;
import io.rdustudio.dfk.dfk.LoopVar;
import io.rdustudio.dfk.dfk.Param;
import io.rdustudio.dfk.dfk.Schedule;
import io.rdustudio.dfk.dfk.ShapeParam;
import io.rdustudio.dfk.dfk.TensorDecl;
import io.rdustudio.dfk.dfk.TypeRef;
import io.rdustudio.dfk.dfk.ValueDef;
import io.rdustudio.dfk.lowering.Locations;
import io.rdustudio.dfk.lowering.Signatures;

/**
 * How the editor names a declaration in one line ({@code weight bf16[L, D, D]},
 * {@code attention(x: bf16[S, D], ...) -> (y: bf16[S, D])}) and which comment documents it (the
 * {@code //} lines right above it), for completion, signature help and the outline alike.
 */
public final class DfkDescriptions {

    private DfkDescriptions() {
    }

    /** {@code bf16[S, D]}, as written. */
    public static String type(TypeRef type) {
        return type == null ? "?" : Locations.text(type);
    }

    /** {@code state kc: bf16[S, H, DH]}. */
    public static String param(Param p) {
        return (p.isState() ? "state " : "") + p.getName() + ": " + type(p.getType());
    }

    /** {@code attention<T>(x: bf16[T, D], g: bf16[D]) -> (y: bf16[T, D])}. */
    public static String signature(Callable c) {
        StringBuilder s = new StringBuilder(Signatures.name(c));
        if (!Signatures.shapeParams(c).isEmpty()) {
            s.append('<').append(Signatures.shapeParams(c).stream().map(ShapeParam::getName)
                    .collect(Collectors.joining(", "))).append('>');
        }
        s.append('(').append(Signatures.params(c).stream().map(DfkDescriptions::param)
                .collect(Collectors.joining(", "))).append(')');
        if (!Signatures.outputs(c).isEmpty()) {
            s.append(" -> (").append(Signatures.outputs(c).stream().map(DfkDescriptions::param)
                    .collect(Collectors.joining(", "))).append(')');
        }
        return s.toString();
    }

    /** One line saying what a name stands for. */
    public static String detail(EObject named) {
        if (named instanceof TensorDecl t) {
            return t.getRole().getLiteral() + " " + type(t.getType())
                    + (t.eIsSet(DfkPackage.Literals.TENSOR_DECL__TIER) ? " @" + t.getTier().getLiteral() : "");
        }
        if (named instanceof Constant c) {
            return "let " + c.getName() + " = " + Locations.text(c.getValue());
        }
        if (named instanceof Callable c) {
            return Signatures.kind(c) + " " + signature(c);
        }
        if (named instanceof Param p) {
            Callable owner = EcoreUtil2.getContainerOfType(p, Callable.class);
            String role = owner != null && Signatures.outputs(owner).contains(p) ? "output" : p.isState() ? "state" : "input";
            return role + " parameter " + p.getName() + ": " + type(p.getType());
        }
        if (named instanceof ShapeParam sp) {
            Callable owner = EcoreUtil2.getContainerOfType(sp, Callable.class);
            return "shape parameter" + (owner == null ? "" : " of " + Signatures.name(owner)) + ", bound at each call";
        }
        if (named instanceof LoopVar v && v.eContainer() instanceof Loop loop) {
            return "loop variable, " + Locations.text(loop.getFrom()) + ".." + Locations.text(loop.getTo());
        }
        if (named instanceof ValueDef v) {
            return "value, line " + Locations.of(v).line();
        }
        if (named instanceof Schedule) {
            return "schedule";
        }
        return named.eClass().getName();
    }

    /**
     * The comment right above a top-level declaration ({@code //} or {@code #} lines with no blank
     * line between them and it), without the comment marks; "" when there is none.
     */
    public static String comment(EObject declaration) {
        INode node = NodeModelUtils.findActualNodeFor(declaration);
        if (node == null) {
            return "";
        }
        ICompositeNode root = node.getRootNode();
        String text = root.getText();
        int lineStart = text.lastIndexOf('\n', node.getOffset() - 1) + 1;
        if (!text.substring(lineStart, node.getOffset()).isBlank()) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        int end = lineStart - 1;
        while (end > 0) {
            int start = text.lastIndexOf('\n', end - 1) + 1;
            String line = text.substring(start, end).strip();
            String body = line.startsWith("//") ? line.substring(2) : line.startsWith("#") ? line.substring(1) : null;
            if (body == null) {
                break;
            }
            lines.add(0, body.strip());
            end = start - 1;
        }
        return String.join("\n", lines).strip();
    }

    /** The documentation of a declaration in Markdown: its one-line description in code, then its comment. */
    public static String documentation(EObject named) {
        String comment = named instanceof Callable || named instanceof TensorDecl
                || named instanceof Constant ? comment(named) : "";
        String where = named.eResource() == null ? "" : named.eResource().getURI().lastSegment();
        return "`" + detail(named) + "`" + (comment.isEmpty() ? "" : "\n\n" + comment)
                + (where == null || where.isEmpty() ? "" : "\n\n*" + where + ", line " + Locations.of(named).line() + "*");
    }
}
