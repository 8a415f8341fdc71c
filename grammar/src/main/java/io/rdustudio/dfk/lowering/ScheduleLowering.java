package io.rdustudio.dfk.lowering;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;

import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelHints;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.OpAttributes;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.Orchestration;
import io.rdustudio.core.ir.ParamMode;
import io.rdustudio.core.ir.Role;
import io.rdustudio.core.ir.Schedule;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.Step;
import io.rdustudio.core.ir.TensorDecl;
import io.rdustudio.core.ir.TensorRef;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.core.ir.Value;
import io.rdustudio.dfk.dfk.Argument;
import io.rdustudio.dfk.dfk.Binary;
import io.rdustudio.dfk.dfk.Call;
import io.rdustudio.dfk.dfk.CallStep;
import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.DfkPackage;
import io.rdustudio.dfk.dfk.Expr;
import io.rdustudio.dfk.dfk.Function;
import io.rdustudio.dfk.dfk.Index;
import io.rdustudio.dfk.dfk.Loop;
import io.rdustudio.dfk.dfk.LoopVar;
import io.rdustudio.dfk.dfk.OrchestrationSetting;
import io.rdustudio.dfk.dfk.Reference;
import io.rdustudio.dfk.dfk.Setting;
import io.rdustudio.dfk.dfk.Target;
import io.rdustudio.dfk.dfk.TierLiteral;
import io.rdustudio.dfk.dfk.ValueSetting;

/**
 * Lowers a schedule to IR steps and checks its dataflow: every argument is a program tensor that
 * holds a value, every target is written once per iteration (the top level and each loop body are
 * iterations; state tensors are updated through state parameters, inputs and weights are
 * read-only), every output is produced, and nothing is declared without being used.
 */
final class ScheduleLowering {

    private final Problems problems;
    private final ConstantEvaluator evaluator;
    private final Types types;
    private final ShapeBinder binder;
    private final KernelInstances kernels;
    private final Map<io.rdustudio.dfk.dfk.TensorDecl, TensorDecl> tensors;

    /** Tensors that hold a value at this point of the walk. */
    private final Set<io.rdustudio.dfk.dfk.TensorDecl> defined = new HashSet<>();
    private final Set<io.rdustudio.dfk.dfk.TensorDecl> read = new HashSet<>();
    private final Map<LoopVar, long[]> loopRanges = new HashMap<>();
    private int copies;

    ScheduleLowering(Problems problems, ConstantEvaluator evaluator, Types types, ShapeBinder binder,
            KernelInstances kernels, Map<io.rdustudio.dfk.dfk.TensorDecl, TensorDecl> tensors) {
        this.problems = problems;
        this.evaluator = evaluator;
        this.types = types;
        this.binder = binder;
        this.kernels = kernels;
        this.tensors = tensors;
    }

    Schedule lower(io.rdustudio.dfk.dfk.Schedule schedule) {
        int sockets = 1;
        Orchestration orchestration = Orchestration.SOFTWARE;
        for (Setting setting : schedule.getSettings()) {
            if (setting instanceof OrchestrationSetting o) {
                orchestration = Orchestration.valueOf(o.getMode().getName().toUpperCase(java.util.Locale.ROOT));
            } else if (setting instanceof ValueSetting v) {
                if ("sockets".equals(v.getName())) {
                    Long n = evaluator.integer(v.getValue(), ConstantEvaluator.Bindings.NONE, "sockets");
                    if (n != null && (n < 1 || n > 1024)) {
                        problems.error("dfk.bad-setting", "sockets must be between 1 and 1024, not " + n, v);
                    } else if (n != null) {
                        sockets = n.intValue();
                    }
                } else {
                    problems.error("dfk.unknown-setting", "unknown schedule setting '" + v.getName()
                            + "'; a schedule takes sockets = N and orchestration = software | hardware", v);
                }
            }
        }
        for (Map.Entry<io.rdustudio.dfk.dfk.TensorDecl, TensorDecl> e : tensors.entrySet()) {
            if (e.getValue().role().definedOnEntry()) {
                defined.add(e.getKey());
            }
        }
        List<Step> steps = steps(schedule.getSteps());
        checkUsage();
        Schedule lowered = new Schedule(sockets, orchestration, steps, Locations.of(schedule));
        checkTensorParallelDegree(lowered, schedule);
        return lowered;
    }

