package io.rdustudio.coe;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.ExpertMix;
import io.rdustudio.coe.model.ModelFootprint;
import io.rdustudio.coe.model.ModelResolutionException;
import io.rdustudio.coe.model.ModelResolver;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.coe.model.RuntimePolicy;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.core.target.TargetProfile;

/**
 * Everything that is wrong with a deployment on a platform, as located diagnostics that say by how
 * much and what to change (issue 6, "Checks and hints"): sizes out of range, model shapes that
 * cannot exist or cannot be split at their tensor-parallel degree, duplicate experts, bad node
 * assignments, workloads that cannot run, models the resolver cannot resolve, experts that do not
 * fit DDR (host memory on a GPU node: out of memory), a router plus KV caches plus pinned experts
 * that do not fit HBM, an expert too large for what HBM leaves for the cache.
 *
 * <p>Never throws for anything a descriptor can say: a resolver's exception becomes a diagnostic
 * at the declaration that asked for it.
 */
public final class DeploymentCheck {

    private DeploymentCheck() {
    }

    /**
     * The diagnostics of {@code deployment} (its workloads included, the content of their trace files
     * too: {@link #checkTraces}) on {@code platform}; empty when it is fine.
     */
    public static List<Diagnostic> check(Deployment deployment, ModelResolver resolver, TargetProfile platform) {
        List<Diagnostic> found = new ArrayList<>(analyse(deployment, List.of(), resolver, platform).diagnostics());
        found.addAll(checkTraces(deployment, resolver, platform));
        return found;
    }

    /**
     * The content of every trace workload's file, read as the simulator reads it: each malformed
     * line (bad JSON, a missing or mistyped field, an expert or domain the deployment does not have,
     * a request longer than its expert's context) as an error located at its line of the trace file
     * (at most 20 per trace), with the fix. Empty when the traces are sound, and for a deployment
     * whose own errors (which {@link #check} reports) leave no experts or router to read against. A
     * missing trace file is {@link #check}'s to report.
     */
    public static List<Diagnostic> checkTraces(Deployment deployment, ModelResolver resolver, TargetProfile platform) {
        List<Workload> traces = deployment.workloads().stream().filter(w -> w.mix() instanceof ExpertMix.Trace t
                && Files.isRegularFile(t.jsonLines()) && Files.isReadable(t.jsonLines())).toList();
        if (traces.isEmpty()) {
            return List.of();
        }
        CheckedDeployment c = analyse(deployment, List.of(), resolver, platform);
        if (c.table() == null || c.router() == null) {
            return List.of();
        }
        List<Diagnostic> found = new ArrayList<>();
        for (Workload w : traces) {
            try {
                RequestStream.of(c, w);
            } catch (DeploymentException e) {
                found.addAll(e.diagnostics());
            }
        }
        return found;
    }

    /**
     * Checks the deployment together with {@code extra} workloads that are not among its own (a
     * trace or rate given on a command line, say).
     */
    static CheckedDeployment analyse(Deployment deployment, List<Workload> extra, ModelResolver resolver,
            TargetProfile profile) {
        return new Run(deployment, extra, resolver, CoePlatform.of(profile)).run();
    }

    private record ModelKey(ModelSpec spec, int tensorParallel) {
    }

    private static final class Run {
        private final Deployment d;
        private final List<Workload> extra;
        private final ModelResolver resolver;
        private final CoePlatform platform;
        private final List<Diagnostic> out = new ArrayList<>();
        private final Map<ModelKey, Object> memo = new HashMap<>();

        Run(Deployment d, List<Workload> extra, ModelResolver resolver, CoePlatform platform) {
            this.d = d;
            this.extra = extra;
            this.resolver = resolver;
            this.platform = platform;
        }

