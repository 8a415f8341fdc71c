package io.rdustudio.coelang.lowering;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.util.CancelIndicator;

import io.rdustudio.coe.model.CachePolicy;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.ExpertMix;
import io.rdustudio.coe.model.Hardware;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.NodeAssignment;
import io.rdustudio.coe.model.RouterDecl;
import io.rdustudio.coe.model.RuntimePolicy;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.coelang.coe.CoePackage;
import io.rdustudio.coelang.coe.Descriptor;
import io.rdustudio.coelang.coe.Duration;
import io.rdustudio.coelang.coe.Element;
import io.rdustudio.coelang.coe.Expert;
import io.rdustudio.coelang.coe.ExpertRange;
import io.rdustudio.coelang.coe.Mix;
import io.rdustudio.coelang.coe.ModelDecl;
import io.rdustudio.coelang.coe.ModelUse;
import io.rdustudio.coelang.coe.NodePlacement;
import io.rdustudio.coelang.coe.Parametric;
import io.rdustudio.coelang.coe.Phase;
import io.rdustudio.coelang.coe.PhaseKind;
import io.rdustudio.coelang.coe.Policy;
import io.rdustudio.coelang.coe.ProgramModel;
import io.rdustudio.coelang.coe.Router;
import io.rdustudio.coelang.coe.Spread;
import io.rdustudio.coelang.coe.Switch;
import io.rdustudio.coelang.coe.Trace;
import io.rdustudio.coelang.coe.WeightEntry;
import io.rdustudio.coelang.coe.Weights;
import io.rdustudio.coelang.coe.Zipf;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.dfk.lowering.DfkLowering;
import io.rdustudio.dfk.lowering.Locations;
import io.rdustudio.dfk.lowering.LoweringResult;
import io.rdustudio.dfk.scoping.DfkImportUriGlobalScopeProvider;

/**
 * The one step from a descriptor's syntax tree to the simulator's model
 * ({@link io.rdustudio.coe.model.Deployment}): declarations gathered, models looked up, numbers
 * checked and converted to their units, defaults filled in, paths resolved against the
 * descriptor's folder, expert ranges of a spread expanded to instance names.
 *
 * <p>It reports what the language itself gets wrong: numbers beyond what their field holds, a
 * missing router, a second router, hardware, policy or spread, a model written twice or missing a
 * required figure, a program that is not a .dfk file or lacks a phase, a range outside its
 * expert's copies. Whatever a well-formed descriptor can still get wrong (sizes out of range,
 * shapes that cannot be split, what does not fit) is the simulator's {@code DeploymentCheck}'s to
 * say, on the deployment this returns. Never throws for a user's error.
 *
 * <p><b>API Boundary:</b> the result holds only the simulator's and the core's types; nothing
 * downstream sees an EMF object.
 */
public final class CoeLowering {

    /** What {@code prefill schedule} (no name) lowers to: the program's schedule. A DFK keyword, so never a kernel's name. */
    public static final String WHOLE_SCHEDULE = "schedule";

    /** What a count or an amount reads as once its separators are gone; anything else did not parse whole. */
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    /** Expert ranges of a spread that expand to more instance names than this are refused. */
    static final int MAX_EXPANDED_NAMES = 100_000;

    private final List<Diagnostic> problems = new ArrayList<>();
    private final Map<ModelDecl, ModelSpec> models = new LinkedHashMap<>();
    private final Set<ModelDecl> used = new HashSet<>();
    private final List<WeightEntry> weighed = new ArrayList<>();
    private final Map<Expert, ExpertDecl> declared = new HashMap<>();
    private final Map<EClass, EObject> singletons = new HashMap<>();
    private final Descriptor descriptor;

    private CoeLowering(Descriptor descriptor) {
        this.descriptor = descriptor;
    }

    public static CoeLoweringResult lower(Descriptor descriptor) {
        return new CoeLowering(descriptor).run();
    }

