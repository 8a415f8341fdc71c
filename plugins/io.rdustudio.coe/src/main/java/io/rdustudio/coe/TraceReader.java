package io.rdustudio.coe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;

import io.rdustudio.coe.model.Workload;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.SourceLocation;

/**
 * Reads a workload's trace (JSON Lines, the format of {@code ExpertMix.Trace}): one strict JSON
 * object per line. Every bad line is reported at its line of the trace file (up to
 * {@value #MAX_REPORTED} of them), with what is wrong and what a good line looks like; nothing is
 * simulated from a trace with errors ({@link DeploymentCheck#checkTraces} reports the same ahead).
 */
final class TraceReader {

    static final int MAX_REPORTED = 20;
    /** Larger trace files are refused before reading: a million requests take about 100 MiB of JSON. */
    static final long MAX_FILE_BYTES = 1L << 30;

    private static final Pattern COLUMN = Pattern.compile("column (\\d+)");
    private static final Set<String> FIELDS = Set.of("arrivalSeconds", "expert", "domain", "promptTokens", "outputTokens");
    private static final String EXAMPLE = "{\"arrivalSeconds\": 0.5, \"expert\": \"math_003\", \"promptTokens\": 512, "
            + "\"outputTokens\": 20}";

    /** One request of the trace, in file order. */
    record Line(double arrivalSeconds, int expert, int promptTokens, int outputTokens) {
    }

    private final Path file;
    private final String uri;
    private final ExpertTable table;
    private final Workload workload;
    private final int outputCap;
    private final IntUnaryOperator contextOf;
    private final int routerContext;
    private final SplittableRandom choices;
    private final List<Diagnostic> errors = new ArrayList<>();
    private int lineNumber;

    /**
     * @param contextOf     the maximum context of each expert, by index
     * @param routerContext the router's maximum context
     * @param choices       draws an expert for lines that give a domain
     */
    TraceReader(Path file, ExpertTable table, Workload workload, int outputCap, IntUnaryOperator contextOf,
            int routerContext, SplittableRandom choices) {
        this.file = file;
        this.uri = file.toAbsolutePath().normalize().toUri().toString();
        this.table = table;
        this.workload = workload;
        this.outputCap = outputCap;
        this.contextOf = contextOf;
        this.routerContext = routerContext;
        this.choices = choices;
    }