        CheckedDeployment run() {
            checkHardware();
            checkPolicy(d.policy());
            boolean routerShapeOk = checkRouterDecl();
            boolean[] declShapeOk = new boolean[d.experts().size()];
            for (int i = 0; i < declShapeOk.length; i++) {
                declShapeOk[i] = checkExpertDecl(d.experts().get(i));
            }
            boolean countOk = checkCount();
            ExpertTable table = countOk ? new ExpertTable(d) : null;
            if (table != null) {
                out.addAll(table.problems());
            }
            ResolvedModel router = routerShapeOk ? resolve(d.router().model(), d.router().tensorParallel(),
                    "router", d.router().location()) : null;
            ResolvedModel[] declModels = new ResolvedModel[d.experts().size()];
            for (int i = 0; i < declModels.length; i++) {
                ExpertDecl e = d.experts().get(i);
                if (declShapeOk[i] && fitsOneNodeAlone(e)) {
                    declModels[i] = resolve(e.effectiveModel(), e.tensorParallel(), "expert '" + e.name() + "'",
                            e.location());
                }
            }
            List<Workload> workloads = new ArrayList<>(d.workloads());
            workloads.addAll(extra);
            for (Workload w : workloads) {
                checkWorkload(w, table, router, declModels);
            }
            DeploymentFootprint atPolicy = Footprints.compute(d, platform, table, router, declModels, out);
            for (Workload w : workloads) {
                checkFitAtWorkloadBatch(w, table, router, declModels);
            }
            DeploymentFootprint footprint = new DeploymentFootprint(atPolicy.platform(), atPolicy.router(), atPolicy.nodes(),
                    atPolicy.experts(), out);
            return new CheckedDeployment(d, platform, table, router, declModels, footprint);
        }

        /**
         * A workload served at a batch of its own holds KV caches for that batch: HBM must fit them
         * too. What does not fit at its batch, and did at the policy's, is reported at the workload.
         */
        private void checkFitAtWorkloadBatch(Workload w, ExpertTable table, ResolvedModel router, ResolvedModel[] declModels) {
            int batch = w.batchSizeUnder(d.policy());
            if (batch == d.policy().batchSize() || batch < 1 || batch > Limits.MAX_BATCH) {
                return;
            }
            List<Diagnostic> atBatch = new ArrayList<>();
            Footprints.compute(d.servingAt(w), platform, table, router, declModels, atBatch);
            List<String> known = out.stream().map(Diagnostic::message).toList();
            for (Diagnostic x : atBatch) {
                if (Sweep.DOES_NOT_FIT.contains(x.code()) && !known.contains(x.message())) {
                    out.add(Diagnostic.error(x.code(), "workload '" + w.name() + "' at batch " + batch + ": " + x.message(),
                            w.location()));
                }
            }
        }

        // ---- structure ----

        private void checkHardware() {
            int nodes = d.hardware().nodes();
            if (nodes < 1 || nodes > Limits.MAX_NODES) {
                out.add(Diagnostic.error("coe.bad-size", "the hardware needs between 1 and " + Limits.MAX_NODES
                        + " nodes, not " + nodes + "; write 'nodes 1' for one " + platform.name(),
                        d.hardware().location()));
            }
        }

        private void checkPolicy(RuntimePolicy p) {
            SourceLocation at = p.location();
            if (p.batchSize() < 1 || p.batchSize() > Limits.MAX_BATCH) {
                out.add(Diagnostic.error("coe.bad-size", "batch size " + p.batchSize() + " is out of range: a batch holds 1 to "
                        + Limits.MAX_BATCH + " prompts (the paper's cases are 1 and 8)", at));
            }
            if (!(p.maxBatchWaitSeconds() >= 0) || !Double.isFinite(p.maxBatchWaitSeconds())) {
                out.add(Diagnostic.error("coe.bad-size", "the longest batch wait must be a finite number of seconds, 0 or more, not "
                        + p.maxBatchWaitSeconds() + "; 0 starts a batch with whatever has arrived", at));
            }
            if (p.maxOutputTokens() < 1 || p.maxOutputTokens() > Limits.MAX_TOKENS) {
                out.add(Diagnostic.error("coe.bad-size", "the output cap must be 1 to " + Units.count(Limits.MAX_TOKENS)
                        + " tokens, not " + p.maxOutputTokens(), at));
            }
        }

        private boolean checkRouterDecl() {
            Tier tier = d.router().effectiveWeightsTier();
            if (tier != Tier.HBM && tier != Tier.DDR) {
                out.add(Diagnostic.error("coe.bad-tier", "the router's weights can live in hbm (resident for good) or ddr (through the "
                        + "expert cache), not " + tier.keyword(), d.router().location()));
            }
            return checkModel(d.router().model(), d.router().tensorParallel(), "the router", d.router().location());
        }

