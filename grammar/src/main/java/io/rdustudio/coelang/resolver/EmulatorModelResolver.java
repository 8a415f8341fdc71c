package io.rdustudio.coelang.resolver;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.ResourceSet;

import io.rdustudio.coe.model.ModelFootprint;
import io.rdustudio.coe.model.ModelResolutionException;
import io.rdustudio.coe.model.ModelResolver;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.coelang.lowering.CoeLowering;
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
import io.rdustudio.dfk.scoping.DfkImportUriGlobalScopeProvider;

/**
 * The model resolver behind every CoE command and editor feature: model specs timed by the timing
 * emulator on the platform's profile (docs/coe.md, "How models are timed").
 *
 * <ul>
 * <li>A parametric model is the bundled Llama decoder template ({@link LlamaTemplate}) lowered with
 * its figures, its tensor-parallel degree, the prompt length, the KV length and the batch as
 * constant overrides. Its footprint is the shape's ({@link ModelFootprint#ofShape}: the template
 * declares exactly those weights) plus the workspace of the template's memory plan at the longest
 * prompt ({@link PlannedWorkspace}, per sequence). Its prefill and decode-step times come from
 * emulated runs at a few lengths ({@link EmulatedTiming}: a {@link StepCurve} for prompts, the
 * emulator's {@code StepModel} for KV lengths), memoised per (shape, degree, platform, batch) for the
 * whole process: the template never changes.
 * <li>A model written in DFK ({@link ModelSpec.Reference}) is timed the same way from its programs
 * (one for both phases, or one each), with the constants its bindings name set to the prompt length,
 * the KV length and the batch; a phase whose program binds none of them is emulated once, as written.
 * Each phase is the program's schedule, or the schedule's calls of one kernel. Its weights are the
 * programs' weight tensors; with the KV length bound, the state that grows with it is the KV cache
 * (bytes per token measured at two lengths, the context the program's own KV length) and the rest of
 * the state is workspace; unbound, all state is workspace. Memoised per resolver: the programs are
 * read from a resource set that an editor changes.
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
        BoundProgram template = LlamaTemplate.bound(shape, tp);
        long probe = Math.max(1, Math.min(128, shape.maxContextTokens()));
        template.lower(probe, probe, 1); // a shape that cannot be split fails here, at the check
        long longest = Math.max(1, shape.maxContextTokens());
        long perSequence = PlannedWorkspace.bytes(template.lower(longest, longest, 1), platform);
        return new ResolvedModel(ModelFootprint.ofShape(shape).withWorkspace(0, perSequence), new EmulatedTiming(
                new EmulatedTiming.Phase(template, LlamaTemplate.PREFILL), new EmulatedTiming.Phase(template,
                        LlamaTemplate.DECODE), shape.maxContextTokens(), shape.label(), platform));
    }

    // ---- models written in DFK

    /** Where a phase's name points: the program that declares it and which of its kernels (null: the whole schedule). */
    private record Source(Model model, String file, Set<String> kernels) {
    }

    private ResolvedModel program(ModelSpec.Reference reference, int tp, TargetProfile platform) {
        ModelSpec.Reference.Bindings b = reference.bindings();
        boolean one = !reference.splitPrograms();
        // a program binds what its phases take; one program holding both phases binds all three
        Source prefillSource = source(reference.prefillDfkUri(), reference.prefill());
        Source decodeSource = reference.decode().isEmpty() ? null : source(reference.dfkUri(), reference.decode());
        BoundProgram prefill = bound(prefillSource, tp, b.promptLength(), one ? b.kvLength() : "", b.batch());
        BoundProgram decode = decodeSource == null ? null
                : bound(decodeSource, tp, one ? b.promptLength() : "", b.kvLength(), b.batch());
        Program prefillAsWritten = prefill.asWritten();
        long weights = weightBytes(prefillAsWritten);
        long state = stateBytes(prefillAsWritten);
        long perToken = 0;
        long context = Integer.MAX_VALUE;
        if (decode != null) {
            Program decodeAsWritten = decode.asWritten();
            weights = Math.max(weights, weightBytes(decodeAsWritten));
            state = Math.max(state, stateBytes(decodeAsWritten));
        }
        if (decode != null && decode.bindsKv()) {
            // the state that grows with the KV length is the KV cache, sized by the footprint for the batch and context
            long atOne = stateBytes(decode.lower(1, 1, 1));
            perToken = stateBytes(decode.lower(1, 2, 1)) - atOne;
            state = Math.max(0, atOne - perToken);
            context = decode.written(decode.kvConstant());
        } else if (decode == null && prefill.bindsPrompt()) {
            context = prefill.written(prefill.promptConstant());
        }
        long[] prefillSpace = workspace(prefill, platform);
        long[] decodeSpace = decode == null ? new long[2] : workspace(decode, platform);
        ModelFootprint footprint = new ModelFootprint(weights, perToken, (int) Math.min(Integer.MAX_VALUE, Math.max(1, context)),
                saturatedAdd(state, Math.max(prefillSpace[0], decodeSpace[0])), Math.max(prefillSpace[1], decodeSpace[1]));
        return new ResolvedModel(footprint, new EmulatedTiming(new EmulatedTiming.Phase(prefill, prefillSource.kernels()),
                decode == null ? null : new EmulatedTiming.Phase(decode, decodeSource.kernels()), context, reference.label(),
                platform));
    }

    /** The workspace of a program's runs: what does not grow with the batch, and what each sequence adds. */
    private static long[] workspace(BoundProgram program, TargetProfile platform) {
        long one = PlannedWorkspace.bytes(program.atBatch(1), platform);
        if (!program.bindsBatch()) {
            return new long[] { one, 0 };
        }
        long perSequence = Math.max(0, PlannedWorkspace.bytes(program.atBatch(2), platform) - one);
        return new long[] { Math.max(0, one - perSequence), perSequence };
    }

    /** The program a phase names, checked as written: it lowers, names the kernel, splits it at {@code tp}. */
    private BoundProgram bound(Source source, int tp, String prompt, String kv, String batch) {
        BoundProgram program = new BoundProgram(source.model(), source.file() + " does not lower", Map.of(), prompt, kv,
                batch);
        check(program.asWritten(), source.file(), source.kernels(), tp);
        return program;
    }

    private Source source(String uri, String name) {
        Model entry = programs.apply(uri);
        String file = fileName(uri);
        if (entry == null) {
            throw new ModelResolutionException("cannot read the program " + file + " (" + uri + ")");
        }
        return phase(entry, file, name);
    }

    /** The program and kernels a phase's name stands for: the entry's schedule, an imported file's schedule, or a kernel. */
    private static Source phase(Model entry, String file, String name) {
        if (name.equals(CoeLowering.WHOLE_SCHEDULE) || scheduleNamed(entry, name) != null) {
            return new Source(entry, file, null);
        }
        for (Model model : imported(entry)) {
            if (scheduleNamed(model, name) != null) {
                return new Source(model, fileName(model.eResource().getURI().toString()), null);
            }
        }
        return new Source(entry, file, Set.of(name));
    }

    private static void check(Program program, String file, Set<String> kernels, int tp) {
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
}
