package io.rdustudio.coe;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

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
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.io.AtomicFiles;
import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.Tier;

/**
 * A deployment as JSON, for other tools to produce and consume ({@code dfk coe export}); the format
 * is published as the JSON Schema {@value #SCHEMA_RESOURCE} (draft 2020-12) and described in
 * docs/coe-simulation.md. Writing gives every field; reading accepts the schema's defaults for the
 * optional ones, refuses unknown fields and wrong types, and reports every problem at its line and
 * column in one {@link DeploymentException}. The records read carry those positions as their
 * locations, so the checks point into the JSON file.
 */
public final class DeploymentJson {

    /** Classpath resource of the JSON Schema. */
    public static final String SCHEMA_RESOURCE = "/io/rdustudio/coe/deployment.schema.json";
    /** The value of {@code "format"}. */
    public static final String FORMAT = "rdustudio-coe-deployment";
    /** The value of {@code "version"} this code writes and reads. */
    public static final int VERSION = 1;

    /** The fields of a reference's {@code "bindings"}, in the order of {@link ModelSpec.Reference.Bindings}. */
    private static final List<String> BINDING_FIELDS = List.of("promptLength", "kvLength", "batch");

    private DeploymentJson() {
    }

    // ---- writing ----

    /** The deployment as pretty-printed JSON (two-space indent, fields in schema order). */
    public static String write(Deployment d) {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("version", VERSION);
        o.addProperty("name", d.name());
        JsonObject hardware = new JsonObject();
        hardware.addProperty("targetProfile", d.hardware().targetProfile());
        hardware.addProperty("nodes", d.hardware().nodes());
        o.add("hardware", hardware);
        JsonObject router = new JsonObject();
        router.add("model", model(d.router().model()));
        router.addProperty("weightsTier", d.router().effectiveWeightsTier().keyword());
        router.addProperty("tensorParallel", d.router().tensorParallel());
        o.add("router", router);
        JsonArray experts = new JsonArray();
        for (ExpertDecl e : d.experts()) {
            JsonObject x = new JsonObject();
            x.addProperty("name", e.name());
            x.add("model", model(e.model()));
            x.addProperty("domain", e.domain());
            x.addProperty("dtype", e.dtype().keyword());
            x.addProperty("tensorParallel", e.tensorParallel());
            x.addProperty("pinned", e.pinned());
            x.addProperty("count", e.count());
            experts.add(x);
        }
        o.add("experts", experts);
        JsonObject policy = new JsonObject();
        policy.addProperty("cache", d.policy().cache().name().toLowerCase(Locale.ROOT));
        policy.addProperty("batchSize", d.policy().batchSize());
        policy.addProperty("maxBatchWaitSeconds", d.policy().maxBatchWaitSeconds());
        policy.addProperty("maxOutputTokens", d.policy().maxOutputTokens());
        policy.addProperty("prefetch", d.policy().prefetch());
        o.add("policy", policy);
        JsonArray workloads = new JsonArray();
        for (Workload w : d.workloads()) {
            JsonObject x = new JsonObject();
            x.addProperty("name", w.name());
            x.addProperty("promptTokens", w.promptTokens());
            x.addProperty("outputTokens", w.outputTokens());
            x.addProperty("arrivalsPerSecond", w.arrivalsPerSecond());
            x.add("mix", mix(w.mix()));
            x.addProperty("requests", w.requests());
            x.addProperty("seed", w.seed());
            w.batchSize().ifPresent(b -> x.addProperty("batchSize", b));
            workloads.add(x);
        }
        o.add("workloads", workloads);
        JsonArray spread = new JsonArray();
        for (NodeAssignment a : d.spread()) {
            JsonObject x = new JsonObject();
            x.addProperty("node", a.node());
            JsonArray names = new JsonArray();
            a.experts().forEach(names::add);
            x.add("experts", names);
            spread.add(x);
        }
        o.add("spread", spread);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                .create().toJson(o) + "\n";
    }

    /**
     * Writes the JSON to {@code file} whole or not at all ({@link AtomicFiles}): its folder made when
     * missing, a temporary file beside it moved into place, the permissions of any new file.
     */
    public static void write(Deployment d, Path file) throws IOException {
        AtomicFiles.writeString(file, write(d));
    }

