package io.rdustudio.core.ops;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelHints;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.OpAttributes;
import io.rdustudio.core.ir.OpCategory;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.ParamMode;
import io.rdustudio.core.ir.Shape;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * One run of the tensor-parallelism pass over one kernel; the rules are documented on
 * {@link TensorParallelism}. The pass walks the operations in order, keeping for every value of the
 * original kernel its current form in the new kernel (name, whole-tensor type, sharding), emits
 * each operation with the collectives its inputs need in front of it, and at the end re-infers
 * every type per socket.
 */
final class KernelSplitter {

    private final Kernel kernel;
    private final int degree;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    /** Current form of every value of the original kernel, by its original name. */
    private final Map<String, Entry> values = new HashMap<>();
    private final Map<String, Sharding> paramShardings = new LinkedHashMap<>();
    /** IN and STATE parameters not used yet: their sharding is decided at their first use. */
    private final Set<String> undecided = new HashSet<>();
    /** OUT and STATE parameters: an operation result of the same name writes them. */
    private final Set<String> written = new HashSet<>();
    private final Set<String> usedNames = new HashSet<>();
    private final List<Draft> drafts = new ArrayList<>();

    /** A value as the new kernel holds it: its name there, its whole-tensor type and its sharding. */
    private record Form(String name, TensorType whole, Sharding sharding) {
    }

    /** The forms of one original value: as produced, and gathered once a consumer needed it whole. */
    private static final class Entry {
        final Form main;
        /** Index of the draft producing {@code main}, -1 for a parameter. */
        final int producedAt;
        Form gathered;
        int gatheredAt;

        Entry(Form main, int producedAt) {
            this.main = main;
            this.producedAt = producedAt;
        }
    }

    /** An operation of the new kernel before its per-socket types are inferred. */
    private record Draft(OpKind kind, List<String> inputs, List<String> outputs, List<TensorType> expected,
            OpAttributes attributes, SourceLocation location) {

        Draft renamedOutputs(String from, String to) {
            return new Draft(kind, inputs, replace(outputs, from, to), expected, attributes, location);
        }

        Draft renamedInputs(String from, String to) {
            return new Draft(kind, replace(inputs, from, to), outputs, expected, attributes, location);
        }

        private static List<String> replace(List<String> names, String from, String to) {
            List<String> result = new ArrayList<>(names);
            result.replaceAll(n -> n.equals(from) ? to : n);
            return result;
        }
    }

    KernelSplitter(Kernel kernel, int degree) {
        this.kernel = kernel;
        this.degree = degree;
        for (KernelParam p : kernel.params()) {
            paramShardings.put(p.name(), Sharding.REPLICATED);
            usedNames.add(p.name());
            if (p.mode() == ParamMode.OUT) {
                written.add(p.name());
                continue;
            }
            if (p.mode() == ParamMode.STATE) {
                written.add(p.name());
            }
            undecided.add(p.name());
            values.put(p.name(), new Entry(new Form(p.name(), p.type(), Sharding.REPLICATED), -1));
        }
        for (Operation op : kernel.operations()) {
            op.outputs().forEach(v -> usedNames.add(v.name()));
        }
    }

    TensorParallelism.Result run() {
        Optional<List<List<TensorType>>> wholeTypes = checkKernel();
        if (wholeTypes.isEmpty()) {
            return new TensorParallelism.Result(kernel, paramShardings, diagnostics);
        }
        for (int i = 0; i < kernel.operations().size(); i++) {
            process(kernel.operations().get(i), wholeTypes.get().get(i));
        }
        finishWrittenParams();
        return new TensorParallelism.Result(build(), paramShardings, diagnostics);
    }

    // ---- before the pass: the whole kernel must type-check and hold no collectives