        private boolean checkExpertDecl(ExpertDecl e) {
            boolean ok = true;
            if (e.name().isBlank()) {
                out.add(Diagnostic.error("coe.bad-name", "an expert needs a name", e.location()));
                ok = false;
            }
            if (e.count() < 1) {
                out.add(Diagnostic.error("coe.bad-size", "expert '" + e.name() + "' is declared " + e.count()
                        + " times; a declaration stands for at least 1 expert (remove it instead)", e.location()));
                ok = false;
            }
            return checkModel(e.effectiveModel(), e.tensorParallel(), "expert '" + e.name() + "'", e.location()) && ok;
        }

        /** Shape and tensor-parallel degree of a model; true when it can be resolved. */
        private boolean checkModel(ModelSpec spec, int tp, String who, SourceLocation at) {
            int before = out.size();
            if (tp < 1 || tp > platform.devicesPerNode()) {
                out.add(Diagnostic.error("coe.tensor-parallel", who + " runs at tensor-parallel degree " + tp + ", but "
                        + platform.name() + " has " + platform.devicesPerNode() + (platform.isGpu() ? " GPUs" : " sockets")
                        + " per node; use a degree from 1 to " + platform.devicesPerNode(), at));
            }
            if (spec instanceof ModelSpec.Parametric p) {
                positive(p.layers(), "layers", who, at);
                positive(p.hidden(), "hidden size", who, at);
                positive(p.heads(), "attention heads", who, at);
                positive(p.kvHeads(), "KV heads", who, at);
                positive(p.ffn(), "FFN size", who, at);
                positive(p.vocab(), "vocabulary", who, at);
                positive(p.maxContextTokens(), "maximum context", who, at);
                if (out.size() == before) {
                    shapeRules(p, tp, who, at);
                }
            }
            return out.size() == before;
        }

        private void positive(long value, String what, String who, SourceLocation at) {
            if (value < 1) {
                out.add(Diagnostic.error("coe.zero-sized-model", who + " has " + what + " " + value
                        + ": a model needs at least 1 (a zero-sized model has no weights to serve)", at));
            }
        }

        private void shapeRules(ModelSpec.Parametric p, int tp, String who, SourceLocation at) {
            if (p.hidden() % p.heads() != 0) {
                out.add(Diagnostic.error("coe.bad-shape", who + ": hidden size " + p.hidden() + " is not a multiple of its "
                        + p.heads() + " heads, so heads cannot be equally wide; make hidden a multiple of heads", at));
            }
            if (p.kvHeads() > p.heads() || p.heads() % p.kvHeads() != 0) {
                out.add(Diagnostic.error("coe.bad-shape", who + ": " + p.kvHeads() + " KV heads cannot serve " + p.heads()
                        + " query heads; KV heads must divide the heads (equal for plain attention)", at));
            }
            if (p.maxContextTokens() > Limits.MAX_TOKENS) {
                out.add(Diagnostic.error("coe.bad-size", who + ": a context of " + Units.count(p.maxContextTokens())
                        + " tokens is beyond the " + Units.count(Limits.MAX_TOKENS) + " the simulator models", at));
            }
            if (tp >= 1) {
                indivisible(p.heads(), "attention heads", tp, who, at);
                indivisible(p.kvHeads(), "KV heads", tp, who, at);
                indivisible(p.ffn(), "FFN columns", tp, who, at);
            }
        }

        private void indivisible(long size, String what, int tp, String who, SourceLocation at) {
            if (size % tp != 0) {
                out.add(Diagnostic.error("coe.tensor-parallel", who + " cannot run at tensor-parallel degree " + tp + ": its "
                        + size + " " + what + " do not split evenly over " + tp + " devices; use a degree that divides "
                        + size + divisorsHint(size), at));
            }
        }

        private String divisorsHint(long size) {
            List<String> fit = new ArrayList<>();
            for (int t = 1; t <= platform.devicesPerNode(); t++) {
                if (size % t == 0) {
                    fit.add(Integer.toString(t));
                }
            }
            return " (on " + platform.name() + ": " + String.join(", ", fit) + ")";
        }

