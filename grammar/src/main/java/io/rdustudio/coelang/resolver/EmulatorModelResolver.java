package io.rdustudio.coelang.resolver;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.ResourceSet;

import io.rdustudio.coe.model.ModelFootprint;
import io.rdustudio.coe.model.ModelResolutionException;
import io.rdustudio.coe.model.ModelResolver;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.ModelTiming;
import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.coelang.lowering.CoeLowering;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Role;
import io.rdustudio.core.ir.TensorDecl;
import io.rdustudio.core.target.FigureKey;
import io.rdustudio.core.target.TargetKind;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.Schedule;
import io.rdustudio.dfk.dfk.TopElement;
import io.rdustudio.dfk.lowering.DfkLowering;
import io.rdustudio.dfk.lowering.LoweringResult;
import io.rdustudio.dfk.scoping.DfkImportUriGlobalScopeProvider;
import io.rdustudio.emulator.steps.StepModel;

/**
 * The model resolver behind every CoE command and editor feature: model specs timed by the timing
 * emulator on the platform's profile (docs/coe.md, "How models are timed").
 *
 * <ul>
 * <li>A parametric model is the bundled Llama decoder template ({@link LlamaTemplate}) lowered with
 * its figures, its tensor-parallel degree, the prompt length, the KV length and the batch as
 * constant overrides. Its footprint is the shape's ({@link ModelFootprint#ofShape}: the template
 * declares exactly those weights). Its prefill and decode-step times come from emulated runs at a
 * few lengths ({@link StepCurve} for prompts, the emulator's {@link StepModel} for KV lengths),
 * memoised per (shape, degree, platform, batch) for the whole process: the template never changes.
 * <li>A model written in DFK ({@link ModelSpec.Reference}) is its program lowered as written; each
 * phase is the program's schedule, or the schedule's calls of one kernel, emulated once. Its
 * weights are the program's weight tensors and its state tensors (the KV caches it declares) are
 * counted as workspace: the program fixes its own lengths and batch, so its times do not change with
 * the workload's. Memoised per resolver: the programs are read from a resource set that an editor
 * changes.
 * </ul>
 */
public final class EmulatorModelResolver implements ModelResolver {

    private record ShapeKey(ModelSpec.Parametric shape, int tensorParallel, String platform) {
    }

    private record ReferenceKey(ModelSpec.Reference reference, int tensorParallel, String platform) {
    }

    private static final Map<ShapeKey, ResolvedModel> SHAPES = new ConcurrentHashMap<>();

    private final Function<String, Model> programs;
    private final Map<ReferenceKey, ResolvedModel> references = new ConcurrentHashMap<>();

    /** @param programs the DFK program at a URI (as {@link ModelSpec.Reference#dfkUri()} writes it), or null when it cannot be read */
    public EmulatorModelResolver(Function<String, Model> programs) {
        this.programs = programs;
    }

    /** A resolver that reads referenced programs from {@code resources} (the descriptor's resource set). */
    public static EmulatorModelResolver reading(ResourceSet resources) {
        return new EmulatorModelResolver(uri -> {
            Resource resource;
            try {
                resource = resources.getResource(URI.createURI(uri), true);
            } catch (RuntimeException e) {
                return null; // EMF wraps a missing file in a RuntimeException: reported by the caller
            }
            return resource != null && !resource.getContents().isEmpty() && resource.getContents().get(0) instanceof Model m
                    ? m : null;
        });
    }

    @Override
    public ResolvedModel resolve(ModelSpec spec, int tensorParallel, TargetProfile platform) {
        int devices = devices(platform);
        if (tensorParallel < 1 || tensorParallel > devices) {
            throw new ModelResolutionException("tensor-parallel degree " + tensorParallel + " is not possible on "
                    + platform.name() + ", which has " + devices + (platform.kind() == TargetKind.GPU ? " GPUs" : " sockets")
                    + " per node; use 1 to " + devices);
        }
        String profile = platform.name() + "@" + platform.contentHash();
        if (spec instanceof ModelSpec.Parametric shape) {
            return SHAPES.computeIfAbsent(new ShapeKey(shape, tensorParallel, profile),
                    key -> parametric(shape, tensorParallel, platform));
        }
        ModelSpec.Reference reference = (ModelSpec.Reference) spec;
        return references.computeIfAbsent(new ReferenceKey(reference, tensorParallel, profile),
                key -> program(reference, tensorParallel, platform));
    }