    private CoeLoweringResult run() {
        Hardware hardware = null;
        RouterDecl router = null;
        RuntimePolicy policy = null;
        Spread spread = null;
        List<ExpertDecl> experts = new ArrayList<>();
        List<Workload> workloads = new ArrayList<>();
        Map<String, EObject> names = new HashMap<>();
        for (Element element : descriptor.getElements()) {
            if (element instanceof io.rdustudio.coelang.coe.Hardware h) {
                if (once(h, "hardware")) {
                    hardware = hardware(h);
                }
            } else if (element instanceof ModelDecl m) {
                unique(names, m.getName(), m, "model");
                declaredModel(m);
            } else if (element instanceof Router r) {
                if (once(r, "router")) {
                    router = router(r);
                }
            } else if (element instanceof Expert e) {
                ExpertDecl decl = expert(e);
                if (decl != null) {
                    experts.add(decl);
                    declared.put(e, decl);
                }
            } else if (element instanceof Policy p) {
                if (once(p, "policy")) {
                    policy = policy(p);
                }
            } else if (element instanceof io.rdustudio.coelang.coe.Workload w) {
                unique(names, w.getName(), w, "workload");
                Workload workload = workload(w);
                if (workload != null) {
                    workloads.add(workload);
                }
            } else if (element instanceof Spread s) {
                if (once(s, "spread")) {
                    spread = s;
                }
            }
        }
        if (!singletons.containsKey(CoePackage.Literals.ROUTER)) {
            error("coe.no-router", "a deployment needs a router: add a line such as 'router: llama2_7b, tp 8' (the model "
                    + "that picks each prompt's expert)", where());
        }
        List<NodeAssignment> assignments = spread == null ? List.of() : spread(spread);
        checkMixes(experts);
        unusedModels();
        boolean failed = problems.stream().anyMatch(d -> d.severity() == Severity.ERROR);
        if (failed || router == null) {
            return new CoeLoweringResult(null, problems);
        }
        Deployment deployment = new Deployment(name(), hardware == null ? Hardware.DEFAULT : hardware, router, experts,
                policy == null ? RuntimePolicy.DEFAULT : policy, workloads, assignments, where());
        return new CoeLoweringResult(deployment, problems);
    }

    // ---- declarations

    private Hardware hardware(io.rdustudio.coelang.coe.Hardware h) {
        String profile = h.getProfile() != null ? h.getProfile().replace(" ", "")
                : h.getProfileFile() != null ? resolvePath(h.getProfileFile(), h, CoePackage.Literals.HARDWARE__PROFILE_FILE)
                        .map(Path::toString).orElse(h.getProfileFile())
                : Hardware.DEFAULT_PROFILE;
        int nodes = h.getNodes() == null ? 1 : intValue(h, CoePackage.Literals.HARDWARE__NODES, "nodes");
        return new Hardware(profile, nodes, Places.of(h));
    }

    private RouterDecl router(Router r) {
        twice(r, CoePackage.Literals.ROUTER__WEIGHTS_TIER, "weights");
        twice(r, CoePackage.Literals.ROUTER__TP, "tp");
        ModelSpec model = model(r.getModel(), false);
        int tp = r.getTp() == null ? 1 : intValue(r, CoePackage.Literals.ROUTER__TP, "tp");
        Optional<Tier> tier = r.eIsSet(CoePackage.Literals.ROUTER__WEIGHTS_TIER)
                ? Tier.fromKeyword(r.getWeightsTier().getLiteral()) : Optional.empty();
        return model == null ? null : new RouterDecl(model, tier, tp, Places.of(r));
    }

    private ExpertDecl expert(Expert e) {
        twice(e, CoePackage.Literals.EXPERT__DOMAIN, "domain");
        twice(e, CoePackage.Literals.EXPERT__DTYPE, "dtype");
        twice(e, CoePackage.Literals.EXPERT__TP, "tp");
        twice(e, CoePackage.Literals.EXPERT__PINNED, "pinned");
        ModelSpec model = model(e.getModel(), true);
        int tp = e.getTp() == null ? 1 : intValue(e, CoePackage.Literals.EXPERT__TP, "tp");
        int count = e.getCount() == null ? 1 : intValue(e, CoePackage.Literals.EXPERT__COUNT, "experts");
        DType dtype;
        if (e.eIsSet(CoePackage.Literals.EXPERT__DTYPE)) {
            dtype = dtype(e.getDtype());
            if (model instanceof ModelSpec.Reference) {
                problems.add(Diagnostic.warning("coe.dtype-ignored", "dtype is ignored for a model written in DFK: the "
                        + "program's tensors carry their own types; remove it", Places.of(e, CoePackage.Literals.EXPERT__DTYPE)));
            }
        } else {
            dtype = model instanceof ModelSpec.Parametric p ? p.dtype() : DType.BF16;
        }
        if (model == null || e.getName() == null) {
            return null;
        }
        return new ExpertDecl(e.getName(), model, e.getDomain() == null ? "" : e.getDomain(), dtype, tp, e.isPinned(),
                count, Places.of(e));
    }