        private boolean checkCount() {
            long n = d.expertCount();
            if (n == 0) {
                out.add(Diagnostic.error("coe.no-experts", "the deployment declares no experts; declare at least one", d.location()));
                return false;
            }
            if (n > Limits.MAX_EXPERTS) {
                ExpertDecl largest = d.experts().stream().max((a, b) -> Integer.compare(a.count(), b.count())).orElseThrow();
                out.add(Diagnostic.error("coe.too-many-experts", Units.count(n) + " experts are declared; the simulator takes at most "
                        + Units.count(Limits.MAX_EXPERTS) + " (Samba-CoE has 150); lower the count", largest.location()));
                return false;
            }
            return true;
        }

        /**
         * Whether one copy of a parametric expert, alone, fits one node's backing memory: a shape
         * too large for that is reported here and never handed to the resolver.
         */
        private boolean fitsOneNodeAlone(ExpertDecl e) {
            if (!(e.effectiveModel() instanceof ModelSpec.Parametric p)) {
                return true;
            }
            if (p.weightBytes() <= platform.backingBytesPerNode()) {
                return true;
            }
            out.add(Diagnostic.error("coe.model-too-large", "one copy of expert '" + e.name() + "' has "
                    + Units.count((long) p.parameters()) + " parameters (" + Units.bytes(p.weightBytes()) + "), more than the "
                    + Units.bytes(platform.backingBytesPerNode()) + " of " + platform.backingName() + " in a " + platform.name()
                    + " node; check the shape's sizes", e.location()));
            return false;
        }

        // ---- workloads ----

        private void checkWorkload(Workload w, ExpertTable table, ResolvedModel router, ResolvedModel[] declModels) {
            SourceLocation at = w.location();
            String who = "workload '" + w.name() + "'";
            boolean trace = w.mix() instanceof ExpertMix.Trace;
            if (w.batchSize().isPresent() && (w.batchSize().getAsInt() < 1 || w.batchSize().getAsInt() > Limits.MAX_BATCH)) {
                out.add(Diagnostic.error("coe.bad-size", who + ": batch size " + w.batchSize().getAsInt() + " is out of range: "
                        + "a batch holds 1 to " + Limits.MAX_BATCH + " prompts (the paper's cases are 1 and 8)", at));
            }
            tokens(w.promptTokens(), 1, who + ": prompts of", at);
            tokens(w.outputTokens(), 0, who + ": outputs of", at);
            if (!trace && (!(w.arrivalsPerSecond() > 0) || !Double.isFinite(w.arrivalsPerSecond()))) {
                out.add(Diagnostic.error("coe.bad-rate", who + " arrives at " + w.arrivalsPerSecond() + " requests per second; "
                        + "a Poisson workload needs a finite rate above 0 (for example 'rate 2/s')", at));
            }
            int minRequests = trace ? 0 : 1;
            if (w.requests() < minRequests || w.requests() > Limits.MAX_REQUESTS) {
                out.add(Diagnostic.error("coe.bad-size", who + " asks for " + w.requests() + " requests; simulate " + minRequests
                        + " to " + Units.count(Limits.MAX_REQUESTS) + (trace ? " (0: the whole trace)" : ""), at));
            }
            checkMix(w, table, who, at);
            int output = Math.min(w.outputTokens(), Math.max(1, d.policy().maxOutputTokens()));
            if (router != null && w.promptTokens() > router.footprint().maxContextTokens()) {
                out.add(Diagnostic.error("coe.context-too-long", who + ": prompts of " + Units.count(w.promptTokens())
                        + " tokens exceed the router's context of " + Units.count(router.footprint().maxContextTokens())
                        + " tokens; shorten the prompts", at));
            }
            for (int i = 0; i < declModels.length; i++) {
                if (declModels[i] != null && w.promptTokens() >= 1 && w.outputTokens() >= 0
                        && (long) w.promptTokens() + output > declModels[i].footprint().maxContextTokens()) {
                    out.add(Diagnostic.error("coe.context-too-long", who + ": " + Units.count(w.promptTokens()) + " prompt + "
                            + Units.count(output) + " output tokens exceed expert '" + d.experts().get(i).name() + "''s context of "
                            + Units.count(declModels[i].footprint().maxContextTokens()) + " tokens by "
                            + Units.count((long) w.promptTokens() + output - declModels[i].footprint().maxContextTokens())
                            + "; shorten the prompts or the outputs", at));
                }
            }
        }