    private static int devices(TargetProfile platform) {
        return (int) platform.value(platform.kind() == TargetKind.GPU ? FigureKey.GPUS_PER_NODE : FigureKey.SOCKETS_PER_NODE);
    }

    // ---- parametric models

    private static ResolvedModel parametric(ModelSpec.Parametric shape, int tp, TargetProfile platform) {
        long probe = Math.max(1, Math.min(128, shape.maxContextTokens()));
        LlamaTemplate.lower(shape, tp, probe, probe, 1); // a shape that cannot be split fails here, at the check
        return new ResolvedModel(ModelFootprint.ofShape(shape), new TemplateTiming(shape, tp, platform));
    }

    /**
     * Prefill and decode-step times of a parametric shape, per batch size: prefill from a
     * {@link StepCurve} over prompt lengths, decode steps from the emulator's {@link StepModel}
     * fitted over every KV length of the shape's context (piecewise linear through emulated steps,
     * within its stated tolerance).
     */
    private static final class TemplateTiming implements ModelTiming {
        private final ModelSpec.Parametric shape;
        private final int tp;
        private final TargetProfile platform;
        private final Map<Integer, StepCurve> prefill = new ConcurrentHashMap<>();
        private final Map<Integer, StepModel> decode = new ConcurrentHashMap<>();

        TemplateTiming(ModelSpec.Parametric shape, int tp, TargetProfile platform) {
            this.shape = shape;
            this.tp = tp;
            this.platform = platform;
        }

        @Override
        public double prefillSeconds(int promptTokens, int batch) {
            return prefill.computeIfAbsent(batch, b -> new StepCurve(t -> PhaseRun.seconds(
                    LlamaTemplate.lower(shape, tp, t, t, b), LlamaTemplate.PREFILL, platform))).seconds(promptTokens);
        }

        /** The step that attends over the cache's {@code kvLengthTokens} plus the new token's own. */
        @Override
        public double decodeStepSeconds(int kvLengthTokens, int batch) {
            long positions = kvLengthTokens + 1L;
            long context = Math.max(2, shape.maxContextTokens());
            if (positions > context) {
                throw new ModelResolutionException(shape.label() + " serves a context of " + context + " tokens; a decode "
                        + "step after " + kvLengthTokens + " is beyond it");
            }
            return decode.computeIfAbsent(batch, b -> StepModel.fit(k -> PhaseRun.seconds(
                    LlamaTemplate.lower(shape, tp, 1, k, b), LlamaTemplate.DECODE, platform), 1, context))
                    .secondsFor(positions);
        }
    }

    // ---- models written in DFK

    /** A phase of a referenced model: the program to time and which of its kernels (null: the whole schedule). */
    private record Phase(Program program, Set<String> kernels) {
    }

    private ResolvedModel program(ModelSpec.Reference reference, int tp, TargetProfile platform) {
        Model entry = programs.apply(reference.dfkUri());
        String file = fileName(reference.dfkUri());
        if (entry == null) {
            throw new ModelResolutionException("cannot read the program " + file + " (" + reference.dfkUri() + ")");
        }
        Phase prefill = phase(entry, file, reference.prefill(), tp);
        Phase decode = reference.decode().isEmpty() ? null : phase(entry, file, reference.decode(), tp);
        long weights = weightBytes(prefill.program());
        long state = stateBytes(prefill.program());
        if (decode != null) {
            weights = Math.max(weights, weightBytes(decode.program()));
            state = Math.max(state, stateBytes(decode.program()));
        }
        ModelFootprint footprint = new ModelFootprint(weights, 0, Integer.MAX_VALUE, state);
        DoubleSupplier prefillSeconds = once(() -> PhaseRun.seconds(prefill.program(), prefill.kernels(), platform));
        DoubleSupplier decodeSeconds = decode == null ? () -> {
            throw new ModelResolutionException(file + " names no decode phase; add 'decode kernel NAME' or 'decode "
                    + "schedule NAME' to its model");
        } : once(() -> PhaseRun.seconds(decode.program(), decode.kernels(), platform));
        return new ResolvedModel(footprint, new ModelTiming() {
            @Override
            public double prefillSeconds(int promptTokens, int batch) {
                return prefillSeconds.getAsDouble();
            }

            @Override
            public double decodeStepSeconds(int kvLengthTokens, int batch) {
                return decodeSeconds.getAsDouble();
            }
        });
    }

