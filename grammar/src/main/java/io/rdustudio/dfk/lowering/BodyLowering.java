package io.rdustudio.dfk.lowering;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;

import io.rdustudio.core.ir.OpAttributes;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Value;
import io.rdustudio.core.ops.ShapeInference;
import io.rdustudio.dfk.dfk.Argument;
import io.rdustudio.dfk.dfk.Binary;
import io.rdustudio.dfk.dfk.Call;
import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.DTypeLiteral;
import io.rdustudio.dfk.dfk.DfkPackage;
import io.rdustudio.dfk.dfk.Expr;
import io.rdustudio.dfk.dfk.Function;
import io.rdustudio.dfk.dfk.Index;
import io.rdustudio.dfk.dfk.Kernel;
import io.rdustudio.dfk.dfk.ListLiteral;
import io.rdustudio.dfk.dfk.Negation;
import io.rdustudio.dfk.dfk.Param;
import io.rdustudio.dfk.dfk.Reference;
import io.rdustudio.dfk.dfk.Statement;
import io.rdustudio.dfk.dfk.TierLiteral;
import io.rdustudio.dfk.dfk.ValueDef;

/**
 * Lowers one kernel body, inlining the fns it calls, into a list of operations with inferred
 * types. Values are single-assignment: each name is defined once; assigning to an output or state
 * parameter writes it. Operations whose operands already failed are skipped silently so that one
 * mistake gives one diagnostic.
 */
final class BodyLowering {

    private static final int MAX_INLINE_DEPTH = 64;

    private final Problems problems;
    private final ConstantEvaluator evaluator;
    private final Types types;
    private final ShapeBinder binder;

    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, TensorType> valueTypes = new LinkedHashMap<>();
    private final Deque<Function> inlining = new ArrayDeque<>();
    private final Set<String> writeTargets = new HashSet<>();
    private final Map<Call, Callee> callees = new IdentityHashMap<>();
    private int temporaries;
    private int inlineCount;

    BodyLowering(Problems problems, ConstantEvaluator evaluator, Types types, ShapeBinder binder) {
        this.problems = problems;
        this.evaluator = evaluator;
        this.types = types;
        this.binder = binder;
    }

    List<Operation> operations() {
        return operations;
    }

    /** Declares a kernel parameter as an available value. */
    void declare(String name, TensorType type) {
        valueTypes.put(name, type);
    }

    /**
     * Lowers the body of a kernel or an inlined fn.
     *
     * @param paramNames  IR value of each parameter (null where the argument failed)
     * @param outputNames IR name each output must be written under
     * @param prefix      prefix for the names of the body's own values ("" in a kernel)
     * @return the IR value written for each output, null where it was not produced
     */
    List<String> lowerBody(Callable callable, ConstantEvaluator.Bindings bindings, Map<Param, String> paramNames,
            List<String> outputNames, String prefix) {
        Map<EObject, String> scope = new HashMap<>(paramNames);
        Map<String, Param> outputsByName = new HashMap<>();
        List<Param> outputs = Signatures.outputs(callable);
        for (Param p : outputs) {
            outputsByName.put(p.getName(), p);
        }
        Map<String, Param> paramsByName = new HashMap<>();
        for (Param p : Signatures.params(callable)) {
            paramsByName.put(p.getName(), p);
        }
        Map<Param, String> written = new HashMap<>();
        Set<String> defined = new HashSet<>();
        for (Statement statement : Signatures.body(callable)) {
            List<String> targets = new ArrayList<>();
            boolean targetsOk = true;
            for (ValueDef def : statement.getDefs()) {
                String name = def.getName();
                Param out = outputsByName.get(name);
                Param param = paramsByName.get(name);
                if (out != null) {
                    if (written.containsKey(out)) {
                        problems.error("dfk.written-twice", "output " + name + " is already written; each output is written once",
                                def);
                        targetsOk = false;
                    }
                    targets.add(outputNames.get(outputs.indexOf(out)));
                    writeTargets.add(targets.get(targets.size() - 1));
                } else if (param != null) {
                    if (!param.isState() || callable instanceof Function) {
                        problems.error("dfk.write-input", "parameter " + name + " is an input and cannot be assigned;"
                                + " give the new value another name" + (callable instanceof Kernel
                                        ? ", or declare the parameter `state` to update it in place" : ""), def);
                        targetsOk = false;
                    } else if (written.containsKey(param)) {
                        problems.error("dfk.written-twice", "state " + name + " is already updated in this kernel;"
                                + " update it once", def);
                        targetsOk = false;
                    }
                    targets.add(name);
                    writeTargets.add(name);
                } else {
                    if (!defined.add(name)) {
                        problems.error("dfk.written-twice", "value " + name + " is already defined in this "
                                + Signatures.kind(callable) + "; values are assigned once, give this one another name", def);
                        targetsOk = false;
                    }
                    targets.add(prefix + name);
                }
            }
            List<String> results = targetsOk ? lowerStatementValue(statement, targets, bindings, scope) : null;
            for (int i = 0; i < statement.getDefs().size(); i++) {
                ValueDef def = statement.getDefs().get(i);
                String result = results == null ? null : results.get(i);
                if (result != null) {
                    scope.put(def, result);
                }
                Param out = outputsByName.get(def.getName());
                Param param = paramsByName.get(def.getName());
                Param target = out != null ? out : param;
                if (target != null) {
                    written.put(target, result);
                    if (result != null) {
                        checkDeclaredType(target, result, bindings, def);
                    }
                }
            }
        }
        List<String> produced = new ArrayList<>();
        for (Param out : outputs) {
            if (!written.containsKey(out)) {
                problems.error("dfk.output-not-written", "output " + out.getName() + " of " + Signatures.kind(callable) + " "
                        + Signatures.name(callable) + " is never written; assign it: " + out.getName() + " = ...", out);
            }
            produced.add(written.get(out));
        }
        return produced;
    }