    private static JsonObject model(ModelSpec spec) {
        JsonObject m = new JsonObject();
        if (spec instanceof ModelSpec.Parametric p) {
            m.addProperty("kind", "parametric");
            m.addProperty("className", p.className());
            m.addProperty("layers", p.layers());
            m.addProperty("hidden", p.hidden());
            m.addProperty("heads", p.heads());
            m.addProperty("kvHeads", p.kvHeads());
            m.addProperty("ffn", p.ffn());
            m.addProperty("vocab", p.vocab());
            m.addProperty("dtype", p.dtype().keyword());
            m.addProperty("maxContextTokens", p.maxContextTokens());
        } else {
            ModelSpec.Reference r = (ModelSpec.Reference) spec;
            m.addProperty("kind", "reference");
            m.addProperty("dfkUri", r.dfkUri());
            m.addProperty("prefill", r.prefill());
            m.addProperty("decode", r.decode());
            if (r.splitPrograms()) {
                m.addProperty("prefillDfkUri", r.prefillDfkUri());
            }
            if (!r.bindings().isEmpty()) {
                JsonObject b = new JsonObject();
                List<String> names = List.of(r.bindings().promptLength(), r.bindings().kvLength(), r.bindings().batch());
                for (int i = 0; i < names.size(); i++) {
                    if (!names.get(i).isEmpty()) {
                        b.addProperty(BINDING_FIELDS.get(i), names.get(i));
                    }
                }
                m.add("bindings", b);
            }
        }
        return m;
    }

    private static JsonObject mix(ExpertMix mix) {
        JsonObject m = new JsonObject();
        if (mix instanceof ExpertMix.Uniform) {
            m.addProperty("kind", "uniform");
        } else if (mix instanceof ExpertMix.Zipf z) {
            m.addProperty("kind", "zipf");
            m.addProperty("s", z.s());
        } else if (mix instanceof ExpertMix.Weights w) {
            m.addProperty("kind", "weights");
            JsonObject weights = new JsonObject();
            w.byExpertOrDomain().forEach(weights::addProperty);
            m.add("weights", weights);
        } else {
            m.addProperty("kind", "trace");
            m.addProperty("path", ((ExpertMix.Trace) mix).jsonLines().toString());
        }
        return m;
    }

    // ---- reading ----

