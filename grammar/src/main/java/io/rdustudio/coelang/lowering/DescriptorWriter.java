package io.rdustudio.coelang.lowering;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.IGrammarAccess;

import com.google.inject.Inject;

import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.ExpertMix;
import io.rdustudio.coe.model.Hardware;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.NodeAssignment;
import io.rdustudio.coe.model.RouterDecl;
import io.rdustudio.coe.model.RuntimePolicy;
import io.rdustudio.coe.model.Workload;

/**
 * The inverse of {@link CoeLowering}: a deployment written as a descriptor ({@code dfk coe import}
 * turns a JSON deployment into one). Lowering what this writes gives the same deployment again.
 * Alike models are declared once ({@code model m1: ...}) and named by their uses; names that are
 * keywords of the language get the escape {@code ^}.
 */
public class DescriptorWriter {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z_][A-Za-z0-9_]*)*");

    private final Set<String> keywords;

    @Inject
    public DescriptorWriter(IGrammarAccess grammar) {
        this.keywords = GrammarUtil.getAllKeywords(grammar.getGrammar());
    }

    /**
     * @param header     comment lines to start with (without the {@code //})
     * @param path       how a file a deployment names (a program's URI, a trace, a profile file) is written
     * @param isSchedule whether the name a model's phase gives is a schedule of that program (else a kernel)
     * @throws IllegalArgumentException when a name cannot be written in a descriptor (the message says which)
     */
    public String write(Deployment d, List<String> header, Function<String, String> path,
            BiPredicate<String, String> isSchedule) {
        StringBuilder out = new StringBuilder();
        header.forEach(line -> out.append("// ").append(line).append('\n'));
        out.append("deployment ").append(name(d.name())).append("\n\n");
        out.append("hardware: ").append(profile(d.hardware(), path));
        if (d.hardware().nodes() != 1) {
            out.append(", nodes ").append(d.hardware().nodes());
        }
        out.append("\n\n");
        Map<ModelSpec, String> models = new LinkedHashMap<>();
        models.put(d.router().model(), "");
        d.experts().forEach(e -> models.putIfAbsent(e.model(), ""));
        Set<String> taken = new java.util.HashSet<>();
        d.workloads().forEach(w -> taken.add(w.name()));
        for (Map.Entry<ModelSpec, String> m : models.entrySet()) {
            String modelName = modelName(m.getKey(), taken);
            m.setValue(modelName);
            out.append("model ").append(modelName).append(": ").append(spec(m.getKey(), path, isSchedule)).append("\n");
        }
        out.append('\n').append(router(d.router(), models)).append('\n');
        for (ExpertDecl e : d.experts()) {
            out.append(expert(e, models)).append('\n');
        }
        out.append('\n').append(policy(d.policy())).append('\n');
        for (Workload w : d.workloads()) {
            out.append('\n').append(workload(w, path)).append('\n');
        }
        if (!d.spread().isEmpty()) {
            out.append("\nspread {\n");
            for (NodeAssignment a : d.spread()) {
                out.append("    node ").append(a.node()).append(": ").append(String.join(", ", ranges(a, d.experts())))
                        .append('\n');
            }
            out.append("}\n");
        }
        return out.toString();
    }

    /**
     * A node's experts as the language names them: a declared name for all its copies, copies by
     * index, consecutive ones as a range ({@code general_003, general_004} is {@code general[3..5]}).
     */
    private List<String> ranges(NodeAssignment a, List<ExpertDecl> experts) {
        List<String> out = new ArrayList<>();
        ExpertDecl runOf = null;
        int from = 0;
        int to = 0;
        for (String instance : a.experts()) {
            ExpertDecl decl = null;
            int index = -1;
            for (ExpertDecl e : experts) {
                if (e.name().equals(instance)) {
                    decl = e;
                    break;
                }
                index = CoeLowering.copyIndex(e, instance);
                if (index >= 0) {
                    decl = e;
                    break;
                }
            }
            if (runOf != null && (decl != runOf || index != to)) {
                out.add(range(runOf, from, to));
                runOf = null;
            }
            if (decl == null || index < 0) {
                out.add(name(instance));
            } else if (runOf == null) {
                runOf = decl;
                from = index;
                to = index + 1;
            } else {
                to++;
            }
        }
        if (runOf != null) {
            out.add(range(runOf, from, to));
        }
        return out;
    }

    private String range(ExpertDecl e, int from, int to) {
        return name(e.name()) + (to == from + 1 ? "[" + from + "]" : "[" + from + ".." + to + "]");
    }

    /** A model's name from its class ({@code llama2_7b_class}) or its program's file ({@code router}), unique. */
    private String modelName(ModelSpec spec, Set<String> taken) {
        String label = spec instanceof ModelSpec.Reference r ? r.dfkUri().substring(r.dfkUri().lastIndexOf('/') + 1)
                .replaceAll("\\.dfk$", "") : ((ModelSpec.Parametric) spec).className();
        String stem = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        stem = stem.isEmpty() || !NAME.matcher(stem).matches() ? "model_" + stem
                : keywords.contains(stem) ? stem + "_model" : stem;
        String name = stem;
        for (int i = 2; !taken.add(name); i++) {
            name = stem + "_" + i;
        }
        return name;
    }

    private String profile(Hardware h, Function<String, String> path) {
        String profile = h.targetProfile();
        return PROFILE_NAME.matcher(profile).matches() && !keywords.contains(profile) ? profile
                : quoted(path.apply(profile));
    }

    private String spec(ModelSpec spec, Function<String, String> path, BiPredicate<String, String> isSchedule) {
        if (spec instanceof ModelSpec.Parametric p) {
            return quoted(p.className()) + " {\n    layers " + p.layers() + "\n    hidden " + p.hidden() + "\n    heads "
                    + p.heads() + "\n    kv heads " + p.kvHeads() + "\n    ffn " + p.ffn() + "\n    vocab " + p.vocab()
                    + "\n    dtype " + p.dtype().keyword() + "\n    context " + p.maxContextTokens() + " tokens\n}";
        }
        ModelSpec.Reference r = (ModelSpec.Reference) spec;
        StringBuilder s = new StringBuilder("program ").append(quoted(path.apply(r.dfkUri()))).append(" {\n");
        s.append("    prefill ").append(phase(r.prefillDfkUri(), r.prefill(), isSchedule));
        if (r.splitPrograms()) {
            s.append(" in ").append(quoted(path.apply(r.prefillDfkUri())));
        }
        s.append('\n');
        if (!r.decode().isEmpty()) {
            s.append("    decode ").append(phase(r.dfkUri(), r.decode(), isSchedule)).append('\n');
        }
        ModelSpec.Reference.Bindings b = r.bindings();
        List<String> bound = List.of(b.promptLength(), b.kvLength(), b.batch());
        List<String> words = List.of("prompt length ", "kv length ", "batch ");
        for (int i = 0; i < bound.size(); i++) {
            if (!bound.get(i).isEmpty()) {
                s.append("    ").append(words.get(i)).append(name(bound.get(i))).append('\n');
            }
        }
        return s.append('}').toString();
    }

    private String phase(String uri, String element, BiPredicate<String, String> isSchedule) {
        if (element.equals(CoeLowering.WHOLE_SCHEDULE)) {
            return "schedule";
        }
        return (isSchedule.test(uri, element) ? "schedule " : "kernel ") + name(element);
    }

    private String router(RouterDecl r, Map<ModelSpec, String> models) {
        String s = "router: " + models.get(r.model());
        if (r.weightsTier().isPresent()) {
            s += ", weights in " + r.weightsTier().get().keyword();
        }
        return s + ", tp " + r.tensorParallel();
    }

    private String expert(ExpertDecl e, Map<ModelSpec, String> models) {
        StringBuilder s = new StringBuilder();
        s.append(e.count() == 1 ? "expert " : e.count() + " experts ").append(name(e.name())).append(": ")
                .append(models.get(e.model()));
        if (!e.domain().isEmpty()) {
            s.append(", domain ").append(quoted(e.domain()));
        }
        boolean ownDtype = e.model() instanceof ModelSpec.Parametric p ? p.dtype() != e.dtype() : false;
        if (ownDtype) {
            s.append(", dtype ").append(e.dtype().keyword());
        }
        s.append(", tp ").append(e.tensorParallel());
        if (e.pinned()) {
            s.append(", pinned");
        }
        return s.toString();
    }

    private static String policy(RuntimePolicy p) {
        return "policy {\n    cache " + p.cache().name().toLowerCase(Locale.ROOT) + "\n    batch " + p.batchSize()
                + "\n    wait " + number(p.maxBatchWaitSeconds() * 1000) + " ms\n    max output " + p.maxOutputTokens()
                + " tokens\n    prefetch " + (p.prefetch() ? "on" : "off") + "\n}";
    }

    private String workload(Workload w, Function<String, String> path) {
        List<String> lines = new ArrayList<>();
        lines.add("prompt " + w.promptTokens() + " tokens");
        lines.add("output " + w.outputTokens() + " tokens");
        if (!(w.mix() instanceof ExpertMix.Trace)) {
            lines.add("arrivals " + number(w.arrivalsPerSecond()) + " per second");
        }
        lines.add("requests " + w.requests());
        lines.add("seed " + w.seed());
        w.batchSize().ifPresent(b -> lines.add("batch " + b));
        lines.add("mix " + mix(w.mix(), path));
        return "workload " + name(w.name()) + " {\n    " + String.join("\n    ", lines) + "\n}";
    }

    private String mix(ExpertMix mix, Function<String, String> path) {
        if (mix instanceof ExpertMix.Zipf z) {
            return "zipf " + number(z.s());
        }
        if (mix instanceof ExpertMix.Weights w) {
            List<String> entries = new ArrayList<>();
            w.byExpertOrDomain().forEach((key, weight) -> entries.add(quoted(key) + " " + number(weight)));
            return "weights { " + String.join(", ", entries) + " }";
        }
        if (mix instanceof ExpertMix.Trace t) {
            return "trace " + quoted(path.apply(t.jsonLines().toString()));
        }
        return "uniform";
    }

    private String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("the name '" + name + "' cannot be written in a descriptor: names are "
                    + "letters, digits and _, not starting with a digit");
        }
        return keywords.contains(name) ? "^" + name : name;
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A decimal as the language writes it: no exponent, no trailing zeros. */
    private static String number(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(value + " cannot be written in a descriptor: numbers there are finite");
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }
}