        private void tokens(int n, int min, String what, SourceLocation at) {
            if (n < min || n > Limits.MAX_TOKENS) {
                out.add(Diagnostic.error("coe.bad-size", what + " " + n + " tokens are out of range: use " + min + " to "
                        + Units.count(Limits.MAX_TOKENS), at));
            }
        }

        private void checkMix(Workload w, ExpertTable table, String who, SourceLocation at) {
            if (w.mix() instanceof ExpertMix.Zipf z && (!(z.s() >= 0) || !Double.isFinite(z.s()))) {
                out.add(Diagnostic.error("coe.bad-mix", who + ": a Zipf exponent must be finite and 0 or more, not " + z.s()
                        + " (0 is uniform, about 1 is typical)", at));
            } else if (w.mix() instanceof ExpertMix.Weights weights) {
                double total = 0;
                for (Map.Entry<String, Double> e : weights.byExpertOrDomain().entrySet()) {
                    double v = e.getValue() == null ? Double.NaN : e.getValue();
                    if (!(v >= 0) || !Double.isFinite(v)) {
                        out.add(Diagnostic.error("coe.bad-mix", who + ": the weight of '" + e.getKey() + "' is " + v
                                + "; weights are finite and 0 or more", at));
                    } else {
                        total += v;
                    }
                    if (table != null && table.lookup(e.getKey()).length == 0 && table.domain(e.getKey()).isEmpty()) {
                        out.add(Diagnostic.error("coe.unknown-expert", who + " weighs '" + e.getKey()
                                + "', which is no expert, copy or domain of this deployment; domains are "
                                + (table.domains().isEmpty() ? "(none)" : String.join(", ", table.domains())), at));
                    }
                }
                if (!(total > 0)) {
                    out.add(Diagnostic.error("coe.bad-mix", who + ": no weight is above 0, so no expert would ever be picked", at));
                }
            } else if (w.mix() instanceof ExpertMix.Trace t) {
                if (!Files.isRegularFile(t.jsonLines())) {
                    out.add(Diagnostic.error("coe.trace-missing", who + ": the trace file " + t.jsonLines().toAbsolutePath().normalize()
                            + " does not exist or is not a file; check the path (relative paths start at the descriptor's folder)", at));
                } else if (!Files.isReadable(t.jsonLines())) {
                    out.add(Diagnostic.error("coe.trace-missing", who + ": the trace file " + t.jsonLines().toAbsolutePath().normalize()
                            + " cannot be read; check its permissions", at));
                }
            }
        }

        // ---- resolution ----

        private ResolvedModel resolve(ModelSpec spec, int tp, String who, SourceLocation at) {
            Object known = memo.computeIfAbsent(new ModelKey(spec, tp), k -> {
                try {
                    return resolver.resolve(spec, tp, platform.profile());
                } catch (ModelResolutionException e) {
                    return e.getMessage();
                } catch (RuntimeException e) {
                    return "internal error of the model resolver (" + e + "); please report it";
                }
            });
            if (known instanceof String message) {
                out.add(Diagnostic.error("coe.unresolved-model", who + ": " + message, at));
                return null;
            }
            ResolvedModel model = (ResolvedModel) known;
            ModelFootprint f = model.footprint();
            if (f.weightBytes() <= 0) {
                out.add(Diagnostic.error("coe.zero-sized-model", who + " resolves to a model with no weights ("
                        + f.weightBytes() + " bytes); check its shape or the referenced program", at));
                return null;
            }
            if (f.kvCacheBytesPerToken() < 0 || f.maxContextTokens() < 1 || f.workspaceBytes() < 0
                    || f.workspaceBytesPerSequence() < 0) {
                out.add(Diagnostic.error("coe.unresolved-model", who + " resolves to an impossible footprint " + f
                        + "; the model resolver is at fault, please report it", at));
                return null;
            }
            return model;
        }
    }
}
