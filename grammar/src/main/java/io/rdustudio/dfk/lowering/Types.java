package io.rdustudio.dfk.lowering;

import java.util.ArrayList;
import java.util.List;

import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.Shape;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.dfk.dfk.Expr;
import io.rdustudio.dfk.dfk.TypeRef;

/** Evaluates written types such as {@code bf16[B, S, D / H]} into concrete tensor types. */
final class Types {

    private final Problems problems;
    private final ConstantEvaluator evaluator;

    Types(Problems problems, ConstantEvaluator evaluator) {
        this.problems = problems;
        this.evaluator = evaluator;
    }

    static DType dtype(io.rdustudio.dfk.dfk.DType written) {
        return DType.fromKeyword(written.getLiteral()).orElseThrow();
    }

    /** The concrete type, or null when a dimension is invalid (reported at the dimension). */
    TensorType evaluate(TypeRef ref, ConstantEvaluator.Bindings bindings, String owner) {
        if (ref == null) {
            return null;
        }
        List<Long> dims = new ArrayList<>();
        boolean ok = true;
        for (Expr dimExpr : ref.getDims()) {
            Long dim = evaluator.integer(dimExpr, bindings, "a dimension");
            if (dim == null) {
                ok = false;
            } else if (dim <= 0) {
                problems.error("dfk.bad-dimension", "dimension " + dim + " of " + owner
                        + " must be positive; every axis has at least one element", dimExpr);
                ok = false;
            } else {
                dims.add(dim);
            }
        }
        if (!ok) {
            return null;
        }
        TensorType type = new TensorType(dtype(ref.getDtype()), new Shape(dims));
        try {
            type.bytes();
        } catch (ArithmeticException e) {
            problems.error("dfk.shape-too-large", owner + " of type " + type
                    + " has more bytes than fit in 64 bits; check the dimensions", ref);
            return null;
        }
        return type;
    }
}