    private void checkDeclaredType(Param target, String result, ConstantEvaluator.Bindings bindings, EObject where) {
        TensorType declared = types.evaluate(target.getType(), bindings, "parameter " + target.getName());
        TensorType actual = valueTypes.get(result);
        if (declared != null && actual != null && !declared.equals(actual)) {
            problems.error("dfk.shape-mismatch", target.getName() + " is declared " + declared
                    + " but the value assigned is " + actual, where);
        }
    }

    private List<String> lowerStatementValue(Statement statement, List<String> targets,
            ConstantEvaluator.Bindings bindings, Map<EObject, String> scope) {
        Expr value = statement.getValue();
        int results = resultCount(value);
        if (results != targets.size()) {
            String what = value instanceof Call c ? "'" + calleeText(c) + "' gives " : "this expression gives ";
            problems.error("dfk.result-count", what + results + (results == 1 ? " value" : " values") + " but "
                    + targets.size() + " " + (targets.size() == 1 ? "name is" : "names are") + " assigned", statement);
            return null;
        }
        if (results > 1) {
            return lowerCall((Call) value, targets, bindings, scope);
        }
        List<String> single = new ArrayList<>();
        single.add(lowerExpr(value, targets.get(0), bindings, scope));
        return single;
    }

    private int resultCount(Expr value) {
        if (value instanceof Call call) {
            Callee callee = callee(call);
            if (callee.target() instanceof Function f) {
                return f.getOutputs().size();
            }
            return OpKind.fromKeyword(callee.name()).map(OpKind::outputs).orElse(1);
        }
        return 1;
    }

