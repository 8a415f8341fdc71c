package io.rdustudio.dfk.lowering;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelHints;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.ParamMode;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ops.TensorParallelism;
import io.rdustudio.dfk.dfk.Hint;
import io.rdustudio.dfk.dfk.Param;

/**
 * Instantiates DFK kernels for concrete shape-parameter bindings, once per distinct binding. With a
 * tensor-parallel hint the instance is split Megatron-style ({@link TensorParallelism}).
 */
final class KernelInstances {

    private final Problems problems;
    private final ConstantEvaluator evaluator;
    private final Types types;
    private final ShapeBinder binder;
    private final Map<String, Kernel> byKey = new HashMap<>();
    private final Map<String, Kernel> instances = new LinkedHashMap<>();

    KernelInstances(Problems problems, ConstantEvaluator evaluator, Types types, ShapeBinder binder) {
        this.problems = problems;
        this.evaluator = evaluator;
        this.types = types;
        this.binder = binder;
    }

    /** Instances by instance name, in first-use order. */
    Map<String, Kernel> instances() {
        return instances;
    }

    /** The instance for these bindings, or null when the kernel has errors (reported). */
    Kernel instantiate(io.rdustudio.dfk.dfk.Kernel kernel, ConstantEvaluator.Bindings bindings) {
        String rendered = ShapeBinder.render(bindings);
        String instanceName = rendered.isEmpty() ? kernel.getName() : kernel.getName() + "<" + rendered + ">";
        String key = System.identityHashCode(kernel) + "/" + instanceName;
        if (byKey.containsKey(key)) {
            return byKey.get(key);
        }
        Kernel instance = build(kernel, bindings, instanceName);
        byKey.put(key, instance);
        if (instance != null) {
            instances.put(instanceName, instance);
        }
        return instance;
    }

    private Kernel build(io.rdustudio.dfk.dfk.Kernel kernel, ConstantEvaluator.Bindings bindings, String instanceName) {
        KernelHints hints = hints(kernel, bindings);
        BodyLowering body = new BodyLowering(problems, evaluator, types, binder);
        List<KernelParam> params = new ArrayList<>();
        Map<Param, String> paramNames = new HashMap<>();
        boolean ok = hints != null;
        for (Param p : kernel.getParams()) {
            ok &= addParam(p, p.isState() ? ParamMode.STATE : ParamMode.IN, bindings, params, body);
            paramNames.put(p, p.getName());
        }
        List<String> outputNames = new ArrayList<>();
        for (Param p : kernel.getOutputs()) {
            if (p.isState()) {
                problems.error("dfk.state-output", "outputs cannot be state; declare " + p.getName()
                        + " as a `state` parameter before the arrow instead", p);
                ok = false;
            }
            ok &= addParam(p, ParamMode.OUT, bindings, params, null);
            outputNames.add(p.getName());
        }
        List<String> produced = body.lowerBody(kernel, bindings, paramNames, outputNames, "");
        if (!ok || produced.contains(null)) {
            return null;
        }
        Kernel instance = new Kernel(kernel.getName(), instanceName, params, body.operations(), hints,
                Locations.of(kernel));
        if (hints.tensorParallel() > 1) {
            TensorParallelism.Result split = TensorParallelism.split(instance, hints.tensorParallel());
            for (Diagnostic d : split.diagnostics()) {
                problems.add(d);
            }
            return split.hasErrors() ? null : split.kernel();
        }
        return instance;
    }

    private boolean addParam(Param p, ParamMode mode, ConstantEvaluator.Bindings bindings, List<KernelParam> params,
            BodyLowering body) {
        TensorType type = types.evaluate(p.getType(), bindings, "parameter " + p.getName());
        if (type == null) {
            return false;
        }
        params.add(new KernelParam(p.getName(), mode, type, Locations.of(p)));
        if (body != null) {
            body.declare(p.getName(), type);
        }
        return true;
    }

    private KernelHints hints(io.rdustudio.dfk.dfk.Kernel kernel, ConstantEvaluator.Bindings bindings) {
        int tp = 1;
        OptionalInt pcus = OptionalInt.empty();
        OptionalLong tile = OptionalLong.empty();
        boolean ok = true;
        for (Hint hint : kernel.getHints()) {
            if (hint.getName() == null) {
                ok = false; // a hint the parser could not read: the syntax error says where
                continue;
            }
            Long value = evaluator.integer(hint.getValue(), bindings, "hint " + hint.getName());
            if (value == null) {
                ok = false;
                continue;
            }
            if (value < 1) {
                problems.error("dfk.bad-hint", "hint " + hint.getName() + " must be at least 1, not " + value, hint);
                ok = false;
                continue;
            }
            switch (hint.getName()) {
                case "tp" -> tp = (int) Math.min(value, Integer.MAX_VALUE);
                case "pcus" -> pcus = OptionalInt.of((int) Math.min(value, Integer.MAX_VALUE));
                case "tile" -> tile = OptionalLong.of(value);
                default -> {
                    problems.error("dfk.unknown-hint", "unknown hint '" + hint.getName()
                            + "'; kernels take tp (tensor-parallel degree), pcus (PCU budget) and tile (rows per tile)", hint);
                    ok = false;
                }
            }
        }
        return ok ? new KernelHints(tp, pcus, tile) : null;
    }
}
