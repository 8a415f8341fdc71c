package io.rdustudio.dfk.lowering;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;

import io.rdustudio.core.ir.TensorType;
import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.Expr;
import io.rdustudio.dfk.dfk.Param;
import io.rdustudio.dfk.dfk.Reference;
import io.rdustudio.dfk.dfk.ShapeParam;

/**
 * Infers a kernel's or fn's shape parameters at a call: a dimension written as a bare shape
 * parameter binds it to the argument's dimension; every other dimension is then evaluated and
 * compared. Mismatches name the parameter's and the argument's types.
 */
final class ShapeBinder {

    private final Problems problems;
    private final Types types;

    ShapeBinder(Problems problems, Types types) {
        this.problems = problems;
        this.types = types;
    }

    /**
     * @param argTypes  argument types in parameter order (null where the argument failed already)
     * @param argNodes  where each argument is written, for messages (which quote its text, {@code wq[l]})
     * @return the bindings, or null when the call does not fit the signature (reported)
     */
    ConstantEvaluator.Bindings bind(Callable callee, List<TensorType> argTypes, List<? extends EObject> argNodes,
            EObject call) {
        String calleeName = Signatures.kind(callee) + " " + Signatures.name(callee);
        List<Param> params = Signatures.params(callee);
        Map<ShapeParam, Long> bound = new HashMap<>();
        boolean ok = true;
        for (int i = 0; i < params.size() && i < argTypes.size(); i++) {
            TensorType arg = argTypes.get(i);
            Param param = params.get(i);
            if (arg == null || param.getType() == null) {
                ok = false;
                continue;
            }
            List<Expr> dims = param.getType().getDims();
            if (dims.size() != arg.shape().rank()) {
                problems.error("dfk.shape-mismatch", "argument " + Locations.text(argNodes.get(i)) + " of " + calleeName + " is " + arg
                        + " (rank " + arg.shape().rank() + ") but parameter " + param.getName() + " has rank "
                        + dims.size(), argNodes.get(i));
                ok = false;
                continue;
            }
            for (int axis = 0; axis < dims.size(); axis++) {
                if (dims.get(axis) instanceof Reference r && r.getRef() instanceof ShapeParam sp
                        && Signatures.shapeParams(callee).contains(sp)) {
                    bound.putIfAbsent(sp, arg.shape().dim(axis));
                }
            }
        }
        for (ShapeParam sp : Signatures.shapeParams(callee)) {
            if (!bound.containsKey(sp)) {
                if (ok) {
                    problems.error("dfk.unbound-shape-param", "cannot infer shape parameter " + sp.getName() + " of "
                            + calleeName + " from the arguments; use it alone as a dimension of some parameter", call);
                }
                return null;
            }
        }
        if (!ok) {
            return null;
        }
        ConstantEvaluator.Bindings bindings = new ConstantEvaluator.Bindings(bound);
        for (int i = 0; i < params.size(); i++) {
            Param param = params.get(i);
            TensorType expected = types.evaluate(param.getType(), bindings, "parameter " + param.getName());
            TensorType arg = argTypes.get(i);
            if (expected == null) {
                ok = false;
            } else if (!expected.equals(arg)) {
                problems.error("dfk.shape-mismatch", "argument " + Locations.text(argNodes.get(i)) + " of " + calleeName + " is " + arg
                        + " but parameter " + param.getName() + " expects " + expected + describe(bound), argNodes.get(i));
                ok = false;
            }
        }
        return ok ? bindings : null;
    }

    private static String describe(Map<ShapeParam, Long> bound) {
        if (bound.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (with ");
        bound.entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(ShapeParam::getName)))
                .forEach(e -> sb.append(e.getKey().getName()).append(" = ").append(e.getValue()).append(", "));
        sb.setLength(sb.length() - 2);
        return sb.append(')').toString();
    }

    /** A readable rendering of bindings for instance names: {@code T=4096, S=1}. */
    static String render(ConstantEvaluator.Bindings bindings) {
        StringBuilder sb = new StringBuilder();
        bindings.values().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(ShapeParam::getName)))
                .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey().getName()).append('=')
                        .append(e.getValue()));
        return sb.toString();
    }
}