    private Optional<List<List<TensorType>>> checkKernel() {
        Map<String, TensorType> types = new HashMap<>();
        values.forEach((name, entry) -> types.put(name, entry.main.whole()));
        List<List<TensorType>> outputs = new ArrayList<>();
        for (Operation op : kernel.operations()) {
            if (op.kind().category() == OpCategory.COLLECTIVE) {
                error("dfk.tp-collective", describe(op) + " is a collective, but tensor parallelism inserts the"
                        + " collectives itself; remove it and write the kernel for one socket", op.location());
                return Optional.empty();
            }
            List<TensorType> inputs = new ArrayList<>();
            for (String name : op.inputs()) {
                if (!types.containsKey(name)) {
                    error("dfk.unknown-value", describe(op) + " reads '" + name + "', which is not defined before it",
                            op.location());
                    return Optional.empty();
                }
                inputs.add(types.get(name));
            }
            ShapeInference.Inference inference = ShapeInference.infer(op.kind(), inputs, op.attributes());
            if (!inference.ok() || inference.outputs().size() != op.outputs().size()) {
                error("dfk.shape-mismatch", inference.ok() ? describe(op) + " has " + op.outputs().size()
                        + " results but " + op.kind().keyword() + " gives " + inference.outputs().size()
                        : inference.error(), op.location());
                return Optional.empty();
            }
            for (int i = 0; i < op.outputs().size(); i++) {
                types.put(op.outputs().get(i).name(), inference.outputs().get(i));
            }
            outputs.add(inference.outputs());
        }
        return Optional.of(outputs);
    }

    // ---- the pass

    private void process(Operation op, List<TensorType> wholeOutputs) {
        Call call = new Call(op, wholeOutputs);
        Sharding result = rule(call);
        undecided.removeAll(op.inputs());
        emit(call, result);
    }

    private Sharding rule(Call c) {
        int rank = c.rank(0);
        OpAttributes attrs = c.op.attributes();
        return switch (c.op.kind()) {
            case CONST -> Sharding.REPLICATED;
            case NEG, EXP, LOG, RSQRT, TANH, SIGMOID, SILU, GELU, RELU, SOFTPLUS, CAST, COPY -> c.sharding(0);
            case ADD, SUB, MUL, DIV -> elementwise(c);
            case MASK -> keepUnless(c, k -> k >= rank - 2, k -> k);
            case ROPE -> keepUnless(c, k -> k == rank - 3 || k == rank - 1, k -> k);
            case MATMUL -> matmul(c);
            case SOFTMAX, SLICE, TOPK -> {
                int axis = ShapeInference.axisOf(c.op.kind(), attrs, rank);
                yield keepUnless(c, k -> k == axis, k -> k);
            }
            case ARGMAX -> {
                int axis = ShapeInference.axisOf(OpKind.ARGMAX, attrs, rank);
                yield keepUnless(c, k -> k == axis, k -> k > axis ? k - 1 : k);
            }
            case SUM, MAX, MEAN -> reduction(c);
            case RMSNORM, LAYERNORM -> {
                for (int i = 1; i < c.count(); i++) {
                    c.gather(i);
                }
                yield keepUnless(c, k -> k == rank - 1, k -> k);
            }
            case TRANSPOSE -> keepUnless(c, k -> false, k -> k == rank - 1 ? rank - 2 : k == rank - 2 ? rank - 1 : k);
            case PERMUTE -> {
                List<Long> perm = attrs.integerList("perm").orElseThrow();
                yield keepUnless(c, k -> false, k -> perm.indexOf((long) k));
            }
            case RESHAPE -> reshape(c);
            case CONCAT -> concat(c);
            case UPDATE -> update(c);
            // collectives never get here (checkKernel rejects them) but the switch must be exhaustive
            case GATHER, EMBEDDING, CONV1D, SELECTIVE_SCAN, ALLREDUCE, ALLGATHER -> replicate(c);
        };
    }

    /**
     * A single-input rule: the input's sharding carries over to the result, moved by {@code move},
     * unless the operator needs the whole sharded axis, in which case the input is gathered first.
     */
    private Sharding keepUnless(Call c, IntPredicate needsWholeAxis, IntUnaryOperator move) {
        Sharding s = c.sharding(0);
        if (!s.isSharded()) {
            return s;
        }
        if (needsWholeAxis.test(s.axis())) {
            c.gather(0);
            return Sharding.REPLICATED;
        }
        return Sharding.sharded(move.applyAsInt(s.axis()));
    }

    private Sharding replicate(Call c) {
        for (int i = 0; i < c.count(); i++) {
            c.gather(i);
        }
        return Sharding.REPLICATED;
    }

    private Sharding elementwise(Call c) {
        int rank = c.outputRank();
        if (c.sharding(0).isSharded() && c.sharding(1).isSharded()) {
            if (c.resultAxis(0, rank) == c.resultAxis(1, rank)) {
                return Sharding.sharded(c.resultAxis(0, rank));
            }
            c.gather(1);
        }
        for (int i = 0; i < 2; i++) {
            if (c.sharding(i).isSharded()) {
                return shardedWithReplicated(c, i, 1 - i, rank);
            }
        }
        return Sharding.REPLICATED;
    }