    private void checkTensorParallelDegree(Schedule schedule, io.rdustudio.dfk.dfk.Schedule node) {
        for (Kernel k : kernels.instances().values()) {
            if (k.hints().tensorParallel() > schedule.sockets()) {
                problems.add(io.rdustudio.core.diag.Diagnostic.error("dfk.tp-exceeds-sockets", "kernel " + k.name()
                        + " is split over tp = " + k.hints().tensorParallel() + " sockets but the schedule runs on "
                        + schedule.sockets() + "; set `with sockets = " + k.hints().tensorParallel()
                        + "` on the schedule or lower tp", k.location()));
            }
        }
    }

    private List<Step> steps(List<io.rdustudio.dfk.dfk.Step> written) {
        Set<String> writtenThisIteration = new HashSet<>();
        List<Step> steps = new ArrayList<>();
        for (io.rdustudio.dfk.dfk.Step step : written) {
            Step lowered = null;
            if (step instanceof CallStep call) {
                lowered = call(call, writtenThisIteration);
            } else if (step instanceof Loop loop) {
                lowered = loop(loop);
            }
            if (lowered != null) {
                steps.add(lowered);
            }
        }
        return steps;
    }

    private Step loop(Loop loop) {
        Long from = evaluator.integer(loop.getFrom(), ConstantEvaluator.Bindings.NONE, "a loop bound");
        Long to = evaluator.integer(loop.getTo(), ConstantEvaluator.Bindings.NONE, "a loop bound");
        if (from == null || to == null || loop.getVariable() == null) {
            return null;
        }
        if (to <= from) {
            problems.warning("dfk.empty-loop", "loop " + from + ".." + to + " runs no iteration; " + loop.getVariable().getName()
                    + " goes from " + from + " up to " + to + " excluded", loop);
        }
        loopRanges.put(loop.getVariable(), new long[] { from, to - 1 });
        List<Step> body = steps(loop.getSteps());
        return new Step.Loop(loop.getVariable().getName(), from, to, body, Locations.of(loop));
    }