    /** Lowers an expression; returns the IR value holding it or null when it failed (reported). */
    private String lowerExpr(Expr expr, String resultName, ConstantEvaluator.Bindings bindings,
            Map<EObject, String> scope) {
        if (expr == null) {
            return null;
        }
        if (ConstantEvaluator.isConstant(expr)) {
            Number n = evaluator.evaluate(expr, bindings);
            if (n == null) {
                return null;
            }
            OpAttributes attrs = new OpAttributes.Builder().number("value", n.doubleValue()).build();
            return emit(OpKind.CONST, List.of(), attrs, expr, single(resultName)).get(0);
        }
        if (expr instanceof Reference reference) {
            EObject target = reference.getRef();
            if (target == null || target.eIsProxy()) {
                return null;
            }
            String name = scope.get(target);
            if (name == null) {
                if (!(target instanceof ValueDef) && !(target instanceof Param)) {
                    problems.error("dfk.not-a-value", "'" + Locations.text(reference, DfkPackage.Literals.REFERENCE__REF)
                            + "' is not a value of this " + "body; kernels see only their parameters and earlier values", reference);
                }
                return null;
            }
            if (resultName == null || resultName.equals(name) || !isWriteTarget(resultName)) {
                return name;
            }
            // writing an output from an existing value: an on-chip copy into the output's buffer
            OpAttributes attrs = new OpAttributes.Builder().name("to", "sram").build();
            return emit(OpKind.COPY, List.of(name), attrs, expr, single(resultName)).get(0);
        }
        if (expr instanceof Negation negation) {
            String operand = lowerExpr(negation.getOperand(), null, bindings, scope);
            return operand == null ? null : emit(OpKind.NEG, List.of(operand), OpAttributes.NONE, expr, single(resultName)).get(0);
        }
        if (expr instanceof Binary binary) {
            OpKind kind = switch (binary.getOp()) {
                case "+" -> OpKind.ADD;
                case "-" -> OpKind.SUB;
                case "*" -> OpKind.MUL;
                case "/" -> OpKind.DIV;
                default -> null;
            };
            if (kind == null) {
                problems.error("dfk.unsupported", "'%' works on integers in shapes, not on tensors", binary);
                return null;
            }
            String left = lowerExpr(binary.getLeft(), null, bindings, scope);
            String right = lowerExpr(binary.getRight(), null, bindings, scope);
            if (left == null || right == null) {
                return null;
            }
            return emit(kind, List.of(left, right), OpAttributes.NONE, expr, single(resultName)).get(0);
        }
        if (expr instanceof Call call) {
            List<String> results = lowerCall(call, single(resultName), bindings, scope);
            return results == null ? null : results.get(0);
        }
        if (expr instanceof Index) {
            problems.error("dfk.unsupported", "indexing selects layers of program tensors in a schedule;"
                    + " inside a kernel use slice(x, axis=0, start=i, end=i + 1)", expr);
        } else if (expr instanceof ListLiteral) {
            problems.error("dfk.unsupported", "a list is an attribute value (perm=[0, 2, 1]); it is not a tensor", expr);
        } else if (expr instanceof TierLiteral || expr instanceof DTypeLiteral) {
            problems.error("dfk.unsupported", "a tier or dtype name is an attribute value (to=hbm, to=fp32)", expr);
        }
        return null;
    }

    private boolean isWriteTarget(String name) {
        return writeTargets.contains(name);
    }

    private static List<String> single(String name) {
        List<String> list = new ArrayList<>();
        list.add(name);
        return list;
    }

    /** What a call names: the fn or kernel it resolved to (null for an operator or an unknown name), and the name. */
    private record Callee(Callable target, String name) {
    }

    /**
     * The callee of a call, looked up once per call however often the body is lowered (an operator's
     * name is a link that never resolves, and each attempt would ask the resource again).
     */
    private Callee callee(Call call) {
        return callees.computeIfAbsent(call, c -> {
            Callable callee = c.getCallee();
            return callee != null && !callee.eIsProxy() ? new Callee(callee, Signatures.name(callee))
                    : new Callee(null, Locations.text(c, DfkPackage.Literals.CALL__CALLEE));
        });
    }

    private String calleeText(Call call) {
        return callee(call).name();
    }

    private List<String> lowerCall(Call call, List<String> resultNames, ConstantEvaluator.Bindings bindings,
            Map<EObject, String> scope) {
        Callable callee = callee(call).target();
        if (callee instanceof Function function) {
            return inline(function, call, resultNames, bindings, scope);
        }
        if (callee instanceof Kernel kernel) {
            problems.error("dfk.kernel-in-kernel", "kernel " + kernel.getName()
                    + " is a launch of its own and cannot be called inside a kernel; declare it as a fn to inline it", call);
            return null;
        }
        String name = calleeText(call);
        OpKind kind = OpKind.fromKeyword(name).orElse(null);
        if (kind == null) {
            return null; // unresolved name: the linker has reported it
        }
        List<String> inputs = new ArrayList<>();
        OpAttributes.Builder attrs = new OpAttributes.Builder();
        Set<String> attrNames = new HashSet<>();
        boolean ok = true;
        for (Argument arg : call.getArgs()) {
            if (arg.getName() == null) {
                String input = lowerExpr(arg.getValue(), null, bindings, scope);
                ok &= input != null;
                inputs.add(input);
            } else if (!attrNames.add(arg.getName())) {
                problems.error("dfk.duplicate-attribute", "attribute " + arg.getName() + " is given twice", arg);
                ok = false;
            } else {
                ok &= attribute(arg, attrs, bindings);
            }
        }
        if (!ok) {
            return null;
        }
        return emit(kind, inputs, attrs.build(), call, resultNames);
    }