    /** An element-wise pair where operand {@code sharded} is sharded and {@code other} replicated. */
    private Sharding shardedWithReplicated(Call c, int sharded, int other, int rank) {
        int axis = c.resultAxis(sharded, rank);
        int local = axis - (rank - c.rank(other));
        if (local < 0 || c.whole(other).shape().dim(local) == 1) {
            return Sharding.sharded(axis);
        }
        if (c.undecidedParam(other) && c.split(other, local)) {
            return Sharding.sharded(axis);
        }
        c.gather(sharded);
        return Sharding.REPLICATED;
    }

    private Sharding matmul(Call c) {
        Optional<Sharding> result = matmulRule(c);
        if (result.isEmpty()) {
            c.gather(0);
            result = matmulRule(c);
        }
        if (result.isEmpty()) {
            c.gather(1);
            result = matmulRule(c);
        }
        return result.orElseThrow();
    }

    /** The matmul rules in order; empty when none applies to the current input shardings. */
    private Optional<Sharding> matmulRule(Call c) {
        boolean transposeB = c.op.attributes().integer("transpose_b").orElse(0L) == 1;
        int ra = c.rank(0);
        int rb = c.rank(1);
        int rank = c.outputRank();
        int kAxisB = transposeB ? rb - 1 : rb - 2;
        int nAxisB = transposeB ? rb - 2 : rb - 1;
        Sharding a = c.sharding(0);
        Sharding b = c.sharding(1);
        boolean weight = c.undecidedParam(1);
        if (a.isReplicated() && b.isReplicated()) {
            return Optional.of(weight && c.split(1, nAxisB) ? Sharding.sharded(rank - 1) : Sharding.REPLICATED);
        }
        if (a.isSharded() && a.axis() == ra - 1) {
            boolean rowParallel = weight && b.isReplicated() && c.split(1, kAxisB);
            boolean bothSplitOnK = b.isSharded() && b.axis() == kAxisB;
            return rowParallel || bothSplitOnK ? Optional.of(Sharding.PARTIAL) : Optional.empty();
        }
        if (a.isSharded() && a.axis() == ra - 2 && b.isReplicated()) {
            return Optional.of(Sharding.sharded(rank - 2));
        }
        if (a.isReplicated() && b.isSharded() && b.axis() == nAxisB) {
            return Optional.of(Sharding.sharded(rank - 1));
        }
        return batchRule(c, rank);
    }

    /** Matmuls sharded on a batch axis (attention heads): each socket multiplies its own batches. */
    private Optional<Sharding> batchRule(Call c, int rank) {
        OptionalInt a = batchAxis(c, 0, rank);
        OptionalInt b = batchAxis(c, 1, rank);
        if (a.isPresent() && b.isPresent()) {
            return a.getAsInt() == b.getAsInt() ? Optional.of(Sharding.sharded(a.getAsInt())) : Optional.empty();
        }
        for (int i = 0; i < 2; i++) {
            OptionalInt axis = i == 0 ? a : b;
            int other = 1 - i;
            if (axis.isPresent() && c.sharding(other).isReplicated()) {
                int local = axis.getAsInt() - (rank - c.rank(other));
                if (local < 0 || c.whole(other).shape().dim(local) == 1) {
                    return Optional.of(Sharding.sharded(axis.getAsInt()));
                }
            }
        }
        return Optional.empty();
    }

    private static OptionalInt batchAxis(Call c, int operand, int rank) {
        Sharding s = c.sharding(operand);
        return s.isSharded() && s.axis() < c.rank(operand) - 2 ? OptionalInt.of(c.resultAxis(operand, rank))
                : OptionalInt.empty();
    }

    private Sharding reduction(Call c) {
        int rank = c.rank(0);
        Set<Integer> axes = ShapeInference.reducedAxesOf(c.op.attributes(), rank);
        boolean keepDims = c.op.attributes().integer("keepdims").orElse(0L) == 1;
        return keepUnless(c, axes::contains, k -> keepDims ? k : k - (int) axes.stream().filter(a -> a < k).count());
    }