    private RuntimePolicy policy(Policy p) {
        CachePolicy cache = CachePolicy.LRU;
        int batch = p.getBatch() == null ? RuntimePolicy.DEFAULT.batchSize()
                : intValue(p, CoePackage.Literals.POLICY__BATCH, "batch");
        double wait = p.getWait() == null ? RuntimePolicy.DEFAULT.maxBatchWaitSeconds() : seconds(p.getWait());
        int maxOutput = p.getMaxOutput() == null ? RuntimePolicy.DEFAULT.maxOutputTokens()
                : intValue(p, CoePackage.Literals.POLICY__MAX_OUTPUT, "max output");
        boolean prefetch = p.eIsSet(CoePackage.Literals.POLICY__PREFETCH)
                && p.getPrefetch() == Switch.ON;
        return new RuntimePolicy(cache, batch, wait, maxOutput, prefetch, Places.of(p));
    }

    private Workload workload(io.rdustudio.coelang.coe.Workload w) {
        ExpertMix mix = w.getMix() == null ? new ExpertMix.Uniform() : mix(w.getMix());
        boolean trace = mix instanceof ExpertMix.Trace;
        String lengths = trace ? " (trace lines without their own lengths take the workload's)"
                : " (or 'mix trace \"FILE.jsonl\"' to replay requests)";
        require(w, w.getPrompt(), "prompt", "prompt 128 tokens", lengths);
        require(w, w.getOutput(), "output", "output 20 tokens", lengths);
        if (!trace) {
            require(w, w.getRate(), "arrivals", "arrivals 2 per second", lengths);
        }
        int prompt = w.getPrompt() == null ? 0 : intValue(w, CoePackage.Literals.WORKLOAD__PROMPT, "prompt");
        int output = w.getOutput() == null ? 0 : intValue(w, CoePackage.Literals.WORKLOAD__OUTPUT, "output");
        double rate = w.getRate() == null ? 0 : perSecond(w);
        int requests = w.getRequests() == null ? (trace ? 0 : Workload.DEFAULT_REQUESTS)
                : intValue(w, CoePackage.Literals.WORKLOAD__REQUESTS, "requests");
        long seed = w.getSeed() == null ? Workload.DEFAULT_SEED : longValue(w, CoePackage.Literals.WORKLOAD__SEED, "seed");
        if (mix == null || w.getName() == null) {
            return null;
        }
        Workload workload = new Workload(w.getName(), prompt, output, rate, mix, requests, seed, Places.of(w));
        return w.getBatch() == null ? workload
                : workload.withBatchSize(intValue(w, CoePackage.Literals.WORKLOAD__BATCH, "batch"));
    }

    private ExpertMix mix(Mix mix) {
        if (mix instanceof Zipf z) {
            return new ExpertMix.Zipf(doubleValue(z, CoePackage.Literals.ZIPF__S, "the Zipf exponent"));
        }
        if (mix instanceof Weights weights) {
            Map<String, Double> byName = new LinkedHashMap<>();
            for (WeightEntry entry : weights.getEntries()) {
                if (entry.getKey() == null) {
                    continue;
                }
                if (byName.containsKey(entry.getKey())) {
                    error("coe.duplicate", "'" + entry.getKey() + "' is weighed twice; give each expert or domain one weight",
                            Places.of(entry));
                }
                byName.put(entry.getKey(), doubleValue(entry, CoePackage.Literals.WEIGHT_ENTRY__WEIGHT, "a weight"));
                weighed.add(entry);
            }
            return new ExpertMix.Weights(byName);
        }
        if (mix instanceof Trace t) {
            Optional<Path> path = resolvePath(t.getFile(), t, CoePackage.Literals.TRACE__FILE);
            if (path.isPresent() && !Files.isRegularFile(path.get())) {
                error("coe.trace-missing", "no trace file " + path.get() + "; paths are relative to this descriptor's folder",
                        Places.of(t, CoePackage.Literals.TRACE__FILE));
            }
            return path.map(ExpertMix.Trace::new).orElse(null);
        }
        return new ExpertMix.Uniform();
    }

