package io.rdustudio.coelang.ide;

import java.util.Optional;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.hover.HoverService;
import org.eclipse.xtext.resource.EObjectAtOffsetHelper;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;

import com.google.inject.Inject;

import io.rdustudio.coe.DeploymentFootprint;
import io.rdustudio.coe.ExpertFootprint;
import io.rdustudio.coe.RouterFootprint;
import io.rdustudio.coe.Units;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ModelResolutionException;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.ModelTiming;
import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.coelang.coe.Descriptor;
import io.rdustudio.coelang.coe.Expert;
import io.rdustudio.coelang.coe.ModelDecl;
import io.rdustudio.coelang.coe.Router;
import io.rdustudio.coelang.lowering.CoeAnalysis;
import io.rdustudio.coelang.lowering.CoeDeployments;
import io.rdustudio.core.ir.Tier;

/**
 * Hovers with what a deployment's declarations cost, in Markdown: on an expert (its declaration,
 * or a use of its name) its footprint per tier, its expert-switch time from DDR to HBM and its
 * prefill and per-token decode times from the emulator's timing model; on the router the same for
 * the router; on a model its parameters and sizes. Everything is read from the analysis of the
 * document version ({@link CoeDeployments}), whose resolver memoises the emulated timings, so a
 * hover and {@code dfk coe simulate} read the same numbers. Elsewhere, Xtext's documentation hover.
 */
public class CoeHoverService extends HoverService {

    /** Prompt length of the estimates when the deployment declares no workload. */
    static final int DEFAULT_PROMPT_TOKENS = 128;

    @Inject
    private CoeDeployments deployments;

    @Inject
    private EObjectAtOffsetHelper elements;

    @Override
    public Hover hover(Document document, XtextResource resource, HoverParams params, CancelIndicator cancelIndicator) {
        int offset = document.getOffSet(params.getPosition());
        EObject element = elements.resolveElementAt(resource, offset);
        CoeAnalysis analysis = element == null ? null : deployments.of(resource);
        if (analysis != null && analysis.footprint() != null) {
            Optional<String> markdown = describe(element, analysis);
            if (markdown.isPresent()) {
                return new Hover(new MarkupContent(MarkupKind.MARKDOWN, markdown.get()));
            }
        }
        return super.hover(document, resource, params, cancelIndicator);
    }

    static Optional<String> describe(EObject element, CoeAnalysis analysis) {
        DeploymentFootprint f = analysis.footprint();
        if (element instanceof Expert e) {
            return f.experts().stream().filter(x -> x.name().equals(e.getName())).findFirst()
                    .map(x -> expert(x, analysis));
        }
        if (element instanceof Router) {
            return f.router().map(r -> router(r, analysis));
        }
        if (element instanceof ModelDecl m && m.getName() != null) {
            return specOf(m, analysis).map(spec -> model(m.getName(), spec));
        }
        return Optional.empty();
    }

    private static String expert(ExpertFootprint x, CoeAnalysis analysis) {
        Deployment d = analysis.deployment();
        var decl = d.experts().stream().filter(e -> e.name().equals(x.name())).findFirst().orElseThrow();
        StringBuilder s = new StringBuilder();
        s.append("**expert ").append(x.name()).append("**").append(x.count() > 1 ? " x " + x.count() : "").append(" - ")
                .append(decl.model().label()).append(", tp ").append(decl.tensorParallel()).append(", ")
                .append(decl.dtype().keyword()).append("\n\n");
        String tier = analysis.footprint().platform().backingName();
        s.append("- ").append(tier).append(": ").append(Units.bytes(x.weightBytes())).append(" of weights")
                .append(x.count() > 1 ? " per copy, " + Units.bytes(x.weightBytes() * x.count()) + " for all " + x.count()
                        : "")
                .append('\n');
        s.append("- HBM: ").append(x.pinned() ? "pinned, " : "while resident, ").append(Units.bytes(x.weightBytes()))
                .append(" of weights, plus its KV cache (").append(kv(x.kvCacheBytesPerToken(), x.maxContextTokens()))
                .append(")\n");
        s.append("- expert switch, ").append(tier).append(" to HBM: ").append(Units.seconds(x.switchSeconds()))
                .append(" (").append(analysis.footprint().platform().copySummary()).append(")\n");
        s.append(times(x.resolved(), d)).append(footer(analysis));
        return s.toString();
    }

    private static String router(RouterFootprint r, CoeAnalysis analysis) {
        Deployment d = analysis.deployment();
        StringBuilder s = new StringBuilder();
        s.append("**router** - ").append(d.router().model().label()).append(", tp ").append(d.router().tensorParallel())
                .append("\n\n");
        s.append("- weights: ").append(Units.bytes(r.weightBytes())).append(" in ").append(r.tier().keyword())
                .append(r.tier() == Tier.HBM ? " (resident for good)"
                        : " (through the expert cache; a switch takes " + Units.seconds(r.switchSeconds()) + ")")
                .append('\n');
        s.append("- KV caches of a batch of ").append(d.policy().batchSize()).append(": ").append(Units.bytes(r.kvCacheBytes()))
                .append('\n');
        int prompt = promptTokens(d);
        s.append("- one run for a batch of ").append(d.policy().batchSize()).append(" prompts of ").append(prompt)
                .append(" tokens: ").append(seconds(() -> r.resolved().timing().prefillSeconds(prompt, d.policy().batchSize())))
                .append('\n');
        return s.append(footer(analysis)).toString();
    }