    private Sharding reshape(Call c) {
        Sharding s = c.sharding(0);
        if (!s.isSharded()) {
            return s;
        }
        OptionalInt target = reshapedAxis(c.whole(0).shape(), c.wholeOutputs.get(0).shape(), s.axis(), degree);
        if (target.isEmpty()) {
            c.gather(0);
            return Sharding.REPLICATED;
        }
        int axis = target.getAsInt();
        List<Long> shape = new ArrayList<>(c.op.attributes().integerList("shape").orElseThrow());
        if (shape.get(axis) != -1) {
            shape.set(axis, shape.get(axis) / degree);
        }
        Map<String, List<Long>> integers = new HashMap<>(c.op.attributes().integers());
        integers.put("shape", shape);
        c.attributes = new OpAttributes(integers, c.op.attributes().numbers(), c.op.attributes().names());
        return Sharding.sharded(axis);
    }

    /**
     * Where a sharded axis lands after a reshape, if the shards stay contiguous slices of one output
     * axis. Dimensions of size 1 are ignored; the rest are grouped into the smallest runs of input
     * and output dimensions with equal products. A split of input axis a is a split of output axis b
     * when a is the first dimension of its run, b the first of the matching output run, and b's size
     * is divisible by the degree.
     */
    static OptionalInt reshapedAxis(Shape in, Shape out, int axis, int degree) {
        List<Integer> inAxes = nonUnitAxes(in);
        List<Integer> outAxes = nonUnitAxes(out);
        int i = 0;
        int j = 0;
        while (i < inAxes.size() && j < outAxes.size()) {
            int firstIn = inAxes.get(i);
            int firstOut = outAxes.get(j);
            long inProduct = in.dim(firstIn);
            long outProduct = out.dim(firstOut);
            int lastIn = firstIn;
            while (inProduct != outProduct) {
                if (inProduct < outProduct) {
                    lastIn = inAxes.get(++i);
                    inProduct *= in.dim(lastIn);
                } else {
                    outProduct *= out.dim(outAxes.get(++j));
                }
            }
            if (axis >= firstIn && axis <= lastIn) {
                boolean leads = axis == firstIn && out.dim(firstOut) % degree == 0;
                return leads ? OptionalInt.of(firstOut) : OptionalInt.empty();
            }
            i++;
            j++;
        }
        return OptionalInt.empty();
    }