    private List<NodeAssignment> spread(Spread spread) {
        List<NodeAssignment> out = new ArrayList<>();
        for (NodePlacement placement : spread.getNodes()) {
            int node = intValue(placement, CoePackage.Literals.NODE_PLACEMENT__NODE, "node");
            List<String> experts = new ArrayList<>();
            for (ExpertRange range : placement.getExperts()) {
                ExpertDecl expert = declared.get(range.getExpert());
                if (expert != null) {
                    names(range, expert, experts); // else the linker reports the unknown name
                }
            }
            out.add(new NodeAssignment(node, experts, Places.of(placement)));
        }
        return out;
    }

    /** The instance names {@code range} stands for: the declared name for all copies, else one name per copy. */
    private void names(ExpertRange range, ExpertDecl expert, List<String> into) {
        if (range.getFrom() == null) {
            into.add(expert.name());
            return;
        }
        long count = expert.count();
        long from = count(range.getFrom());
        long to = range.getTo() == null ? from + 1 : count(range.getTo());
        if (from < 0 || to > count || from >= to) {
            String copies = expert.name() + " has " + count + (count == 1 ? " copy" : " copies") + ", numbered 0 to "
                    + (count - 1);
            error("coe.bad-range", range.getTo() == null ? copies + "; there is no copy " + from
                    : copies + "; [" + from + ".." + to + "] must satisfy 0 <= start < end <= " + count
                            + " (the end is not included, as in DFK's ranges)", Places.of(range));
            return;
        }
        if (from == 0 && to == count) {
            into.add(expert.name());
            return;
        }
        if (to - from > MAX_EXPANDED_NAMES) {
            error("coe.bad-range", "[" + from + ".." + to + "] names " + (to - from) + " copies; a spread takes at most "
                    + MAX_EXPANDED_NAMES + " per range", Places.of(range));
            return;
        }
        for (long i = from; i < to; i++) {
            into.add(expert.instanceName((int) i));
        }
    }

    /**
     * A weight's key names an expert (declared or one copy's instance name) or a domain: reported
     * at the key, so the editor marks the word to fix.
     */
    private void checkMixes(List<ExpertDecl> experts) {
        Set<String> domains = new TreeSet<>();
        experts.forEach(e -> {
            if (!e.domain().isEmpty()) {
                domains.add(e.domain());
            }
        });
        for (WeightEntry entry : weighed) {
            String key = entry.getKey();
            if (!domains.contains(key) && experts.stream().noneMatch(e -> names(e, key))) {
                error("coe.unknown-expert", "'" + key + "' is no expert, copy or domain of this deployment; the experts: "
                        + String.join(", ", experts.stream().map(ExpertDecl::name).toList()) + "; the domains: "
                        + (domains.isEmpty() ? "none" : String.join(", ", domains)),
                        Places.of(entry, CoePackage.Literals.WEIGHT_ENTRY__KEY));
            }
        }
    }

    /** Whether {@code key} is the declared name of {@code e} or the instance name of one of its copies. */
    private static boolean names(ExpertDecl e, String key) {
        return e.name().equals(key) || copyIndex(e, key) >= 0;
    }

    /** Which copy of {@code e} {@code instance} names ({@code general_003}: 3), or -1 when none. */
    static int copyIndex(ExpertDecl e, String instance) {
        String stem = e.name() + "_";
        if (e.count() <= 1 || !instance.startsWith(stem) || !instance.substring(stem.length()).matches("[0-9]{1,9}")) {
            return -1;
        }
        int index = Integer.parseInt(instance.substring(stem.length()));
        return index < e.count() && e.instanceName(index).equals(instance) ? index : -1;
    }

    // ---- models

    /** The model of a router ({@code expert} false) or an expert; null when it cannot be lowered (reported). */
    private ModelSpec model(ModelUse use, boolean expert) {
        if (use == null) {
            return null;
        }
        if (use.getInline() != null) {
            return spec(use.getInline(), null, use, expert);
        }
        ModelDecl decl = use.getRef();
        if (decl == null || decl.eIsProxy()) {
            return null; // the linker reports the unknown name
        }
        used.add(decl);
        ModelSpec spec = declaredModel(decl);
        if (expert && spec instanceof ModelSpec.Reference ref && ref.decode().isEmpty()) {
            error("coe.no-decode", "model " + decl.getName() + " has no decode phase, and an expert generates tokens; add "
                    + "'decode kernel NAME' or 'decode schedule NAME' to it", Places.of(use));
        }
        return spec;
    }

