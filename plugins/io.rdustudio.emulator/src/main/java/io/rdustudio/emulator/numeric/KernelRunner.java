package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one kernel instance on data.
 *
 * <p><b>Contract.</b> {@link #run} takes whole (unsplit) tensors for the kernel's IN and STATE
 * parameters, by name, and returns whole tensors for its OUT and STATE parameters; it never
 * modifies its arguments. Operations run in order; every result is a fresh tensor rounded to its
 * type. An operation result named like an OUT or STATE parameter writes that parameter; later
 * operations read the new value.
 *
 * <p><b>Tensor parallelism.</b> The IR holds one socket's kernel for a degree d above 1. Each
 * parameter's sharding is read off its types: a parameter whose per-socket type is smaller than
 * the whole tensor along one axis (by the factor d) is cut into d contiguous slices there, socket
 * s taking slice s; otherwise every socket gets the whole tensor. The d sockets then run in lock
 * step, one operation at a time, and the collectives are carried out for real across them:
 * {@code allreduce} sums the sockets' tensors in FP32 in socket order and rounds once,
 * {@code allgather} concatenates the shards along its axis. Results come back joined the same way
 * (a replicated result from socket 0). So a tensor-parallel run computes the unsplit kernel's
 * values, up to the different summation order of split reductions.
 */
public final class KernelRunner {

    private KernelRunner() {
    }

    /** Runs {@code kernel} with no dump, no cancellation and no non-finite report. */
    public static Map<String, Tensor> run(Kernel kernel, Map<String, Tensor> inputs) {
        return run(kernel, inputs, RunContext.quiet(), 0);
    }

    static Map<String, Tensor> run(Kernel kernel, Map<String, Tensor> inputs, RunContext context, long call) {
        int degree = Math.max(1, kernel.hints().tensorParallel());
        List<Map<String, Tensor>> sockets = new ArrayList<>();
        for (int s = 0; s < degree; s++) {
            sockets.add(new HashMap<>());
        }
        Map<String, Integer> splitAxes = new HashMap<>();
        for (KernelParam p : kernel.inputs()) {
            Tensor whole = inputs.get(p.name());
            if (whole == null) {
                throw new IllegalArgumentException("no tensor for parameter " + p.name() + " of " + kernel.instanceName());
            }
            int axis = splitAxis(whole.type(), p.type(), degree, kernel, p.name());
            splitAxes.put(p.name(), axis);
            for (int s = 0; s < degree; s++) {
                sockets.get(s).put(p.name(), axis < 0 ? whole : Shards.slice(whole, axis, s, degree));
            }
        }
        for (Operation op : kernel.operations()) {
            context.checkCancelled();
            if (op.kind() == OpKind.ALLREDUCE || op.kind() == OpKind.ALLGATHER) {
                collective(op, sockets, degree, kernel, context, call);
                continue;
            }
            for (int s = 0; s < degree; s++) {
                Map<String, Tensor> env = sockets.get(s);
                List<Tensor> operands = operands(op, env);
                List<TensorType> types = op.outputs().stream().map(Value::type).toList();
                List<Tensor> results = Operators.apply(op.kind(), operands, op.attributes(), types);
                record(op, operands, results, env, kernel, context, call, s);
            }
        }
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        for (KernelParam p : kernel.outputs()) {
            List<Tensor> shards = new ArrayList<>();
            for (Map<String, Tensor> env : sockets) {
                shards.add(env.get(p.name()));
            }
            Integer axis = splitAxes.get(p.name());
            if (axis == null || axis < 0) {
                axis = -1;
            }
            outputs.put(p.name(), axis < 0 ? shards.get(0) : Shards.join(shards, axis));
        }
        return outputs;
    }

    /** The axis a parameter is split on, or -1 when every socket holds it whole. */
    private static int splitAxis(TensorType whole, TensorType perSocket, int degree, Kernel kernel, String name) {
        if (whole.shape().equals(perSocket.shape())) {
            return -1;
        }
        if (whole.shape().rank() == perSocket.shape().rank()) {
            for (int a = 0; a < whole.shape().rank(); a++) {
                if (whole.shape().dim(a) != perSocket.shape().dim(a)
                        && whole.shape().dim(a) == perSocket.shape().dim(a) * degree) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException("parameter " + name + " of " + kernel.instanceName() + " is " + perSocket
                + " per socket, which is no 1/" + degree + " slice of the tensor passed, " + whole);
    }

    private static List<Tensor> operands(Operation op, Map<String, Tensor> env) {
        List<Tensor> operands = new ArrayList<>();
        for (String name : op.inputs()) {
            Tensor t = env.get(name);
            if (t == null) {
                throw new IllegalArgumentException(op.location() + ": " + op.kind().keyword() + " reads '" + name
                        + "', which has no value yet");
            }
            operands.add(t);
        }
        return operands;
    }

    private static void collective(Operation op, List<Map<String, Tensor>> sockets, int degree, Kernel kernel,
            RunContext context, long call) {
        List<Tensor> parts = new ArrayList<>();
        for (Map<String, Tensor> env : sockets) {
            parts.add(operands(op, env).get(0));
        }
        TensorType type = op.output().type();
        Tensor result;
        if (op.kind() == OpKind.ALLREDUCE) {
            result = Shards.sum(parts, type);
        } else {
            int rank = type.shape().rank();
            long axis = op.attributes().integer("axis").orElse(-1L);
            result = degree == 1 ? Operators.apply(OpKind.COPY, parts, op.attributes(), List.of(type)).get(0)
                    : Shards.join(parts, (int) (axis < 0 ? axis + rank : axis));
        }
        for (int s = 0; s < degree; s++) {
            record(op, List.of(parts.get(s)), List.of(result), sockets.get(s), kernel, context, call, s);
        }
    }

    private static void record(Operation op, List<Tensor> operands, List<Tensor> results, Map<String, Tensor> env,
            Kernel kernel, RunContext context, long call, int socket) {
        for (int i = 0; i < results.size(); i++) {
            Value v = op.outputs().get(i);
            Tensor t = results.get(i);
            env.put(v.name(), t);
            if (!context.sawNonFinite()) {
                checkFinite(op, v, t, operands, kernel, context, call);
            }
            if (context.dumping()) {
                context.dump(new Intermediate(kernel.instanceName(), call, socket, v.name(), t, op.location()));
            }
        }
    }

    private static void checkFinite(Operation op, Value v, Tensor t, List<Tensor> operands, Kernel kernel,
            RunContext context, long call) {
        if (t.isIntegral()) {
            return;
        }
        int nan = -1;
        int inf = -1;
        for (int i = 0; i < t.size() && (nan < 0 || inf < 0); i++) {
            float f = t.getFloat(i);
            if (Float.isNaN(f) && nan < 0) {
                nan = i;
            } else if (Float.isInfinite(f) && inf < 0) {
                inf = i;
            }
        }
        boolean operandNaN = false;
        boolean operandInf = false;
        for (Tensor in : operands) {
            for (int i = 0; !in.isIntegral() && i < in.size(); i++) {
                float f = in.getFloat(i);
                operandNaN |= Float.isNaN(f);
                operandInf |= Float.isInfinite(f);
            }
        }
        if (nan >= 0 && !operandNaN) {
            context.nonFinite(new NonFinite(kernel.instanceName(), call, op.kind().keyword(), v.name(), "NaN", nan,
                    op.location()));
        } else if (inf >= 0 && !operandInf && !Operators.infinityByDesign(op.kind())) {
            context.nonFinite(new NonFinite(kernel.instanceName(), call, op.kind().keyword(), v.name(), "infinity", inf,
                    op.location()));
        }
    }
}
