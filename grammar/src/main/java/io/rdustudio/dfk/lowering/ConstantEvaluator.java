package io.rdustudio.dfk.lowering;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;

import io.rdustudio.dfk.dfk.Binary;
import io.rdustudio.dfk.dfk.Constant;
import io.rdustudio.dfk.dfk.Expr;
import io.rdustudio.dfk.dfk.FloatLiteral;
import io.rdustudio.dfk.dfk.IntLiteral;
import io.rdustudio.dfk.dfk.LoopVar;
import io.rdustudio.dfk.dfk.Negation;
import io.rdustudio.dfk.dfk.Reference;
import io.rdustudio.dfk.dfk.ShapeParam;

/**
 * Evaluates compile-time expressions: integer arithmetic on constants and shape parameters, with
 * exact arithmetic (overflow and inexact division are errors), and decimals where a number is
 * wanted ({@code eps=1e-5}). Every failure is reported once and yields {@code null}.
 */
final class ConstantEvaluator {

    /** Shape-parameter bindings of the kernel or fn being instantiated. */
    record Bindings(Map<ShapeParam, Long> values) {
        static final Bindings NONE = new Bindings(Map.of());
    }

    private final Problems problems;
    private final Map<String, Number> overrides;
    private final Map<Constant, Number> constants = new HashMap<>();
    private final Set<Constant> inProgress = new HashSet<>();

    ConstantEvaluator(Problems problems) {
        this(problems, Map.of());
    }

    /** @param overrides values that replace the {@code let}s of these names wherever they are declared */
    ConstantEvaluator(Problems problems, Map<String, ? extends Number> overrides) {
        this.problems = problems;
        this.overrides = Map.copyOf(overrides);
    }

    /** The value of a {@code let}, or null when it cannot be evaluated (already reported). */
    Number constant(Constant constant) {
        if (constants.containsKey(constant)) {
            return constants.get(constant);
        }
        // a let whose name did not parse has none (the syntax error says where); Map.copyOf refuses null keys
        if (constant.getName() != null && overrides.containsKey(constant.getName())) {
            return overrides.get(constant.getName());
        }
        if (!inProgress.add(constant)) {
            problems.error("dfk.constant-cycle", "constant " + constant.getName()
                    + " is defined in terms of itself; give it a value that does not depend on it", constant);
            return null;
        }
        Number value = constant.getValue() == null ? null : evaluate(constant.getValue(), Bindings.NONE);
        inProgress.remove(constant);
        constants.put(constant, value);
        return value;
    }

    /** An integer, or null (reported) when the expression is not a whole number. */
    Long integer(Expr expr, Bindings bindings, String what) {
        Number n = evaluate(expr, bindings);
        if (n == null) {
            return null;
        }
        if (n instanceof Double) {
            problems.error("dfk.not-integer", what + " must be a whole number, not " + n, expr);
            return null;
        }
        return n.longValue();
    }

    /** Whether an expression mentions nothing but literals, constants and shape parameters. */
    static boolean isConstant(Expr expr) {
        if (expr instanceof IntLiteral || expr instanceof FloatLiteral) {
            return true;
        }
        if (expr instanceof Reference r) {
            EObject target = r.getRef();
            return target instanceof Constant || target instanceof ShapeParam;
        }
        if (expr instanceof Negation n) {
            return isConstant(n.getOperand());
        }
        if (expr instanceof Binary b) {
            return isConstant(b.getLeft()) && isConstant(b.getRight());
        }
        return false;
    }

    Number evaluate(Expr expr, Bindings bindings) {
        if (expr == null) {
            return null;
        }
        if (expr instanceof IntLiteral literal) {
            return parseInteger(literal);
        }
        if (expr instanceof FloatLiteral literal) {
            return parseDecimal(literal);
        }
        if (expr instanceof Negation negation) {
            Number n = evaluate(negation.getOperand(), bindings);
            if (n instanceof Long l) {
                return exact(() -> Math.negateExact(l), expr);
            }
            return n == null ? null : -n.doubleValue();
        }
        if (expr instanceof Reference reference) {
            return reference(reference, bindings);
        }
        if (expr instanceof Binary binary) {
            return binary(binary, bindings);
        }
        problems.error("dfk.not-constant", "expected a number or an integer expression of constants here", expr);
        return null;
    }

    private Number reference(Reference reference, Bindings bindings) {
        EObject target = reference.getRef();
        if (target == null || target.eIsProxy()) {
            return null; // the linker has reported it
        }
        if (target instanceof Constant c) {
            return constant(c);
        }
        if (target instanceof ShapeParam p) {
            Long bound = bindings.values().get(p);
            if (bound == null) {
                problems.error("dfk.unbound-shape-param", "shape parameter " + p.getName()
                        + " has no value here; it is inferred from the call's argument shapes", reference);
            }
            return bound;
        }
        if (target instanceof LoopVar v) {
            problems.error("dfk.loop-var-in-shape", "loop variable " + v.getName()
                    + " cannot be used here: shapes and constants must not depend on the loop; index tensors with it instead (w["
                    + v.getName() + "])", reference);
            return null;
        }
        problems.error("dfk.not-constant", "'" + Locations.text(reference, io.rdustudio.dfk.dfk.DfkPackage.Literals.REFERENCE__REF)
                + "' is a tensor, but a number is expected here", reference);
        return null;
    }

    private Number binary(Binary binary, Bindings bindings) {
        Number left = evaluate(binary.getLeft(), bindings);
        Number right = evaluate(binary.getRight(), bindings);
        if (left == null || right == null) {
            return null;
        }
        String op = binary.getOp();
        if (left instanceof Long a && right instanceof Long b) {
            switch (op) {
                case "+":
                    return exact(() -> Math.addExact(a, b), binary);
                case "-":
                    return exact(() -> Math.subtractExact(a, b), binary);
                case "*":
                    return exact(() -> Math.multiplyExact(a, b), binary);
                case "/":
                case "%":
                    if (b == 0) {
                        problems.error("dfk.division-by-zero", "division by zero", binary);
                        return null;
                    }
                    if (op.equals("%")) {
                        return a % b;
                    }
                    if (a % b != 0) {
                        problems.error("dfk.inexact-division", a + " / " + b + " is not exact (remainder " + (a % b)
                                + "); shapes need whole numbers: pick values that divide, or round explicitly with (a - a % b) / b",
                                binary);
                        return null;
                    }
                    return a / b;
                default:
                    return null;
            }
        }
        double a = left.doubleValue();
        double b = right.doubleValue();
        switch (op) {
            case "+":
                return a + b;
            case "-":
                return a - b;
            case "*":
                return a * b;
            case "/":
                return a / b;
            default:
                return a % b;
        }
    }

    private Long exact(java.util.function.LongSupplier op, EObject where) {
        try {
            return op.getAsLong();
        } catch (ArithmeticException e) {
            problems.error("dfk.overflow", "integer overflow: the value does not fit in 64 bits", where);
            return null;
        }
    }

    private Long parseInteger(IntLiteral literal) {
        String text = literal.getValue().replace("_", "");
        BigInteger value = new BigInteger(text);
        if (value.bitLength() > 63) {
            problems.error("dfk.overflow", "number " + literal.getValue() + " does not fit in 64 bits", literal);
            return null;
        }
        return value.longValue();
    }

    private Double parseDecimal(FloatLiteral literal) {
        double value = Double.parseDouble(literal.getValue());
        if (Double.isInfinite(value)) {
            problems.error("dfk.overflow", "number " + literal.getValue() + " is too large", literal);
            return null;
        }
        return value;
    }
}