    /**
     * Reads a deployment file; a trace path in it resolves against the file's folder.
     *
     * @throws DeploymentException for a file that cannot be read or is not a valid deployment
     */
    public static Deployment read(Path file) {
        String uri = file.toAbsolutePath().normalize().toUri().toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw new DeploymentException(Diagnostic.error("coe.bad-json", "cannot read " + file.toAbsolutePath().normalize()
                    + " (" + e.getMessage() + "); check the path and that it is UTF-8 text", new SourceLocation(uri, 0, 0, 1, 1)));
        }
        return new Reader(uri, text, file.toAbsolutePath().getParent()).read();
    }

    /**
     * Reads JSON that does not come from a file (an editor buffer, a pipe); a relative trace path
     * stays relative to the working directory.
     *
     * @param source the label for locations, e.g. a URI
     */
    public static Deployment read(String source, String json) {
        return new Reader(source, json, null).read();
    }

    private static final class Reader {
        private static final Pattern POSITION = Pattern.compile("at line (\\d+) column (\\d+)");

        private final String uri;
        private final String text;
        private final Path folder;
        private final Map<JsonObject, SourceLocation> where = new IdentityHashMap<>();
        private final List<Diagnostic> errors = new ArrayList<>();

        Reader(String uri, String text, Path folder) {
            this.uri = uri;
            this.text = text;
            this.folder = folder;
        }

        Deployment read() {
            JsonElement root;
            try {
                JsonReader reader = new JsonReader(new StringReader(text));
                reader.setStrictness(Strictness.STRICT);
                root = element(reader);
                if (reader.peek() != JsonToken.END_DOCUMENT) {
                    throw new IOException("more after the deployment object " + reader);
                }
            } catch (IOException | RuntimeException e) {
                Matcher m = POSITION.matcher(String.valueOf(e.getMessage()));
                SourceLocation at = m.find() ? at(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))
                        : at(1, 1);
                throw new DeploymentException(Diagnostic.error("coe.bad-json", "not valid JSON: " + firstLine(e.getMessage())
                        + "; a deployment is one strict JSON object (docs/coe-simulation.md, \"JSON\")", at));
            }
            if (!root.isJsonObject()) {
                throw new DeploymentException(Diagnostic.error("coe.bad-json", "a deployment is a JSON object, not " + kind(root),
                        at(1, 1)));
            }
            Deployment d = deployment(new Fields(root.getAsJsonObject(), "the deployment"));
            if (!errors.isEmpty()) {
                throw new DeploymentException(errors);
            }
            return d;
        }

        private static String firstLine(String message) {
            String m = String.valueOf(message);
            int newline = m.indexOf('\n');
            return (newline < 0 ? m : m.substring(0, newline)).replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept "
                    + "malformed JSON ", "malformed JSON ");
        }

        private SourceLocation at(int line, int column) {
            return new SourceLocation(uri, 0, 0, line, column);
        }

        /** A tree like gson's, with the position of every object's opening brace. */
        private JsonElement element(JsonReader reader) throws IOException {
            JsonToken token = reader.peek();
            switch (token) {
            case BEGIN_OBJECT: {
                SourceLocation start = position(reader);
                reader.beginObject();
                JsonObject o = new JsonObject();
                where.put(o, start);
                while (reader.hasNext()) {
                    String name = reader.nextName();
                    if (o.has(name)) {
                        throw new IOException("the field \"" + name + "\" appears twice " + reader);
                    }
                    o.add(name, element(reader));
                }
                reader.endObject();
                return o;
            }
            case BEGIN_ARRAY: {
                reader.beginArray();
                JsonArray a = new JsonArray();
                while (reader.hasNext()) {
                    a.add(element(reader));
                }
                reader.endArray();
                return a;
            }
            case STRING:
                return new JsonPrimitive(reader.nextString());
            case NUMBER:
                return new JsonPrimitive(new BigDecimal(reader.nextString()));
            case BOOLEAN:
                return new JsonPrimitive(reader.nextBoolean());
            case NULL:
                reader.nextNull();
                return JsonNull.INSTANCE;
            default:
                throw new IOException("unexpected " + token + " " + reader);
            }
        }

        /** The reader's position, one character back: it has peeked at the brace. */
        private SourceLocation position(JsonReader reader) {
            Matcher m = POSITION.matcher(reader.toString());
            return m.find() ? at(Integer.parseInt(m.group(1)), Math.max(1, Integer.parseInt(m.group(2)) - 1)) : at(1, 1);
        }

        // ---- the parts ----

        private Deployment deployment(Fields f) {
            f.allow("$schema", "format", "version", "name", "hardware", "router", "experts", "policy", "workloads", "spread");
            String format = f.string("format", null);
            if (format != null && !format.equals(FORMAT)) {
                f.error("\"format\" is \"" + format + "\"; a deployment file says \"" + FORMAT + "\"");
            }
            int version = f.integer("version", VERSION);
            if (version != VERSION) {
                f.error("\"version\" " + version + " is not supported; this tool reads version " + VERSION);
            }
            String name = f.string("name", "deployment");
            Hardware hardware = f.object("hardware").map(this::hardware).orElse(new Hardware(Hardware.DEFAULT_PROFILE, 1,
                    f.location));
            RouterDecl router = f.object("router").map(this::router).orElse(null);
            if (router == null) {
                f.error("missing \"router\": the model that picks each prompt's expert");
                router = new RouterDecl(ModelSpec.Parametric.llama2_7b(), Optional.empty(), 1, f.location);
            }
            List<ExpertDecl> experts = f.objects("experts").stream().map(this::expert).toList();
            RuntimePolicy policy = f.object("policy").map(this::policy).orElse(new RuntimePolicy(CachePolicy.LRU, 1, 0,
                    RuntimePolicy.DEFAULT_MAX_OUTPUT_TOKENS, false, f.location));
            List<Workload> workloads = f.objects("workloads").stream().map(this::workload).toList();
            List<NodeAssignment> spread = f.objects("spread").stream().map(this::assignment).toList();
            f.finish();
            return new Deployment(name, hardware, router, experts, policy, workloads, spread, f.location);
        }

        private Hardware hardware(Fields f) {
            f.allow("targetProfile", "nodes");
            Hardware h = new Hardware(f.string("targetProfile", Hardware.DEFAULT_PROFILE), f.integer("nodes", 1), f.location);
            f.finish();
            return h;
        }

        private RouterDecl router(Fields f) {
            f.allow("model", "weightsTier", "tensorParallel");
            ModelSpec model = f.requiredModel();
            Optional<Tier> tier = Optional.ofNullable(f.string("weightsTier", null)).map(t -> Tier.fromKeyword(t).orElseGet(() -> {
                f.error("\"weightsTier\" is \"" + t + "\"; use \"hbm\" or \"ddr\"");
                return Tier.HBM;
            }));
            RouterDecl r = new RouterDecl(model, tier, f.integer("tensorParallel", 1), f.location);
            f.finish();
            return r;
        }

        private ExpertDecl expert(Fields f) {
            f.allow("name", "model", "domain", "dtype", "tensorParallel", "pinned", "count");
            String name = f.requiredString("name");
            ModelSpec model = f.requiredModel();
            DType fallback = model instanceof ModelSpec.Parametric p ? p.dtype() : DType.BF16;
            ExpertDecl e = new ExpertDecl(name, model, f.string("domain", ""), f.dtype("dtype", fallback),
                    f.integer("tensorParallel", 1), f.bool("pinned", false), f.integer("count", 1), f.location);
            f.finish();
            return e;
        }

        private ModelSpec model(Fields f) {
            String kind = f.requiredString("kind");
            if ("reference".equals(kind)) {
                f.allow("kind", "dfkUri", "prefill", "decode", "prefillDfkUri", "bindings");
                String uri = f.requiredString("dfkUri");
                ModelSpec.Reference.Bindings bindings = f.object("bindings").map(this::bindings)
                        .orElse(ModelSpec.Reference.Bindings.NONE);
                ModelSpec m = new ModelSpec.Reference(uri, f.requiredString("prefill"), f.requiredString("decode"),
                        f.string("prefillDfkUri", uri), bindings);
                f.finish();
                return m;
            }
            if (!"parametric".equals(kind)) {
                f.error("\"kind\" is \"" + kind + "\"; a model is \"parametric\" or \"reference\"");
            }
            f.allow("kind", "className", "layers", "hidden", "heads", "kvHeads", "ffn", "vocab", "dtype", "maxContextTokens");
            int heads = f.requiredInteger("heads");
            ModelSpec m = new ModelSpec.Parametric(f.string("className", "parametric"), f.requiredInteger("layers"),
                    f.requiredLong("hidden"), heads, f.integer("kvHeads", heads), f.requiredLong("ffn"), f.requiredLong("vocab"),
                    f.dtype("dtype", DType.BF16), f.requiredInteger("maxContextTokens"));
            f.finish();
            return m;
        }

        private RuntimePolicy policy(Fields f) {
            f.allow("cache", "batchSize", "maxBatchWaitSeconds", "maxOutputTokens", "prefetch");
            String cache = f.string("cache", "lru");
            if (!"lru".equals(cache)) {
                f.error("\"cache\" is \"" + cache + "\"; the runtime's cache policy is \"lru\"");
            }
            RuntimePolicy p = new RuntimePolicy(CachePolicy.LRU, f.integer("batchSize", 1), f.number("maxBatchWaitSeconds", 0),
                    f.integer("maxOutputTokens", RuntimePolicy.DEFAULT_MAX_OUTPUT_TOKENS), f.bool("prefetch", false), f.location);
            f.finish();
            return p;
        }

        private Workload workload(Fields f) {
            f.allow("name", "promptTokens", "outputTokens", "arrivalsPerSecond", "mix", "requests", "seed", "batchSize");
            String name = f.requiredString("name");
            int prompt = f.requiredInteger("promptTokens");
            int output = f.requiredInteger("outputTokens");
            ExpertMix mix = f.object("mix").map(this::mix).orElse(new ExpertMix.Uniform());
            boolean trace = mix instanceof ExpertMix.Trace;
            double rate = trace ? f.number("arrivalsPerSecond", 0) : f.requiredNumber("arrivalsPerSecond");
            Workload w = new Workload(name, prompt, output, rate, mix, f.integer("requests", trace ? 0 : Workload.DEFAULT_REQUESTS),
                    f.longValue("seed", Workload.DEFAULT_SEED), f.location);
            if (f.has("batchSize")) {
                w = w.withBatchSize(f.integer("batchSize", 1));
            }
            f.finish();
            return w;
        }

        private ModelSpec.Reference.Bindings bindings(Fields f) {
            f.allow(BINDING_FIELDS.toArray(String[]::new));
            ModelSpec.Reference.Bindings b = new ModelSpec.Reference.Bindings(f.string("promptLength", ""),
                    f.string("kvLength", ""), f.string("batch", ""));
            f.finish();
            return b;
        }

        private ExpertMix mix(Fields f) {
            String kind = f.requiredString("kind");
            ExpertMix mix;
            switch (String.valueOf(kind)) {
            case "uniform" -> {
                f.allow("kind");
                mix = new ExpertMix.Uniform();
            }
            case "zipf" -> {
                f.allow("kind", "s");
                mix = new ExpertMix.Zipf(f.requiredNumber("s"));
            }
            case "weights" -> {
                f.allow("kind", "weights");
                Map<String, Double> weights = new LinkedHashMap<>();
                f.object("weights").ifPresent(w -> {
                    for (String key : w.object.keySet()) {
                        weights.put(key, w.requiredNumber(key));
                    }
                });
                mix = new ExpertMix.Weights(weights);
            }
            case "trace" -> {
                f.allow("kind", "path");
                Path path = Path.of(f.requiredString("path"));
                mix = new ExpertMix.Trace(folder != null && !path.isAbsolute() ? folder.resolve(path) : path);
            }
            default -> {
                f.allow("kind");
                f.error("\"kind\" is \"" + kind + "\"; a mix is \"uniform\", \"zipf\", \"weights\" or \"trace\"");
                mix = new ExpertMix.Uniform();
            }
            }
            f.finish();
            return mix;
        }

        private NodeAssignment assignment(Fields f) {
            f.allow("node", "experts");
            int node = f.requiredInteger("node");
            List<String> names = new ArrayList<>();
            JsonElement list = f.object.get("experts");
            if (list == null || !list.isJsonArray()) {
                f.error("\"experts\" must be a list of expert names");
            } else {
                for (JsonElement e : list.getAsJsonArray()) {
                    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
                        names.add(e.getAsString());
                    } else {
                        f.error("\"experts\" lists " + kind(e) + "; list expert names as strings");
                    }
                }
            }
            NodeAssignment a = new NodeAssignment(node, names, f.location);
            f.finish();
            return a;
        }

        private static String kind(JsonElement e) {
            if (e.isJsonObject()) {
                return "an object";
            }
            if (e.isJsonArray()) {
                return "a list";
            }
            if (e.isJsonNull()) {
                return "null";
            }
            JsonPrimitive p = e.getAsJsonPrimitive();
            return p.isString() ? "the string \"" + p.getAsString() + "\"" : p.isBoolean() ? p.getAsString() : "the number " + p;
        }

        /** One JSON object being read: typed fields with defaults, every problem reported at the object. */
        private final class Fields {
            final JsonObject object;
            final String what;
            final SourceLocation location;
            private Set<String> allowed = Set.of();

            Fields(JsonObject object, String what) {
                this.object = object;
                this.what = what;
                this.location = where.getOrDefault(object, at(1, 1));
            }

            boolean has(String key) {
                return object.has(key);
            }

            void allow(String... names) {
                allowed = Set.of(names);
            }

            void finish() {
                for (String key : object.keySet()) {
                    if (!allowed.contains(key)) {
                        error("unknown field \"" + key + "\" in " + what + "; the fields are " + String.join(", ",
                                allowed.stream().sorted().toList()));
                    }
                }
            }

            void error(String message) {
                errors.add(Diagnostic.error("coe.bad-json", message, location));
            }

            Optional<Fields> object(String key) {
                JsonElement v = object.get(key);
                if (v == null) {
                    return Optional.empty();
                }
                if (!v.isJsonObject()) {
                    error("\"" + key + "\" must be an object, not " + kind(v));
                    return Optional.empty();
                }
                return Optional.of(new Fields(v.getAsJsonObject(), "\"" + key + "\""));
            }

            List<Fields> objects(String key) {
                JsonElement v = object.get(key);
                if (v == null) {
                    return List.of();
                }
                if (!v.isJsonArray()) {
                    error("\"" + key + "\" must be a list of objects, not " + kind(v));
                    return List.of();
                }
                List<Fields> out = new ArrayList<>();
                int i = 0;
                for (JsonElement e : v.getAsJsonArray()) {
                    if (e.isJsonObject()) {
                        out.add(new Fields(e.getAsJsonObject(), "\"" + key + "\"[" + i + "]"));
                    } else {
                        error("\"" + key + "\"[" + i + "] must be an object, not " + kind(e));
                    }
                    i++;
                }
                return out;
            }

            ModelSpec requiredModel() {
                Optional<Fields> m = object("model");
                if (m.isEmpty()) {
                    if (!object.has("model")) {
                        error("missing \"model\" in " + what + ": a parametric shape or a reference to a DFK program");
                    }
                    return ModelSpec.Parametric.llama2_7b();
                }
                return model(m.get());
            }

            /** Reports a missing required field; a present one of the wrong type is reported by its getter. */
            private void require(String key) {
                if (!object.has(key)) {
                    error("missing \"" + key + "\" in " + what);
                }
            }

            String requiredString(String key) {
                require(key);
                String s = string(key, null);
                return s == null ? "" : s;
            }

            String string(String key, String fallback) {
                JsonElement v = object.get(key);
                if (v == null) {
                    return fallback;
                }
                if (!(v.isJsonPrimitive() && v.getAsJsonPrimitive().isString())) {
                    error("\"" + key + "\" must be a string, not " + kind(v));
                    return fallback;
                }
                return v.getAsString();
            }

            boolean bool(String key, boolean fallback) {
                JsonElement v = object.get(key);
                if (v == null) {
                    return fallback;
                }
                if (!(v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean())) {
                    error("\"" + key + "\" must be true or false, not " + kind(v));
                    return fallback;
                }
                return v.getAsBoolean();
            }

            DType dtype(String key, DType fallback) {
                String s = string(key, null);
                if (s == null) {
                    return fallback;
                }
                return DType.fromKeyword(s).orElseGet(() -> {
                    error("\"" + key + "\" is \"" + s + "\"; use one of " + String.join(", ",
                            java.util.Arrays.stream(DType.values()).map(DType::keyword).toList()));
                    return fallback;
                });
            }

            private BigDecimal decimal(String key) {
                JsonElement v = object.get(key);
                if (v == null) {
                    return null;
                }
                if (!(v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber())) {
                    error("\"" + key + "\" must be a number, not " + kind(v));
                    return null;
                }
                return v.getAsBigDecimal();
            }

            double requiredNumber(String key) {
                require(key);
                return number(key, 0);
            }

            double number(String key, double fallback) {
                BigDecimal d = decimal(key);
                return d == null ? fallback : d.doubleValue();
            }

            int requiredInteger(String key) {
                require(key);
                return integer(key, 0);
            }

            long requiredLong(String key) {
                require(key);
                return longValue(key, 0);
            }

            int integer(String key, int fallback) {
                long v = whole(key, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
                return (int) v;
            }

            long longValue(String key, long fallback) {
                return whole(key, fallback, Long.MIN_VALUE, Long.MAX_VALUE);
            }

            private long whole(String key, long fallback, long min, long max) {
                BigDecimal d = decimal(key);
                if (d == null) {
                    return fallback;
                }
                try {
                    long v = d.longValueExact();
                    if (v < min || v > max) {
                        error("\"" + key + "\" is " + d.toPlainString() + ", beyond what it can hold (" + min + " to " + max + ")");
                        return fallback;
                    }
                    return v;
                } catch (ArithmeticException e) {
                    error("\"" + key + "\" must be a whole number, not " + d.toPlainString());
                    return fallback;
                }
            }
        }
    }
}