    private ModelSpec declaredModel(ModelDecl decl) {
        if (!models.containsKey(decl)) {
            models.put(decl, spec(decl.getSpec(), decl.getName(), decl, false));
        }
        return models.get(decl);
    }

    private void unusedModels() {
        for (ModelDecl decl : models.keySet()) {
            if (!used.contains(decl)) {
                problems.add(Diagnostic.warning("coe.unused-model", "model " + decl.getName() + " is never used; give it to "
                        + "the router or an expert, or remove it", Places.of(decl, CoePackage.Literals.MODEL_DECL__NAME)));
            }
        }
    }

    private ModelSpec spec(io.rdustudio.coelang.coe.ModelSpec spec, String name, EObject at, boolean expert) {
        if (spec instanceof Parametric p) {
            return parametric(p, name);
        }
        if (spec instanceof ProgramModel program) {
            ModelSpec.Reference reference = reference(program);
            if (reference != null && expert && reference.decode().isEmpty()) {
                error("coe.no-decode", "an expert generates tokens, so its model needs a decode phase: add 'decode kernel "
                        + "NAME' or 'decode schedule NAME'", Places.of(program));
            }
            return reference;
        }
        return null;
    }

    private ModelSpec parametric(Parametric p, String name) {
        String who = name == null ? "the model" : "model " + name;
        List<String> missing = new ArrayList<>();
        int layers = figure(p, p.getLayers(), CoePackage.Literals.PARAMETRIC__LAYERS, "layers", missing);
        int heads = figure(p, p.getHeads(), CoePackage.Literals.PARAMETRIC__HEADS, "heads", missing);
        int context = figure(p, p.getContext(), CoePackage.Literals.PARAMETRIC__CONTEXT, "context", missing);
        long hidden = longFigure(p, p.getHidden(), CoePackage.Literals.PARAMETRIC__HIDDEN, "hidden", missing);
        long ffn = longFigure(p, p.getFfn(), CoePackage.Literals.PARAMETRIC__FFN, "ffn", missing);
        long vocab = longFigure(p, p.getVocab(), CoePackage.Literals.PARAMETRIC__VOCAB, "vocab", missing);
        int kvHeads = p.getKvHeads() == null ? heads : intValue(p, CoePackage.Literals.PARAMETRIC__KV_HEADS, "kv heads");
        if (!missing.isEmpty()) {
            error("coe.incomplete-model", who + " needs " + String.join(", ", missing) + " (Llama2-7B: layers 32, hidden "
                    + "4096, heads 32, ffn 11008, vocab 32000, context 4096 tokens)", Places.of(p));
        }
        DType dtype = p.eIsSet(CoePackage.Literals.PARAMETRIC__DTYPE) ? dtype(p.getDtype()) : DType.BF16;
        if (!dtype.isFloating()) {
            error("coe.bad-dtype", who + " has dtype " + dtype.keyword() + "; weights are a floating type: bf16, fp32, "
                    + "fp8e4m3 or fp8e5m2", Places.of(p, CoePackage.Literals.PARAMETRIC__DTYPE));
        }
        String className = p.getClassName() != null ? p.getClassName() : name != null ? name : "parametric model";
        return new ModelSpec.Parametric(className, layers, hidden, heads, kvHeads, ffn, vocab, dtype, context);
    }