    private boolean attribute(Argument arg, OpAttributes.Builder attrs, ConstantEvaluator.Bindings bindings) {
        Expr value = arg.getValue();
        if (value instanceof TierLiteral tier) {
            attrs.name(arg.getName(), tier.getTier().getLiteral());
            return true;
        }
        if (value instanceof DTypeLiteral dtype) {
            attrs.name(arg.getName(), dtype.getDtype().getLiteral());
            return true;
        }
        if (value instanceof ListLiteral list) {
            List<Long> values = new ArrayList<>();
            for (Expr element : list.getElements()) {
                Long v = evaluator.integer(element, bindings, "an element of " + arg.getName());
                if (v == null) {
                    return false;
                }
                values.add(v);
            }
            attrs.integers(arg.getName(), values);
            return true;
        }
        if (!ConstantEvaluator.isConstant(value)) {
            problems.error("dfk.attribute-not-constant", "attribute " + arg.getName()
                    + " must be a number, a list of numbers, a dtype or a tier known before the kernel runs", value);
            return false;
        }
        Number n = evaluator.evaluate(value, bindings);
        if (n == null) {
            return false;
        }
        if (n instanceof Long l) {
            attrs.integer(arg.getName(), l);
        } else {
            attrs.number(arg.getName(), n.doubleValue());
        }
        return true;
    }

    private List<String> inline(Function function, Call call, List<String> resultNames,
            ConstantEvaluator.Bindings bindings, Map<EObject, String> scope) {
        if (inlining.contains(function) || inlining.size() >= MAX_INLINE_DEPTH) {
            problems.error("dfk.recursive-fn", "fn " + function.getName()
                    + " calls itself (directly or through other fns); fns are inlined, so recursion is not supported", call);
            return null;
        }
        List<Param> params = function.getParams();
        List<String> args = new ArrayList<>();
        List<TensorType> argTypes = new ArrayList<>();
        List<Expr> argNodes = new ArrayList<>();
        for (Argument arg : call.getArgs()) {
            if (arg.getName() != null) {
                problems.error("dfk.fn-attribute", "fn " + function.getName() + " takes tensors by position; remove '"
                        + arg.getName() + "='", arg);
                return null;
            }
            String value = lowerExpr(arg.getValue(), null, bindings, scope);
            args.add(value);
            argTypes.add(value == null ? null : valueTypes.get(value));
            argNodes.add(arg.getValue());
        }
        if (args.size() != params.size()) {
            problems.error("dfk.argument-count", "fn " + function.getName() + " takes " + params.size()
                    + " arguments but " + args.size() + " are given", call);
            return null;
        }
        if (args.contains(null)) {
            return null;
        }
        ConstantEvaluator.Bindings inner = binder.bind(function, argTypes, argNodes, call);
        if (inner == null) {
            return null;
        }
        String prefix = function.getName() + "#" + (++inlineCount) + ".";
        Map<Param, String> paramNames = new HashMap<>();
        for (int i = 0; i < params.size(); i++) {
            paramNames.put(params.get(i), args.get(i));
        }
        List<String> outputNames = new ArrayList<>();
        for (int i = 0; i < function.getOutputs().size(); i++) {
            String requested = i < resultNames.size() ? resultNames.get(i) : null;
            outputNames.add(requested != null ? requested : prefix + function.getOutputs().get(i).getName());
        }
        inlining.push(function);
        List<String> produced;
        try {
            produced = lowerBody(function, inner, paramNames, outputNames, prefix);
        } finally {
            inlining.pop();
        }
        return produced.contains(null) ? null : produced;
    }

    /** Appends one operation after inferring its result types; null results when inference fails. */
    private List<String> emit(OpKind kind, List<String> inputs, OpAttributes attrs, EObject where,
            List<String> resultNames) {
        List<TensorType> inputTypes = new ArrayList<>();
        for (String input : inputs) {
            inputTypes.add(valueTypes.get(input));
        }
        ShapeInference.Inference inference = ShapeInference.infer(kind, inputTypes, attrs);
        List<String> names = new ArrayList<>();
        if (!inference.ok()) {
            problems.error("dfk.shape-mismatch", inference.error(), where);
            for (int i = 0; i < kind.outputs(); i++) {
                names.add(null);
            }
            return names;
        }
        List<Value> outputs = new ArrayList<>();
        for (int i = 0; i < inference.outputs().size(); i++) {
            String requested = i < resultNames.size() ? resultNames.get(i) : null;
            String name = requested != null ? requested : "%" + (++temporaries);
            names.add(name);
            valueTypes.put(name, inference.outputs().get(i));
            outputs.add(new Value(name, inference.outputs().get(i)));
        }
        operations.add(new Operation(kind, inputs, outputs, attrs, Locations.of(where)));
        return names;
    }
}