    private Step call(CallStep step, Set<String> writtenThisIteration) {
        Call call = step.getCall();
        if (call == null) {
            return null;
        }
        Callable callee = call.getCallee();
        if (callee instanceof Function f && !f.eIsProxy()) {
            problems.error("dfk.fn-in-schedule", "fn " + f.getName()
                    + " is inlined into kernels and cannot be launched; call it from a kernel and launch that", call);
            return null;
        }
        if (callee == null || callee.eIsProxy()) {
            String calleeName = Locations.text(call, DfkPackage.Literals.CALL__CALLEE);
            if ("copy".equals(calleeName)) {
                return copy(step, writtenThisIteration);
            }
            if (io.rdustudio.core.ir.OpKind.fromKeyword(calleeName).isPresent()) {
                problems.error("dfk.op-in-schedule", "operator " + calleeName
                        + " runs inside kernels; a schedule launches kernels (and copy between tiers)", call);
            }
            return null;
        }
        io.rdustudio.dfk.dfk.Kernel kernel = (io.rdustudio.dfk.dfk.Kernel) callee;
        List<io.rdustudio.dfk.dfk.Param> params = kernel.getParams();
        List<Arg> args = arguments(call);
        if (args == null) {
            return null;
        }
        if (args.size() != params.size()) {
            problems.error("dfk.argument-count", "kernel " + kernel.getName() + " takes " + params.size()
                    + " arguments but " + args.size() + " are given", call);
            return null;
        }
        if (step.getTargets().size() != kernel.getOutputs().size()) {
            problems.error("dfk.result-count", "kernel " + kernel.getName() + " produces " + kernel.getOutputs().size()
                    + " outputs but " + step.getTargets().size() + " targets are assigned", step);
            return null;
        }
        boolean ok = true;
        List<TensorRef> inputs = new ArrayList<>();
        List<TensorRef> stateRefs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            Arg arg = args.get(i);
            io.rdustudio.dfk.dfk.Param param = params.get(i);
            ok &= checkReadable(arg);
            if (param.isState()) {
                TensorDecl decl = tensors.get(arg.decl);
                if (decl != null && decl.role() != Role.STATE) {
                    problems.error("dfk.state-argument", "parameter " + param.getName() + " of " + kernel.getName()
                            + " is state (updated in place) but " + arg.text() + " is " + article(decl.role())
                            + "; pass a state tensor", arg.node);
                    ok = false;
                }
                ok &= markWritten(arg.decl, arg.ref, arg.node, writtenThisIteration, true);
                stateRefs.add(arg.ref);
            }
            inputs.add(arg.ref);
        }
        List<TensorType> argTypes = new ArrayList<>();
        for (Arg arg : args) {
            argTypes.add(arg.type);
        }
        ConstantEvaluator.Bindings bindings = argTypes.contains(null) ? null
                : binder.bind(kernel, argTypes, args.stream().map(a -> a.node).toList(), call);
        Kernel instance = bindings == null ? null : kernels.instantiate(kernel, bindings);
        List<TensorRef> outputs = new ArrayList<>(stateRefs);
        for (int i = 0; i < step.getTargets().size(); i++) {
            Target target = step.getTargets().get(i);
            Arg written = target(target);
            if (written == null) {
                ok = false;
                continue;
            }
            ok &= markWritten(written.decl, written.ref, target, writtenThisIteration, false);
            outputs.add(written.ref);
            if (bindings != null) {
                TensorType declared = types.evaluate(kernel.getOutputs().get(i).getType(), bindings,
                        "output " + kernel.getOutputs().get(i).getName());
                if (declared != null && written.type != null && !declared.equals(written.type)) {
                    problems.error("dfk.shape-mismatch", written.text() + " is " + written.type + " but output "
                            + kernel.getOutputs().get(i).getName() + " of " + kernel.getName() + " is " + declared, target);
                    ok = false;
                }
            }
        }
        if (!ok || instance == null) {
            return null;
        }
        return new Step.KernelCall(instance.instanceName(), inputs, outputs, Locations.of(step));
    }

    private static String article(Role role) {
        return role == Role.INPUT ? "an input" : role == Role.OUTPUT ? "an output" : "a " + role.keyword();
    }

    /** {@code dst = copy(src, to=hbm)}: a schedule-level copy, lowered to a one-operation kernel. */
    private Step copy(CallStep step, Set<String> writtenThisIteration) {
        Call call = step.getCall();
        Arg source = null;
        Tier tier = null;
        for (Argument a : call.getArgs()) {
            if (a.getName() == null && source == null) {
                source = tensorArgument(a.getValue());
                if (source == null) {
                    return null;
                }
            } else if ("to".equals(a.getName()) && a.getValue() instanceof TierLiteral t) {
                tier = Tier.fromKeyword(t.getTier().getLiteral()).orElseThrow();
            } else {
                problems.error("dfk.copy-arguments", "write a copy as dst = copy(src, to=hbm)", a);
                return null;
            }
        }
        if (source == null || tier == null || step.getTargets().size() != 1) {
            problems.error("dfk.copy-arguments", "write a copy as dst = copy(src, to=hbm): one source, one target, a tier",
                    call);
            return null;
        }
        Arg target = target(step.getTargets().get(0));
        boolean ok = checkReadable(source) && target != null
                && markWritten(target.decl, target.ref, step.getTargets().get(0), writtenThisIteration, false);
        if (!ok) {
            return null;
        }
        if (source.type != null && !source.type.equals(target.type)) {
            problems.error("dfk.shape-mismatch", "copy from " + source.text() + " (" + source.type + ") to " + target.text()
                    + " (" + target.type + "): a copy keeps the type", step);
            return null;
        }
        String name = "copy#" + (++copies) + "<" + target.text() + ">";
        SourceLocation where = Locations.of(step);
        Operation op = new Operation(OpKind.COPY, List.of("src"), List.of(new Value("dst", target.type)),
                new OpAttributes.Builder().name("to", tier.keyword()).build(), where);
        Kernel kernel = new Kernel(name, name,
                List.of(new KernelParam("src", ParamMode.IN, source.type, where),
                        new KernelParam("dst", ParamMode.OUT, target.type, where)),
                List.of(op), KernelHints.NONE, where);
        kernels.instances().put(name, kernel);
        return new Step.KernelCall(name, List.of(source.ref), List.of(target.ref), where);
    }

    /** A resolved argument or target: the declaration, the IR reference, its (indexed) type. */
    private record Arg(io.rdustudio.dfk.dfk.TensorDecl decl, TensorRef ref, TensorType type, EObject node) {

        /** How it is written ({@code wq[l]}), for messages: read from the text only when one is given. */
        String text() {
            return Locations.text(node);
        }
    }

    private List<Arg> arguments(Call call) {
        List<Arg> args = new ArrayList<>();
        boolean ok = true;
        for (Argument a : call.getArgs()) {
            if (a.getName() != null) {
                problems.error("dfk.kernel-attribute", "kernels take tensors by position; remove '" + a.getName() + "='", a);
                ok = false;
                continue;
            }
            Arg arg = tensorArgument(a.getValue());
            ok &= arg != null;
            args.add(arg);
        }
        return ok ? args : null;
    }

    private Arg tensorArgument(Expr expr) {
        Expr base = expr;
        List<Expr> indices = List.of();
        if (expr instanceof Index index) {
            base = index.getTarget();
            indices = index.getIndices();
            if (base instanceof Index) {
                problems.error("dfk.bad-argument", "write several indices in one bracket: w[l, 0]", expr);
                return null;
            }
        }
        if (!(base instanceof Reference reference)) {
            problems.error("dfk.bad-argument", "a kernel argument is a program tensor, optionally indexed (wq[l])", expr);
            return null;
        }
        EObject target = reference.getRef();
        if (target == null || target.eIsProxy()) {
            return null;
        }
        if (!(target instanceof io.rdustudio.dfk.dfk.TensorDecl decl)) {
            problems.error("dfk.bad-argument", "'" + text(base) + "' is not a tensor; kernels take program tensors", expr);
            return null;
        }
        return resolve(decl, indices, expr);
    }

    private Arg target(Target target) {
        io.rdustudio.dfk.dfk.TensorDecl decl = target.getTensor();
        if (decl == null || decl.eIsProxy()) {
            return null;
        }
        return resolve(decl, target.getIndices(), target);
    }

    private Arg resolve(io.rdustudio.dfk.dfk.TensorDecl decl, List<Expr> indexExprs, EObject node) {
        TensorDecl lowered = tensors.get(decl);
        if (lowered == null) {
            return null; // its declaration has an error, reported there
        }
        TensorType type = lowered.type();
        if (indexExprs.size() > type.shape().rank()) {
            problems.error("dfk.bad-index", decl.getName() + " has " + type.shape().rank() + " axes but "
                    + indexExprs.size() + " indices are given", node);
            return null;
        }
        List<TensorRef.Index> indices = new ArrayList<>();
        for (int axis = 0; axis < indexExprs.size(); axis++) {
            TensorRef.Index index = index(indexExprs.get(axis), type.shape().dim(axis), decl.getName(), axis);
            if (index == null) {
                return null;
            }
            indices.add(index);
        }
        for (int i = 0; i < indices.size(); i++) {
            type = type.withShape(type.shape().dropLeading());
        }
        return new Arg(decl, new TensorRef(decl.getName(), indices, Locations.of(node)), type, node);
    }

    /** An index {@code l}, {@code l + c}, {@code l - c} or a constant, checked against the axis size. */
    private TensorRef.Index index(Expr expr, long size, String tensor, int axis) {
        LoopVar variable = null;
        long offset;
        if (ConstantEvaluator.isConstant(expr)) {
            Long value = evaluator.integer(expr, ConstantEvaluator.Bindings.NONE, "an index");
            if (value == null) {
                return null;
            }
            offset = value;
        } else if (expr instanceof Reference r && r.getRef() instanceof LoopVar v) {
            variable = v;
            offset = 0;
        } else if (expr instanceof Binary b && (b.getOp().equals("+") || b.getOp().equals("-"))
                && b.getLeft() instanceof Reference r && r.getRef() instanceof LoopVar v
                && ConstantEvaluator.isConstant(b.getRight())) {
            Long value = evaluator.integer(b.getRight(), ConstantEvaluator.Bindings.NONE, "an index offset");
            if (value == null) {
                return null;
            }
            variable = v;
            offset = b.getOp().equals("+") ? value : -value;
        } else {
            problems.error("dfk.bad-index", "an index is a constant, a loop variable, or a loop variable plus or minus a constant",
                    expr);
            return null;
        }
        long low = offset;
        long high = offset;
        if (variable != null) {
            long[] range = loopRanges.get(variable);
            if (range == null) {
                return null;
            }
            low = range[0] + offset;
            high = range[1] + offset;
        }
        if (low < 0 || high >= size) {
            problems.error("dfk.index-out-of-range", "index " + text(expr) + (variable != null ? " reaches " + (low < 0 ? low : high) : "")
                    + " but axis " + axis + " of " + tensor + " has size " + size + " (valid: 0.." + (size - 1) + ")", expr);
            return null;
        }
        return new TensorRef.Index(variable == null ? null : variable.getName(), offset);
    }

    private boolean checkReadable(Arg arg) {
        read.add(arg.decl);
        if (!defined.contains(arg.decl)) {
            TensorDecl decl = tensors.get(arg.decl);
            problems.error("dfk.used-before-written", arg.text() + " is read before any step writes it"
                    + (decl != null && decl.role() == Role.OUTPUT ? "; outputs start empty" : "")
                    + "; produce it with an earlier kernel call", arg.node);
            return false;
        }
        return true;
    }

    private boolean markWritten(io.rdustudio.dfk.dfk.TensorDecl decl, TensorRef ref, EObject node,
            Set<String> writtenThisIteration, boolean viaState) {
        TensorDecl lowered = tensors.get(decl);
        if (lowered == null) {
            return false;
        }
        if (!viaState && lowered.role().readOnly()) {
            problems.error("dfk.write-read-only", decl.getName() + " is " + article(lowered.role())
                    + " and read-only; write the result to a local or output tensor", node);
            return false;
        }
        if (!viaState && lowered.role() == Role.STATE) {
            problems.error("dfk.write-state", "state " + decl.getName()
                    + " is updated in place by passing it to a kernel's state parameter, not assigned", node);
            return false;
        }
        String key = ref.tensor() + ref.indices();
        if (!viaState && !writtenThisIteration.add(key)) {
            problems.error("dfk.written-twice", ref.tensor() + (ref.indices().isEmpty() ? "" : ref.indices().toString())
                    + " is written twice in one iteration; write a new local tensor instead", node);
            return false;
        }
        defined.add(decl);
        return true;
    }

    private void checkUsage() {
        for (Map.Entry<io.rdustudio.dfk.dfk.TensorDecl, TensorDecl> e : new LinkedHashMap<>(tensors).entrySet()) {
            io.rdustudio.dfk.dfk.TensorDecl node = e.getKey();
            TensorDecl decl = e.getValue();
            if (decl.role() == Role.OUTPUT && !defined.contains(node)) {
                problems.error("dfk.output-not-produced", "output " + decl.name()
                        + " is never produced; assign it in the schedule: " + decl.name() + " = kernel(...)", node);
            } else if (decl.role() != Role.OUTPUT && !read.contains(node)) {
                problems.warning("dfk.unused", decl.role().keyword() + " " + decl.name()
                        + " is never used; pass it to a kernel or delete it", node);
            }
        }
    }

    private static String text(EObject node) {
        return Locations.text(node);
    }
}