    private ModelSpec.Reference reference(ProgramModel program) {
        Resource here = program.eResource();
        URI uri = programUri(program.getProgram(), here, program, CoePackage.Literals.PROGRAM_MODEL__PROGRAM);
        if (uri == null) {
            return null;
        }
        Map<URI, Map<String, Long>> constants = new HashMap<>();
        constants.put(uri, checkProgram(program.getProgram(), here, uri,
                Places.of(program, CoePackage.Literals.PROGRAM_MODEL__PROGRAM)));
        Phase prefill = null;
        Phase decode = null;
        Map<Phase, URI> programs = new HashMap<>();
        for (Phase phase : program.getPhases()) {
            URI phaseUri = phase.getProgram() == null ? uri
                    : programUri(phase.getProgram(), here, phase, CoePackage.Literals.PHASE__PROGRAM);
            if (phaseUri == null) {
                return null;
            }
            programs.put(phase, phaseUri);
            if (!constants.containsKey(phaseUri)) {
                constants.put(phaseUri, checkProgram(phase.getProgram(), here, phaseUri,
                        Places.of(phase, CoePackage.Literals.PHASE__PROGRAM)));
            }
            boolean isPrefill = phase.getKind() == PhaseKind.PREFILL;
            if (isPrefill ? prefill != null : decode != null) {
                error("coe.duplicate", "a model has one " + phase.getKind().getLiteral() + " phase; remove this one",
                        Places.of(phase));
            } else if (isPrefill) {
                prefill = phase;
            } else {
                decode = phase;
            }
        }
        if (prefill == null) {
            error("coe.no-prefill", "the model needs its prefill: add 'prefill schedule' (the program's schedule) or "
                    + "'prefill kernel NAME'", Places.of(program));
            return null;
        }
        URI prefillUri = programs.get(prefill);
        URI decodeUri = decode == null ? prefillUri : programs.get(decode);
        List<URI> both = decodeUri.equals(prefillUri) ? List.of(prefillUri) : List.of(prefillUri, decodeUri);
        String promptLength = binding(program, CoePackage.Literals.PROGRAM_MODEL__PROMPT_LENGTH, "prompt length",
                List.of(prefillUri), constants);
        String kvLength = decode == null && program.getKvLength() != null ? noDecodeForKv(program)
                : binding(program, CoePackage.Literals.PROGRAM_MODEL__KV_LENGTH, "KV length", List.of(decodeUri), constants);
        String batch = binding(program, CoePackage.Literals.PROGRAM_MODEL__BATCH, "batch", both, constants);
        return new ModelSpec.Reference(decodeUri.toString(), element(prefill), decode == null ? "" : element(decode),
                prefillUri.toString(), new ModelSpec.Reference.Bindings(promptLength, kvLength, batch));
    }

    /** The program {@code written} names, relative to the descriptor; null (reported) when it is not a .dfk file. */
    private URI programUri(String written, Resource here, EObject at, EStructuralFeature feature) {
        URI uri = here == null || written == null ? null : DfkImportUriGlobalScopeProvider.resolve(here, written);
        if (uri == null || !written.endsWith(".dfk")) {
            error("coe.bad-program", "a model's program is a .dfk file; '" + written + "' does not end in .dfk",
                    Places.of(at, feature));
            return null;
        }
        return uri;
    }

    private String noDecodeForKv(ProgramModel program) {
        error("coe.bad-binding", "kv length names a constant of the decode step's program, and this model has no decode "
                + "phase; remove it, or add 'decode kernel NAME' or 'decode schedule NAME'",
                Places.of(program, CoePackage.Literals.PROGRAM_MODEL__KV_LENGTH));
        return "";
    }

    /**
     * The name of the constant a binding names, "" when unbound. The linker has found it in one of
     * {@code programs} (else it reports the name); it must be an integer constant of each of them.
     */
    private String binding(ProgramModel program, EReference feature, String what, List<URI> programs,
            Map<URI, Map<String, Long>> constants) {
        io.rdustudio.dfk.dfk.Constant constant = (io.rdustudio.dfk.dfk.Constant) program.eGet(feature);
        if (constant == null || constant.eIsProxy() || constant.getName() == null) {
            return "";
        }
        SourceLocation at = Places.of(program, feature);
        if (Places.occurrences(program, feature) > 1) {
            error("coe.duplicate", what + " is bound twice; keep one", at);
        }
        String name = constant.getName();
        for (URI uri : programs) {
            Map<String, Long> integers = constants.get(uri);
            if (integers == null || integers.containsKey(name)) {
                continue; // a program that does not lower is reported at its name
            }
            String file = URI.decode(uri.lastSegment());
            String listed = integers.isEmpty() ? "none" : String.join(", ", new TreeSet<>(integers.keySet()));
            error("coe.bad-binding", (programs.size() > 1 ? "the batch is set in both phases' programs, and " : "") + file
                    + " has no integer constant " + name + " to hold the " + what + " (a length or a batch is a whole "
                    + "number); its integer constants: " + listed, at);
        }
        return name;
    }

