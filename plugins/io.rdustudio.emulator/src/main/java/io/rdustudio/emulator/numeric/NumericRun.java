package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Role;
import io.rdustudio.core.ir.Schedule;
import io.rdustudio.core.ir.Step;
import io.rdustudio.core.ir.TensorDecl;
import io.rdustudio.core.ir.TensorRef;
import io.rdustudio.core.ir.Value;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A numerical run of a whole program: every kernel call of the schedule executed on data.
 *
 * <p><b>Lifecycle.</b> Configure with the setters (all optional), then {@link #execute()} once:
 * <ol>
 * <li>The memory check: {@link #requiredBytes(Program)} against the budget; above it the run is
 *     refused with a {@link NumericException} that says how much it needs and suggests
 *     {@code --timing-only}. Nothing is allocated before this check, so the JVM never runs out of
 *     memory on a program too large to emulate.</li>
 * <li>Program tensors: {@code input}, {@code weight} and {@code state} tensors are taken from
 *     {@link #inputs} (shape checked against the declaration, values rounded to the declared type)
 *     or generated from the seed; {@code local} and {@code output} tensors start as zeros.</li>
 * <li>The schedule, in order, loops unrolled: each call binds its arguments (an indexed reference
 *     {@code w[l]} is a copy of that slice), runs the kernel ({@link KernelRunner}) and writes its
 *     outputs and updated state back into the program tensors (into the slice for {@code y[l]}).
 *     Before each call the cancellation check runs (and between operations); after each call the
 *     progress listener hears {@code (calls done, calls in total)}.</li>
 * <li>The result: the {@code output} and {@code state} tensors, the first non-finite value (if any),
 *     the number of calls. A cancelled run throws {@link java.util.concurrent.CancellationException}
 *     and returns nothing half-done.</li>
 * </ol>
 *
 * <p><b>Generated data</b> (seed default 0): weights are normal(0, 0.02), as GPT-2 and Llama
 * initialise; floating inputs and state are normal(0, 1); integer inputs and state are zeros, a
 * valid index for every table. Each tensor draws from its own stream, seeded from the run's seed
 * and the tensor's name, so adding a tensor does not change the others' values.
 */
public final class NumericRun {

    /** The default memory budget as a fraction of the JVM's maximum heap. */
    public static final double DEFAULT_BUDGET_FRACTION = 0.6;
    /** Standard deviation of generated weights. */
    public static final double WEIGHT_STD = 0.02;

    /** Progress of a run: kernel calls done and in total. */
    @FunctionalInterface
    public interface ProgressListener {
        void progress(long done, long total);
    }

    /** What a run returns: the program's output and state tensors after the schedule. */
    public record Result(Map<String, Tensor> outputs, Map<String, Tensor> states, Optional<NonFinite> firstNonFinite,
            long kernelCalls) {
    }

    private final Program program;
    private Map<String, Tensor> given = Map.of();
    private long seed;
    private long budgetBytes = (long) (Runtime.getRuntime().maxMemory() * DEFAULT_BUDGET_FRACTION);
    private Consumer<Intermediate> dump;
    private BooleanSupplier cancelled;
    private ProgressListener progress = (done, total) -> { };

    public NumericRun(Program program) {
        this.program = program;
    }

    /** Tensors for inputs, weights and state by name; the others are generated. */
    public NumericRun inputs(Map<String, Tensor> tensors) {
        this.given = Map.copyOf(tensors);
        return this;
    }

    public NumericRun seed(long runSeed) {
        this.seed = runSeed;
        return this;
    }

    /** The most bytes the run may hold; default {@value #DEFAULT_BUDGET_FRACTION} of the JVM's maximum heap. */
    public NumericRun memoryBudgetBytes(long bytes) {
        this.budgetBytes = bytes;
        return this;
    }

    /** A hook that receives every intermediate value (for {@code --dump}). */
    public NumericRun onIntermediate(Consumer<Intermediate> hook) {
        this.dump = hook;
        return this;
    }

    public NumericRun cancelWhen(BooleanSupplier isCancelled) {
        this.cancelled = isCancelled;
        return this;
    }

    public NumericRun onProgress(ProgressListener listener) {
        this.progress = listener;
        return this;
    }

    /**
     * Bytes a numerical run of {@code program} holds at most, as the emulator stores data (4 bytes
     * per element, whatever the element type): every program tensor, plus, for the kernel that
     * needs most, twice the values of all its sockets (its parameters' copies and its results,
     * with room for the matmul's scratch buffers).
     */
    public static long requiredBytes(Program program) {
        return programBytes(program) + largestKernelBytes(program);
    }

    private static long programBytes(Program program) {
        long bytes = 0;
        for (TensorDecl t : program.tensors()) {
            bytes = Math.addExact(bytes, Math.multiplyExact(t.type().shape().elements(), 4L));
        }
        return bytes;
    }

    private static long largestKernelBytes(Program program) {
        long largest = 0;
        for (Kernel k : program.kernels().values()) {
            long elements = 0;
            for (Value v : k.values().values()) {
                elements = Math.addExact(elements, v.type().shape().elements());
            }
            largest = Math.max(largest, Math.multiplyExact(Math.multiplyExact(elements, 8L),
                    Math.max(1, k.hints().tensorParallel())));
        }
        return largest;
    }

    private String largestKernelName() {
        String name = "";
        long largest = -1;
        for (Kernel k : program.kernels().values()) {
            long elements = 0;
            for (Value v : k.values().values()) {
                elements += v.type().shape().elements();
            }
            if (elements * Math.max(1, k.hints().tensorParallel()) > largest) {
                largest = elements * Math.max(1, k.hints().tensorParallel());
                name = k.instanceName();
            }
        }
        return name;
    }

    /** Runs the program; see the class comment for what happens in which order. */
    public Result execute() {
        Schedule schedule = program.schedule().orElseThrow(() -> new NumericException(
                "program " + program.name() + " has no schedule, so there is nothing to run; run a file with a schedule"));
        checkBudget();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (TensorDecl decl : program.tensors()) {
            tensors.put(decl.name(), initial(decl));
        }
        RunContext context = new RunContext(dump, cancelled);
        long total = countCalls(schedule.steps());
        long[] done = {0};
        progress.progress(0, total);
        runSteps(schedule.steps(), new HashMap<>(), tensors, context, done, total);
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        Map<String, Tensor> states = new LinkedHashMap<>();
        for (TensorDecl decl : program.tensors()) {
            if (decl.role() == Role.OUTPUT) {
                outputs.put(decl.name(), tensors.get(decl.name()));
            } else if (decl.role() == Role.STATE) {
                states.put(decl.name(), tensors.get(decl.name()));
            }
        }
        return new Result(outputs, states, context.firstNonFinite(), done[0]);
    }

    private void checkBudget() {
        long program1 = programBytes(program);
        long kernel = largestKernelBytes(program);
        long needed = program1 + kernel;
        for (TensorDecl t : program.tensors()) {
            if (t.type().shape().elements() > Tensor.MAX_ELEMENTS) {
                throw new NumericException(t.location() + ": tensor " + t.name() + " " + t.type() + " has more than "
                        + Tensor.MAX_ELEMENTS + " elements, more than one emulated tensor can hold; run with --timing-only",
                        t.location());
            }
        }
        if (needed > budgetBytes) {
            throw new NumericException(String.format(Locale.ROOT,
                    "numerical execution of %s needs about %s (program tensors %s, intermediates of its largest kernel %s"
                            + " %s) but the memory budget is %s; run with --timing-only for a timed run without data,"
                            + " or raise the budget (a larger -Xmx)",
                    program.name(), mib(needed), mib(program1), largestKernelName(), mib(kernel), mib(budgetBytes)));
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private Tensor initial(TensorDecl decl) {
        Tensor supplied = given.get(decl.name());
        if (supplied != null) {
            if (!decl.role().definedOnEntry()) {
                throw new NumericException("tensor " + decl.name() + " is " + decl.role().keyword()
                        + ", which the program computes; only inputs, weights and state can be given");
            }
            if (!supplied.shape().equals(decl.type().shape())) {
                throw new NumericException("the data given for " + decl.name() + " has shape " + supplied.shape()
                        + " but " + decl.name() + " is declared " + decl.type() + " at " + decl.location(), decl.location());
            }
            Tensor converted = Tensor.zeros(decl.type());
            for (int i = 0; i < converted.size(); i++) {
                converted.set(i, supplied.get(i));
            }
            return converted;
        }
        Tensor t = Tensor.zeros(decl.type());
        if (!decl.role().definedOnEntry() || t.isIntegral()) {
            return t;
        }
        double std = decl.role() == Role.WEIGHT ? WEIGHT_STD : 1.0;
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + decl.name().hashCode());
        for (int i = 0; i < t.size(); i++) {
            t.set(i, random.nextGaussian() * std);
        }
        return t;
    }

    private static long countCalls(List<Step> steps) {
        long n = 0;
        for (Step s : steps) {
            if (s instanceof Step.Loop loop) {
                n += loop.tripCount() * countCalls(loop.body());
            } else {
                n++;
            }
        }
        return n;
    }

    private void runSteps(List<Step> steps, Map<String, Long> loopValues, Map<String, Tensor> tensors,
            RunContext context, long[] done, long total) {
        for (Step step : steps) {
            if (step instanceof Step.Loop loop) {
                for (long i = loop.from(); i < loop.to(); i++) {
                    loopValues.put(loop.variable(), i);
                    runSteps(loop.body(), loopValues, tensors, context, done, total);
                }
                loopValues.remove(loop.variable());
            } else if (step instanceof Step.KernelCall call) {
                context.checkCancelled();
                runCall(call, loopValues, tensors, context, done[0]);
                done[0]++;
                progress.progress(done[0], total);
            }
        }
    }

    private void runCall(Step.KernelCall call, Map<String, Long> loopValues, Map<String, Tensor> tensors,
            RunContext context, long callNumber) {
        Kernel kernel = program.kernels().get(call.kernel());
        if (kernel == null) {
            throw new NumericException(call.location() + ": the schedule launches " + call.kernel()
                    + ", which the program does not define", call.location());
        }
        Map<String, Tensor> arguments = new HashMap<>();
        List<KernelParam> ins = kernel.inputs();
        for (int i = 0; i < ins.size(); i++) {
            arguments.put(ins.get(i).name(), read(call.inputs().get(i), loopValues, tensors));
        }
        Map<String, Tensor> results = KernelRunner.run(kernel, arguments, context, callNumber);
        List<KernelParam> outs = kernel.outputs();
        for (int i = 0; i < outs.size() && i < call.outputs().size(); i++) {
            write(call.outputs().get(i), results.get(outs.get(i).name()), loopValues, tensors);
        }
    }

    private static Tensor read(TensorRef ref, Map<String, Long> loopValues, Map<String, Tensor> tensors) {
        Tensor whole = tensors.get(ref.tensor());
        return ref.indices().isEmpty() ? whole : whole.slice(indices(ref, loopValues));
    }

    private static void write(TensorRef ref, Tensor value, Map<String, Long> loopValues, Map<String, Tensor> tensors) {
        tensors.get(ref.tensor()).writeSlice(value, indices(ref, loopValues));
    }

    private static long[] indices(TensorRef ref, Map<String, Long> loopValues) {
        long[] at = new long[ref.indices().size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = ref.indices().get(i).evaluate(loopValues);
        }
        return at;
    }
}