    /** The lowered spec of a declared model: that of the router or the first expert that uses it. */
    private static Optional<ModelSpec> specOf(ModelDecl m, CoeAnalysis analysis) {
        Descriptor descriptor = EcoreUtil2.getContainerOfType(m, Descriptor.class);
        for (Router r : EcoreUtil2.getAllContentsOfType(descriptor, Router.class)) {
            if (r.getModel() != null && r.getModel().getRef() == m) {
                return Optional.of(analysis.deployment().router().model());
            }
        }
        for (Expert e : EcoreUtil2.getAllContentsOfType(descriptor, Expert.class)) {
            if (e.getModel() != null && e.getModel().getRef() == m) {
                return analysis.deployment().experts().stream().filter(x -> x.name().equals(e.getName())).findFirst()
                        .map(x -> x.model());
            }
        }
        return Optional.empty();
    }

    private static String model(String name, ModelSpec spec) {
        StringBuilder s = new StringBuilder("**model ").append(name).append("** - ").append(spec.label()).append("\n\n");
        if (spec instanceof ModelSpec.Parametric p) {
            s.append("- ").append(Units.count((long) p.parameters())).append(" parameters, ")
                    .append(Units.bytes(p.weightBytes())).append(" in ").append(p.dtype().keyword()).append('\n');
            s.append("- KV cache: ").append(kv(p.kvCacheBytesPerToken(), p.maxContextTokens())).append('\n');
            s.append("- ").append(p.layers()).append(" layers, hidden ").append(p.hidden()).append(", ").append(p.heads())
                    .append(" heads (").append(p.kvHeads()).append(" KV), FFN ").append(p.ffn()).append(", vocabulary ")
                    .append(p.vocab()).append('\n');
        } else {
            ModelSpec.Reference r = (ModelSpec.Reference) spec;
            s.append("- prefill: ").append(r.prefill()).append(" of ").append(file(r.prefillDfkUri())).append('\n');
            if (!r.decode().isEmpty()) {
                s.append("- decode step: ").append(r.decode()).append(" of ").append(file(r.dfkUri())).append('\n');
            }
            ModelSpec.Reference.Bindings b = r.bindings();
            s.append(binding("the prompt length", b.promptLength())).append(binding("the KV length", b.kvLength()))
                    .append(binding("the batch", b.batch()));
        }
        return s.toString();
    }

    private static String binding(String what, String constant) {
        return constant.isEmpty() ? "- " + what + ": the program's own, as written\n"
                : "- " + what + ": sets its constant " + constant + "\n";
    }

    private static String file(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    /** The prompt length the estimates are for: the first workload's. */
    private static int promptTokens(Deployment d) {
        return d.workloads().isEmpty() ? DEFAULT_PROMPT_TOKENS : d.workloads().get(0).promptTokens();
    }

    private static String times(ResolvedModel model, Deployment d) {
        Workload w = d.workloads().isEmpty() ? null : d.workloads().get(0);
        int prompt = promptTokens(d);
        ModelTiming t = model.timing();
        StringBuilder s = new StringBuilder();
        s.append("- prefill of ").append(prompt).append(" tokens: ").append(seconds(() -> t.prefillSeconds(prompt, 1)))
                .append('\n');
        s.append("- decode: ").append(seconds(() -> t.decodeStepSeconds(prompt, 1))).append(" per token after ")
                .append(prompt).append(" tokens\n");
        if (w != null) {
            int output = Math.min(w.outputTokens(), d.policy().maxOutputTokens());
            s.append("- one ").append(w.name()).append(" request (").append(prompt).append(" + ").append(output)
                    .append(" tokens), no switch: ").append(seconds(() -> t.generationSeconds(prompt, output, 1)))
                    .append('\n');
        }
        return s.toString();
    }

    private static String kv(long perToken, int context) {
        return Units.bytes(perToken) + " a token, " + Units.bytes((long) ((double) perToken * context)) + " for one sequence at "
                + Units.count(context) + " tokens";
    }

    /** A time from the emulator's model, or why there is none (a model the resolver refuses at that length). */
    private static String seconds(java.util.function.DoubleSupplier time) {
        try {
            return Units.seconds(time.getAsDouble());
        } catch (ModelResolutionException e) {
            return "no estimate (" + e.getMessage() + ")";
        }
    }

    private static String footer(CoeAnalysis analysis) {
        return "\n*on " + analysis.profile().name() + "; times from the timing emulator, weights resident*";
    }
}