    /** The program and kernels a phase's name stands for: the entry's schedule, an imported file's schedule, or a kernel. */
    private Phase phase(Model entry, String file, String name, int tp) {
        if (name.equals(CoeLowering.WHOLE_SCHEDULE) || scheduleNamed(entry, name) != null) {
            return checked(entry, file, null, tp);
        }
        for (Model model : imported(entry)) {
            if (scheduleNamed(model, name) != null) {
                return checked(model, fileName(model.eResource().getURI().toString()), null, tp);
            }
        }
        return checked(entry, file, Set.of(name), tp);
    }

    private static Phase checked(Model model, String file, Set<String> kernels, int tp) {
        LoweringResult lowered = DfkLowering.lower(model);
        String errors = lowered.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).map(Diagnostic::message)
                .limit(3).collect(Collectors.joining("; "));
        if (!errors.isEmpty()) {
            throw new ModelResolutionException(file + " has errors (" + errors + "); run dfk check " + file);
        }
        Program program = lowered.program();
        if (kernels != null && program.kernels().values().stream().noneMatch(k -> kernels.contains(k.name()))) {
            throw new ModelResolutionException("no kernel or schedule named " + String.join(", ", kernels) + " in " + file
                    + " (or the files it imports); its kernels: " + program.kernels().values().stream().map(Kernel::name)
                            .distinct().collect(Collectors.joining(", ")));
        }
        int widest = program.kernels().values().stream().filter(k -> kernels == null || kernels.contains(k.name()))
                .mapToInt(k -> k.hints().tensorParallel()).max().orElse(1);
        if (widest != tp) {
            throw new ModelResolutionException(file + " splits its kernels over " + widest + (widest == 1 ? " socket"
                    : " sockets") + " (tp = " + widest + "), but the model is declared with tp " + tp + "; declare tp "
                    + widest + " or change the program's tp hints");
        }
        return new Phase(program, kernels);
    }

    private static Schedule scheduleNamed(Model model, String name) {
        for (TopElement element : model.getElements()) {
            if (element instanceof Schedule s && name.equals(s.getName())) {
                return s;
            }
        }
        return null;
    }

    private static Iterable<Model> imported(Model entry) {
        LinkedHashSet<URI> uris = new LinkedHashSet<>();
        DfkImportUriGlobalScopeProvider.collect(entry.eResource(), uris);
        return uris.stream().map(uri -> DfkImportUriGlobalScopeProvider.load(entry.eResource(), uri))
                .filter(r -> r != null && !r.getContents().isEmpty() && r.getContents().get(0) instanceof Model)
                .map(r -> (Model) r.getContents().get(0)).toList();
    }

    private static long weightBytes(Program program) {
        return bytes(program, Role.WEIGHT);
    }

    private static long stateBytes(Program program) {
        return bytes(program, Role.STATE);
    }

    private static long bytes(Program program, Role role) {
        long total = 0;
        for (TensorDecl t : program.tensors()) {
            if (t.role() == role) {
                total = saturatedAdd(total, t.type().bytes());
            }
        }
        return total;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static String fileName(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    /** {@code compute} run at the first call and remembered; a failure is not remembered, so it recurs with its message. */
    private static DoubleSupplier once(DoubleSupplier compute) {
        return new DoubleSupplier() {
            private volatile Double value;

            @Override
            public synchronized double getAsDouble() {
                if (value == null) {
                    value = compute.getAsDouble();
                }
                return value;
            }
        };
    }
}