    /**
     * The program must load and lower cleanly: a model cannot be timed from a program with errors.
     * Returns its integer constants (what a binding may name), null when it does not lower.
     */
    private Map<String, Long> checkProgram(String written, Resource here, URI uri, SourceLocation at) {
        Resource resource = DfkImportUriGlobalScopeProvider.load(here, uri);
        if (resource == null || resource.getContents().isEmpty()
                || !(resource.getContents().get(0) instanceof io.rdustudio.dfk.dfk.Model model)) {
            error("coe.bad-program", "cannot read '" + written + "': no such file (looked for "
                    + (uri.isFile() ? uri.toFileString() : uri.toString()) + "); paths are relative to this descriptor", at);
            return null;
        }
        List<Diagnostic> errors = new ArrayList<>();
        EcoreUtil2.resolveLazyCrossReferences(resource, CancelIndicator.NullImpl);
        resource.getErrors().forEach(e -> errors.add(Diagnostic.error("dfk.syntax", e.getMessage(),
                new SourceLocation(uri.toString(), 0, 0, e.getLine(), e.getColumn()))));
        LoweringResult lowered = errors.isEmpty() ? DfkLowering.lower(model) : null;
        if (lowered != null) {
            lowered.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).forEach(errors::add);
        }
        if (!errors.isEmpty()) {
            Diagnostic first = errors.get(0);
            error("coe.bad-program", written + " has " + errors.size() + (errors.size() == 1 ? " error" : " errors")
                    + "; the first, at " + first.location().line() + ":" + first.location().column() + ": "
                    + first.message() + "; run dfk check on it", at);
            return null;
        }
        return lowered.program().constants();
    }

    /** The name of the kernel or schedule a phase names, {@link #WHOLE_SCHEDULE} for an unnamed schedule. */
    private static String element(Phase phase) {
        if (phase.isSchedule()) {
            return phase.getScheduleRef() == null || phase.getScheduleRef().eIsProxy()
                    ? nameWritten(phase, CoePackage.Literals.PHASE__SCHEDULE_REF)
                    : phase.getScheduleRef().getName();
        }
        return phase.getKernel() == null || phase.getKernel().eIsProxy()
                ? nameWritten(phase, CoePackage.Literals.PHASE__KERNEL) : phase.getKernel().getName();
    }

    private static String nameWritten(Phase phase, EStructuralFeature feature) {
        String text = Locations.text(phase, feature).strip();
        return text.isEmpty() ? WHOLE_SCHEDULE : text;
    }

    // ---- numbers and units

    private int figure(EObject owner, String text, EStructuralFeature feature, String what, List<String> missing) {
        if (text == null) {
            missing.add(what);
            return 0;
        }
        return intValue(owner, feature, what);
    }

    private long longFigure(EObject owner, String text, EStructuralFeature feature, String what, List<String> missing) {
        if (text == null) {
            missing.add(what);
            return 0;
        }
        return longValue(owner, feature, what);
    }

    private int intValue(EObject owner, EStructuralFeature feature, String what) {
        return (int) integer(owner, feature, what, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private long longValue(EObject owner, EStructuralFeature feature, String what) {
        return integer(owner, feature, what, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private long integer(EObject owner, EStructuralFeature feature, String what, long min, long max) {
        String text = (String) owner.eGet(feature);
        if (!NUMBER.matcher(digits(text)).matches()) {
            return 0; // a number the parser could not read whole, which it reports
        }
        BigInteger value = new BigInteger(digits(text));
        if (value.compareTo(BigInteger.valueOf(max)) > 0 || value.compareTo(BigInteger.valueOf(min)) < 0) {
            error("coe.number-too-large", what + " " + text.strip() + " is beyond what a descriptor takes (at most "
                    + String.format(Locale.ROOT, "%,d", max) + ")", Places.of(owner, feature));
            return 0;
        }
        return value.longValue();
    }

    /** A count written in a spread or an expert declaration, saturated instead of reported (the fields report it). */
    private static long count(String text) {
        if (!NUMBER.matcher(digits(text)).matches()) {
            return 0;
        }
        BigInteger value = new BigInteger(digits(text));
        return value.bitLength() < 63 ? value.longValue() : value.signum() * Long.MAX_VALUE;
    }

    private double doubleValue(EObject owner, EStructuralFeature feature, String what) {
        String text = (String) owner.eGet(feature);
        if (!DECIMAL.matcher(digits(text)).matches()) {
            return 0;
        }
        double value = new BigDecimal(digits(text)).doubleValue();
        if (Double.isInfinite(value)) {
            error("coe.number-too-large", what + " " + text.strip() + " is too large to compute with",
                    Places.of(owner, feature));
            return 0;
        }
        return value;
    }

    /** The number's text without digit separators or the space a sign may be written with; "" for none. */
    private static String digits(String text) {
        return text == null ? "" : text.replace("_", "").replaceAll("\\s", "");
    }

    private double seconds(Duration d) {
        double value = doubleValue(d, CoePackage.Literals.DURATION__VALUE, "the wait");
        return switch (d.getUnit()) {
            case US -> value * 1e-6;
            case MS -> value * 1e-3;
            case S -> value;
        };
    }

    private double perSecond(io.rdustudio.coelang.coe.Workload w) {
        double value = doubleValue(w, CoePackage.Literals.WORKLOAD__RATE, "the arrival rate");
        return switch (w.getPer()) {
            case SECOND -> value;
            case MINUTE -> value / 60;
            case HOUR -> value / 3600;
        };
    }

    private static DType dtype(io.rdustudio.dfk.dfk.DType written) {
        return DType.fromKeyword(written.getLiteral()).orElse(DType.BF16);
    }

    // ---- paths, names and checks

    /** {@code written} resolved against the descriptor's folder; empty (reported) when it is not a path. */
    private Optional<Path> resolvePath(String written, EObject at, EStructuralFeature feature) {
        try {
            Path path = Path.of(written);
            Resource here = at.eResource();
            URI uri = here == null ? null : here.getURI();
            if (!path.isAbsolute() && uri != null && uri.isFile()) {
                Path folder = Path.of(uri.toFileString()).toAbsolutePath().getParent();
                path = folder == null ? path : folder.resolve(path).normalize();
            }
            return Optional.of(path);
        } catch (InvalidPathException e) {
            error("coe.bad-path", "'" + written + "' is not a valid file name (" + e.getReason() + ")",
                    Places.of(at, feature));
            return Optional.empty();
        }
    }

    private boolean once(EObject element, String what) {
        if (singletons.putIfAbsent(element.eClass(), element) != null) {
            error("coe.duplicate", "a deployment has one " + what + "; merge this one into the first", Places.of(element));
            return false;
        }
        return true;
    }

    private void unique(Map<String, EObject> names, String name, EObject element, String what) {
        if (name == null) {
            return;
        }
        EObject first = names.putIfAbsent(name, element);
        if (first != null) {
            error("coe.duplicate", "the name " + name + " is taken by an earlier " + (first instanceof ModelDecl ? "model"
                    : "workload") + " (line " + Places.of(first).line() + "); rename this " + what, Places.of(element));
        }
    }

    private void twice(EObject owner, EStructuralFeature feature, String what) {
        if (Places.occurrences(owner, feature) > 1) {
            error("coe.duplicate", what + " is given twice; keep one", Places.of(owner));
        }
    }

    private void require(io.rdustudio.coelang.coe.Workload w, String value, String what, String example, String why) {
        if (value == null) {
            error("coe.incomplete-workload", "workload " + w.getName() + " needs " + what + ", for example '" + example
                    + "'" + why, Places.of(w));
        }
    }

    private void error(String code, String message, SourceLocation at) {
        problems.add(Diagnostic.error(code, message, at));
    }

    private String name() {
        if (descriptor.getName() != null) {
            return descriptor.getName();
        }
        URI uri = descriptor.eResource() == null ? null : descriptor.eResource().getURI();
        String last = uri == null || uri.lastSegment() == null ? "deployment" : URI.decode(uri.lastSegment());
        return last.endsWith(".coe") ? last.substring(0, last.length() - 4) : last;
    }

    /** Where the deployment is declared: its {@code deployment NAME} line, else the file's start. */
    private SourceLocation where() {
        if (descriptor.getName() != null) {
            return Places.of(descriptor, CoePackage.Literals.DESCRIPTOR__NAME);
        }
        SourceLocation file = Places.of(descriptor);
        return new SourceLocation(file.uri(), 0, 0, 1, 1);
    }
}