    /** The trace's requests in file order, at most {@code workload.requests()} (0: all). */
    List<Line> read() {
        int limit = workload.requests() > 0 ? workload.requests() : Limits.MAX_REQUESTS;
        List<Line> lines = new ArrayList<>();
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw fail("the trace is larger than " + Units.bytes(MAX_FILE_BYTES) + "; split it or give a request count", 1);
            }
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String text;
                while ((text = in.readLine()) != null && errors.size() < MAX_REPORTED) {
                    lineNumber++;
                    if (text.isBlank()) {
                        continue;
                    }
                    if (lines.size() == limit) {
                        if (workload.requests() == 0) {
                            throw fail("the trace has more than " + Units.count(Limits.MAX_REQUESTS)
                                    + " requests; give the workload a request count to read only the first ones", lineNumber);
                        }
                        break;
                    }
                    Line line = parse(text);
                    if (line != null) {
                        lines.add(line);
                    }
                }
            }
        } catch (CharacterCodingException e) {
            throw fail("the trace is not UTF-8 text (after line " + lineNumber + "); save it as UTF-8", lineNumber + 1);
        } catch (IOException e) {
            throw fail("the trace cannot be read (" + e.getMessage() + "); check the path and its permissions", Math.max(1, lineNumber));
        }
        if (!errors.isEmpty()) {
            throw new DeploymentException(errors);
        }
        if (lines.isEmpty()) {
            throw fail("the trace holds no requests; write one JSON object per line, like " + EXAMPLE, 1);
        }
        return lines;
    }

    private DeploymentException fail(String message, int line) {
        List<Diagnostic> all = new ArrayList<>(errors);
        all.add(error(message, line));
        return new DeploymentException(all);
    }

    private Diagnostic error(String message, int line) {
        return Diagnostic.error("coe.bad-trace", message, new SourceLocation(uri, 0, 0, line, 1));
    }

    private void report(String message) {
        errors.add(error(message, lineNumber));
    }

    private Line parse(String text) {
        JsonObject o;
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            JsonElement element = JsonParser.parseReader(reader);
            // strict mode: a second value after the first makes peek() throw, at its column
            reader.peek();
            if (!element.isJsonObject()) {
                report("a request is a JSON object, not " + element + "; for example " + EXAMPLE);
                return null;
            }
            o = element.getAsJsonObject();
        } catch (JsonParseException | IOException e) {
            Matcher column = COLUMN.matcher(rootMessage(e));
            report("not valid JSON" + (column.find() ? " at column " + column.group(1) : "")
                    + " (strict JSON: names and strings in double quotes, one object per line); a line looks like " + EXAMPLE);
            return null;
        }
        int before = errors.size();
        for (String key : o.keySet()) {
            if (!FIELDS.contains(key)) {
                report("unknown field '" + key + "'; the fields are arrivalSeconds, expert, domain, promptTokens, outputTokens");
            }
        }
        double arrival = number(o, "arrivalSeconds");
        if (!o.has("arrivalSeconds")) {
            report("missing \"arrivalSeconds\", the request's arrival time in seconds");
        } else if (!Double.isNaN(arrival) && (arrival < 0 || !Double.isFinite(arrival))) { // NaN: not a number, reported
            report("\"arrivalSeconds\" must be a finite number of seconds, 0 or more");
        }
        int expert = expert(o);
        int prompt = tokens(o, "promptTokens", workload.promptTokens(), 1);
        int output = Math.min(outputCap, tokens(o, "outputTokens", workload.outputTokens(), 0));
        if (errors.size() > before) {
            return null;
        }
        if (prompt > routerContext) {
            report("a prompt of " + Units.count(prompt) + " tokens exceeds the router's context of "
                    + Units.count(routerContext) + " tokens; shorten the request");
            return null;
        }
        long context = contextOf.applyAsInt(expert);
        if ((long) prompt + output > context) {
            report(prompt + " prompt + " + output + " output tokens exceed the context of expert '" + table.name(expert)
                    + "' (" + Units.count(context) + " tokens); shorten the request");
            return null;
        }
        return new Line(arrival, expert, prompt, output);
    }

    private static String rootMessage(Exception e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private double number(JsonObject o, String key) {
        JsonElement v = o.get(key);
        if (v == null) {
            return Double.NaN;
        }
        if (!(v instanceof JsonPrimitive p) || !p.isNumber()) {
            report("\"" + key + "\" must be a number, not " + v);
            return Double.NaN;
        }
        return p.getAsDouble();
    }

    private int tokens(JsonObject o, String key, int fallback, int min) {
        if (!o.has(key)) {
            return fallback;
        }
        double v = number(o, key);
        if (Double.isNaN(v)) {
            return fallback;
        }
        if (v != Math.rint(v) || v < min || v > Limits.MAX_TOKENS) {
            report("\"" + key + "\" must be a whole number from " + min + " to " + Units.count(Limits.MAX_TOKENS) + ", not " + o.get(key));
            return fallback;
        }
        return (int) v;
    }

    private int expert(JsonObject o) {
        boolean byExpert = o.has("expert");
        boolean byDomain = o.has("domain");
        if (byExpert == byDomain) {
            report(byExpert ? "give either \"expert\" or \"domain\", not both"
                    : "missing \"expert\" (an expert's name) or \"domain\" (a domain tag)");
            return 0;
        }
        String key = byExpert ? "expert" : "domain";
        JsonElement v = o.get(key);
        if (!(v instanceof JsonPrimitive p) || !p.isString()) {
            report("\"" + key + "\" must be a string, not " + v);
            return 0;
        }
        String name = p.getAsString();
        if (byExpert) {
            int[] members = table.lookup(name);
            if (members.length == 0) {
                report("no expert is named '" + name + "'; use a declared expert's name or one copy's name (such as "
                        + table.name(0) + ")");
                return 0;
            }
            return members.length == 1 ? members[0] : members[choices.nextInt(members.length)];
        }
        List<Integer> members = table.domain(name);
        if (members.isEmpty()) {
            report("no expert has the domain '" + name + "'; domains are "
                    + (table.domains().isEmpty() ? "(none declared)" : String.join(", ", table.domains())));
            return 0;
        }
        return members.get(choices.nextInt(members.size()));
    }
}