    private static List<Integer> nonUnitAxes(Shape s) {
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            if (s.dim(i) != 1) {
                axes.add(i);
            }
        }
        return axes;
    }

    private Sharding concat(Call c) {
        int axis = ShapeInference.axisOf(OpKind.CONCAT, c.op.attributes(), c.rank(0));
        Sharding first = c.sharding(0);
        for (int i = 1; i < c.count(); i++) {
            if (!c.sharding(i).equals(first)) {
                return replicate(c);
            }
        }
        return first.isSharded() && first.axis() == axis ? replicate(c) : first;
    }

    private Sharding update(Call c) {
        int axis = ShapeInference.axisOf(OpKind.UPDATE, c.op.attributes(), c.rank(0));
        Sharding cache = c.sharding(0);
        Sharding x = c.sharding(1);
        if (x.isSharded() && x.axis() != axis) {
            if (cache.equals(x)) {
                return x;
            }
            if (cache.isReplicated() && c.undecidedParam(0) && c.split(0, x.axis())) {
                return x;
            }
        }
        return cache.isReplicated() && x.isReplicated() ? Sharding.REPLICATED : replicate(c);
    }

    // ---- emitting the new operations

    private void emit(Call c, Sharding result) {
        Operation op = c.op;
        boolean partial = result.kind() == Sharding.Kind.PARTIAL;
        List<String> outputs = new ArrayList<>();
        List<TensorType> expected = new ArrayList<>();
        for (int i = 0; i < op.outputs().size(); i++) {
            String name = op.outputs().get(i).name();
            outputs.add(partial && written.contains(name) ? fresh(name + "_partial") : name);
            expected.add(perSocket(c.wholeOutputs.get(i), result));
        }
        List<String> inputs = new ArrayList<>();
        c.forms.forEach(f -> inputs.add(f.name()));
        int index = add(new Draft(op.kind(), inputs, outputs, expected, c.attributes, op.location()));
        for (int i = 0; i < outputs.size(); i++) {
            String original = op.outputs().get(i).name();
            Form form = new Form(outputs.get(i), c.wholeOutputs.get(i), result);
            values.put(original, new Entry(form, index));
            if (partial) {
                allreduce(original, form, op.location());
            }
        }
    }

    /** Sums a partial result over the sockets right after the operation that produced it. */
    private void allreduce(String original, Form partial, SourceLocation near) {
        String name = written.contains(original) ? original : fresh(original + "_allreduce");
        int index = add(new Draft(OpKind.ALLREDUCE, List.of(partial.name()), List.of(name), List.of(partial.whole()),
                OpAttributes.NONE, SourceLocation.synthetic(near)));
        values.put(original, new Entry(new Form(name, partial.whole(), Sharding.REPLICATED), index));
    }

    /** Concatenates a sharded value's shards once; later consumers that need it whole reuse the result. */
    private Form gathered(String original, SourceLocation near) {
        Entry entry = values.get(original);
        if (entry.gathered == null) {
            String name = fresh(original + "_allgather");
            OpAttributes axis = new OpAttributes.Builder().integer("axis", entry.main.sharding().axis()).build();
            entry.gatheredAt = add(new Draft(OpKind.ALLGATHER, List.of(entry.main.name()), List.of(name),
                    List.of(entry.main.whole()), axis, SourceLocation.synthetic(near)));
            entry.gathered = new Form(name, entry.main.whole(), Sharding.REPLICATED);
        }
        return entry.gathered;
    }

    /**
     * Makes every written parameter hold the sharding its type promises: OUT parameters replicated,
     * STATE parameters the sharding they were read with. A sharded result is gathered under the
     * parameter's name and the sharded value renamed {@code <name>_shard}.
     */
    private void finishWrittenParams() {
        for (KernelParam p : kernel.params()) {
            Entry entry = values.get(p.name());
            if (p.mode() == ParamMode.IN || entry == null || entry.producedAt < 0) {
                continue;
            }
            Sharding required = paramShardings.get(p.name());
            Sharding actual = entry.main.sharding();
            if (actual.equals(required)) {
                continue;
            }
            if (!required.isReplicated()) {
                error("dfk.tp-state", "state " + p.name() + " is read " + required + " but written " + actual
                        + "; a state parameter must be written with the sharding it is read with", p.location());
                continue;
            }
            String shard = fresh(p.name() + "_shard");
            rename(p.name(), shard, entry.producedAt);
            if (entry.gathered != null) {
                rename(entry.gathered.name(), p.name(), entry.gatheredAt);
            } else {
                OpAttributes axis = new OpAttributes.Builder().integer("axis", actual.axis()).build();
                add(new Draft(OpKind.ALLGATHER, List.of(shard), List.of(p.name()), List.of(entry.main.whole()), axis,
                        SourceLocation.synthetic(p.location())));
            }
        }
    }

    /** Renames the result {@code from} of draft {@code start} and its later reads, up to a redefinition. */
    private void rename(String from, String to, int start) {
        drafts.set(start, drafts.get(start).renamedOutputs(from, to));
        for (int j = start + 1; j < drafts.size(); j++) {
            Draft d = drafts.get(j).renamedInputs(from, to);
            drafts.set(j, d);
            if (d.outputs().contains(from)) {
                return;
            }
        }
    }

    // ---- after the pass: per-socket types

    private Kernel build() {
        List<KernelParam> params = new ArrayList<>();
        Map<String, TensorType> types = new HashMap<>();
        for (KernelParam p : kernel.params()) {
            KernelParam split = new KernelParam(p.name(), p.mode(), perSocket(p.type(), paramShardings.get(p.name())),
                    p.location());
            params.add(split);
            if (p.mode() != ParamMode.OUT) {
                types.put(p.name(), split.type());
            }
        }
        List<Operation> operations = new ArrayList<>();
        for (Draft d : drafts) {
            operations.add(retype(d, types));
        }
        KernelHints hints = kernel.hints() == null ? KernelHints.NONE : kernel.hints();
        return new Kernel(kernel.name(), kernel.instanceName(), params, operations,
                new KernelHints(degree, hints.pcuBudget(), hints.tileRows()), kernel.location());
    }

    /**
     * Re-infers a draft's result types from its per-socket inputs and checks them against the types
     * its sharding promises; a difference is a defect of this pass, reported rather than hidden.
     */
    private Operation retype(Draft d, Map<String, TensorType> types) {
        List<TensorType> inputs = new ArrayList<>();
        d.inputs().forEach(name -> inputs.add(types.get(name)));
        ShapeInference.Inference inference = ShapeInference.infer(d.kind(), inputs, d.attributes(), degree);
        if (!inference.ok() || !inference.outputs().equals(d.expected())) {
            error("dfk.tp-internal", "tensor parallelism produced inconsistent types for " + d.kind().keyword() + " "
                    + d.outputs() + ": expected " + d.expected() + ", got "
                    + (inference.ok() ? inference.outputs() : inference.error()), d.location());
        }
        List<TensorType> outputTypes = inference.ok() ? inference.outputs() : d.expected();
        List<Value> outputs = new ArrayList<>();
        for (int i = 0; i < d.outputs().size(); i++) {
            outputs.add(new Value(d.outputs().get(i), outputTypes.get(i)));
            types.put(d.outputs().get(i), outputTypes.get(i));
        }
        return new Operation(d.kind(), d.inputs(), outputs, d.attributes(), d.location());
    }

    // ---- helpers

    private TensorType perSocket(TensorType whole, Sharding sharding) {
        if (!sharding.isSharded()) {
            return whole;
        }
        List<Long> dims = new ArrayList<>(whole.shape().dims());
        dims.set(sharding.axis(), dims.get(sharding.axis()) / degree);
        return whole.withShape(new Shape(dims));
    }

    private int add(Draft draft) {
        drafts.add(draft);
        return drafts.size() - 1;
    }

    private String fresh(String base) {
        String name = base;
        for (int n = 2; usedNames.contains(name); n++) {
            name = base + "_" + n;
        }
        usedNames.add(name);
        return name;
    }

    private void error(String code, String message, SourceLocation location) {
        diagnostics.add(Diagnostic.error(code, message, location));
    }

    private static String describe(Operation op) {
        return op.kind().keyword() + " " + op.output().name();
    }

    /** One operation being rewritten: its inputs' current forms and attributes, changed by the rules. */
    private final class Call {
        final Operation op;
        final List<TensorType> wholeOutputs;
        final List<Form> forms = new ArrayList<>();
        OpAttributes attributes;

        Call(Operation op, List<TensorType> wholeOutputs) {
            this.op = op;
            this.wholeOutputs = wholeOutputs;
            this.attributes = op.attributes();
            op.inputs().forEach(name -> forms.add(values.get(name).main));
        }

        int count() {
            return forms.size();
        }

        Sharding sharding(int i) {
            return forms.get(i).sharding();
        }

        TensorType whole(int i) {
            return forms.get(i).whole();
        }

        /** Rank of input {@code i}, 0 for an operation without inputs. */
        int rank(int i) {
            return i < forms.size() ? whole(i).shape().rank() : 0;
        }

        int outputRank() {
            return wholeOutputs.get(0).shape().rank();
        }

        /** The result axis that input {@code i}'s sharded axis aligns with under broadcasting. */
        int resultAxis(int i, int resultRank) {
            return sharding(i).axis() + resultRank - rank(i);
        }

        /**
         * Whether input {@code i} is a parameter used for the first time, and only once by this
         * operation: splitting a parameter that is also another operand would change that operand.
         */
        boolean undecidedParam(int i) {
            String name = op.inputs().get(i);
            return undecided.contains(name) && Collections.frequency(op.inputs(), name) == 1;
        }

        /** Replaces a sharded input by its gathered form (inserting the allgather if needed). */
        void gather(int i) {
            if (!sharding(i).isSharded()) {
                return;
            }
            String original = op.inputs().get(i);
            Form whole = gathered(original, op.location());
            setAll(original, whole);
        }

        /**
         * Splits an undecided parameter along {@code axis}; reports an error and keeps it replicated
         * when the axis' size is not divisible by the degree.
         */
        boolean split(int i, int axis) {
            String param = op.inputs().get(i);
            TensorType type = whole(i);
            long size = type.shape().dim(axis);
            if (size % degree != 0) {
                error("dfk.tp-indivisible", "cannot split " + param + " " + type + " for " + describe(op) + " over "
                        + degree + " sockets: dimension " + axis + " (" + size + ") is not divisible by " + degree
                        + "; pick a tensor-parallel degree that divides " + size + " or pad " + param, op.location());
                return false;
            }
            Sharding sharding = Sharding.sharded(axis);
            values.put(param, new Entry(new Form(param, type, sharding), -1));
            paramShardings.put(param, sharding);
            undecided.remove(param);
            setAll(param, values.get(param).main);
            return true;
        }

        private void setAll(String original, Form form) {
            for (int j = 0; j < forms.size(); j++) {
                if (op.inputs().get(j).equals(original)) {
                    forms.set(j, form);
                }
            }
        }
    }
}
