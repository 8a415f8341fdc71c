package io.rdustudio.core.target;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the bytes of a profile file into a {@link TargetProfile}, or into a
 * {@link ProfileException} listing every problem found. The JSON is read strictly (no comments,
 * no single quotes, no trailing commas) and a name given twice in one object is an error rather
 * than silently keeping the last one.
 */
final class ProfileParser {

    private static final List<String> TOP_LEVEL_FIELDS =
            List.of("$schema", "name", "kind", "description", "figures");
    private static final List<String> FIGURE_FIELDS =
            List.of("nominal", "low", "high", "unit", "provenance", "source");
    private static final Pattern GSON_POSITION =
            Pattern.compile("(.*?) at line (\\d+) column (\\d+) path .*", Pattern.DOTALL);
    private static final String STRICT_JSON_HINT = "profiles are strict JSON: names and strings in "
            + "double quotes, commas between entries but not after the last, no comments";

    private final String source;
    private final List<String> problems = new ArrayList<>();

    private ProfileParser(String source) {
        this.source = source;
    }

    /**
     * @param source  where the bytes come from, used in messages and kept as {@link TargetProfile#source()}
     * @param content the file's bytes, UTF-8
     * @throws ProfileException if the content is not a valid profile
     */
    static TargetProfile parse(String source, byte[] content) {
        return new ProfileParser(source).parse(content);
    }

    private TargetProfile parse(byte[] content) {
        JsonObject root = readRoot(decode(content));
        return validate(root, sha256Hex(content));
    }

    // ---- reading ----

    private String decode(byte[] content) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new ProfileException(source, "the file is not UTF-8 text; save it as UTF-8");
        }
        text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (text.isBlank()) {
            throw new ProfileException(source, "the file is empty; a profile is a JSON object with "
                    + "\"name\", \"kind\", \"description\" and \"figures\" (see docs/target-profiles.md)");
        }
        return text;
    }

    private JsonObject readRoot(String text) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonElement root = readValue(reader, "");
            expectEnd(reader);
            if (!root.isJsonObject()) {
                throw new ProfileException(source, "the file holds " + describe(root) + " but a profile is "
                        + "a JSON object with \"name\", \"kind\", \"description\" and \"figures\"");
            }
            return root.getAsJsonObject();
        } catch (IOException e) {
            throw new ProfileException(source, syntaxProblem(e.getMessage()));
        }
    }

    /** In strict mode gson rejects any text after the top-level value when asked for the next token. */
    private void expectEnd(JsonReader reader) {
        try {
            reader.peek();
        } catch (IOException e) {
            Matcher matcher = GSON_POSITION.matcher(String.valueOf(e.getMessage()));
            String position = matcher.matches() ? " at line " + matcher.group(2) + ", column " + matcher.group(3) : "";
            throw new ProfileException(source, "unexpected text after the profile object" + position
                    + "; a profile file holds one JSON object");
        }
    }

    /** Reads one JSON value into a tree, recording a name given twice in one object as a problem. */
    private JsonElement readValue(JsonReader reader, String path) throws IOException {
        return switch (reader.peek()) {
            case BEGIN_OBJECT -> {
                JsonObject object = new JsonObject();
                reader.beginObject();
                while (reader.hasNext()) {
                    String name = reader.nextName();
                    String childPath = path.isEmpty() ? name : path + "." + name;
                    JsonElement value = readValue(reader, childPath);
                    if (object.has(name)) {
                        problems.add(childPath + ": appears more than once; keep only one");
                    } else {
                        object.add(name, value);
                    }
                }
                reader.endObject();
                yield object;
            }
            case BEGIN_ARRAY -> {
                JsonArray array = new JsonArray();
                reader.beginArray();
                while (reader.hasNext()) {
                    array.add(readValue(reader, path + "[" + array.size() + "]"));
                }
                reader.endArray();
                yield array;
            }
            case STRING -> new JsonPrimitive(reader.nextString());
            case NUMBER -> new JsonPrimitive(Double.parseDouble(reader.nextString()));
            case BOOLEAN -> new JsonPrimitive(reader.nextBoolean());
            case NULL -> {
                reader.nextNull();
                yield JsonNull.INSTANCE;
            }
            case NAME, END_OBJECT, END_ARRAY, END_DOCUMENT ->
                    throw new AssertionError("JsonReader.peek() at a value position returned " + reader.peek());
        };
    }

    /** Rewrites gson's syntax message ("Expected name at line 3 column 5 path $.x ...") for a user. */
    private static String syntaxProblem(String gsonMessage) {
        String message = String.valueOf(gsonMessage);
        Matcher matcher = GSON_POSITION.matcher(message);
        if (!matcher.matches()) {
            return "malformed JSON (" + message.lines().findFirst().orElse("") + "); " + STRICT_JSON_HINT;
        }
        String reason = matcher.group(1);
        if (reason.startsWith("Use JsonReader.setStrictness")) {
            reason = "not valid JSON here";
        } else if (reason.startsWith("End of input")) {
            reason = "the file ends before the JSON is complete";
        }
        return "malformed JSON at line " + matcher.group(2) + ", column " + matcher.group(3) + ": "
                + reason + "; " + STRICT_JSON_HINT;
    }

    // ---- validation ----

    private TargetProfile validate(JsonObject root, String contentHash) {
        for (String field : root.keySet()) {
            if (!TOP_LEVEL_FIELDS.contains(field)) {
                problems.add(field + ": unknown field; a profile has only " + String.join(", ", TOP_LEVEL_FIELDS));
            }
        }
        String name = requiredString(root, "", "name");
        TargetKind kind = kind(root);
        String description = requiredString(root, "", "description");
        Map<FigureKey, Figure> figures = figures(root, kind);
        if (!problems.isEmpty()) {
            throw new ProfileException(source, problems);
        }
        return new TargetProfile(name, kind, description, source, contentHash, figures);
    }

    private TargetKind kind(JsonObject root) {
        String text = requiredString(root, "", "kind");
        if (text == null) {
            return null;
        }
        Optional<TargetKind> kind = TargetKind.fromJsonName(text);
        if (kind.isEmpty()) {
            problems.add("kind: is \"" + text + "\" but must be one of " + quotedList(
                    Arrays.stream(TargetKind.values()).map(TargetKind::jsonName).toList()));
        }
        return kind.orElse(null);
    }

    private Map<FigureKey, Figure> figures(JsonObject root, TargetKind kind) {
        Map<FigureKey, Figure> figures = new EnumMap<>(FigureKey.class);
        JsonElement element = root.get("figures");
        if (element == null) {
            problems.add("figures: missing; give an object that maps figure keys to figures");
            return figures;
        }
        if (!element.isJsonObject()) {
            problems.add("figures: must be an object that maps figure keys to figures, found " + describe(element));
            return figures;
        }
        JsonObject figuresObject = element.getAsJsonObject();
        for (Map.Entry<String, JsonElement> entry : figuresObject.entrySet()) {
            String path = "figures." + entry.getKey();
            Optional<FigureKey> key = FigureKey.fromJsonKey(entry.getKey());
            if (key.isEmpty()) {
                problems.add(path + ": unknown figure" + suggestion(entry.getKey())
                        + "; the keys are listed in docs/target-profiles.md");
            } else if (kind != null && !key.get().appliesTo(kind)) {
                problems.add(path + ": is not a figure of kind " + kind.jsonName() + "; remove it");
            } else {
                figure(key.get(), entry.getValue(), path).ifPresent(figure -> figures.put(key.get(), figure));
            }
        }
        if (kind != null) {
            for (FigureKey key : FigureKey.requiredBy(kind)) {
                if (!figuresObject.has(key.jsonKey())) {
                    problems.add("figures." + key.jsonKey() + ": missing; every " + kind.jsonName()
                            + " profile gives it (in " + key.unit().symbol() + "); copy it from the bundled "
                            + TargetProfiles.exampleOf(kind) + " profile and adjust it");
                }
            }
        }
        return figures;
    }

    private Optional<Figure> figure(FigureKey key, JsonElement element, String path) {
        if (!element.isJsonObject()) {
            problems.add(path + ": must be an object with " + String.join(", ", FIGURE_FIELDS)
                    + ", found " + describe(element));
            return Optional.empty();
        }
        JsonObject object = element.getAsJsonObject();
        int problemsBefore = problems.size();
        for (String field : object.keySet()) {
            if (!FIGURE_FIELDS.contains(field)) {
                problems.add(path + "." + field + ": unknown field; a figure has only "
                        + String.join(", ", FIGURE_FIELDS));
            }
        }
        Double nominal = value(object, path, "nominal", key);
        Double low = value(object, path, "low", key);
        Double high = value(object, path, "high", key);
        checkUnit(object, path, key);
        Provenance provenance = provenance(object, path);
        String figureSource = requiredString(object, path, "source");
        if (nominal != null && low != null && high != null) {
            checkOrder(path, key, nominal, low, high);
        }
        if (problems.size() > problemsBefore) {
            return Optional.empty();
        }
        return Optional.of(new Figure(nominal, low, high, key.unit(), provenance, figureSource));
    }

    private Double value(JsonObject object, String path, String field, FigureKey key) {
        String place = path + "." + field;
        JsonElement element = object.get(field);
        if (element == null) {
            problems.add(place + ": missing; give a number in " + key.unit().symbol()
                    + " (low and high equal nominal when the figure is exact)");
            return null;
        }
        if (!(element.isJsonPrimitive() && element.getAsJsonPrimitive().isNumber())) {
            problems.add(place + ": must be a number in " + key.unit().symbol() + ", found " + describe(element));
            return null;
        }
        double value = element.getAsDouble();
        if (!Double.isFinite(value)) {
            problems.add(place + ": is too large to be a number; write it in " + key.unit().symbol());
            return null;
        }
        if (value <= 0) {
            problems.add(place + ": is " + show(value) + " but must be above 0");
            return null;
        }
        if (key.unit().wholeNumbers() && value != Math.rint(value)) {
            problems.add(place + ": is " + show(value) + " but must be a whole number");
            return null;
        }
        return value;
    }

    private void checkUnit(JsonObject object, String path, FigureKey key) {
        String unit = requiredString(object, path, "unit");
        if (unit != null && !unit.equals(key.unit().symbol())) {
            problems.add(path + ".unit: is \"" + unit + "\" but " + key.jsonKey() + " is given in "
                    + key.unit().symbol() + "; convert the values and write \"unit\": \""
                    + key.unit().symbol() + "\"");
        }
    }

    private Provenance provenance(JsonObject object, String path) {
        String text = requiredString(object, path, "provenance");
        if (text == null) {
            return null;
        }
        Optional<Provenance> provenance = Provenance.fromJsonName(text);
        if (provenance.isEmpty()) {
            problems.add(path + ".provenance: is \"" + text + "\" but must be one of " + quotedList(
                    Arrays.stream(Provenance.values()).map(Provenance::jsonName).toList()));
        }
        return provenance.orElse(null);
    }

    private void checkOrder(String path, FigureKey key, double nominal, double low, double high) {
        if (low > nominal) {
            problems.add(path + ": low " + show(low) + " is above nominal " + show(nominal)
                    + "; make low <= nominal <= high");
        }
        if (nominal > high) {
            problems.add(path + ": nominal " + show(nominal) + " is above high " + show(high)
                    + "; make low <= nominal <= high");
        }
        if (key.better() == FigureKey.Better.NEITHER && (low != nominal || high != nominal)) {
            problems.add(path + ": " + key.jsonKey() + " describes structure or a default, not an uncertain "
                    + "rate; give low, nominal and high the same value");
        }
    }

    private String requiredString(JsonObject object, String path, String field) {
        String place = path.isEmpty() ? field : path + "." + field;
        JsonElement element = object.get(field);
        if (element == null) {
            problems.add(place + ": missing; give a non-empty string");
            return null;
        }
        if (!(element.isJsonPrimitive() && element.getAsJsonPrimitive().isString())) {
            problems.add(place + ": must be a string, found " + describe(element));
            return null;
        }
        String text = element.getAsString();
        if (text.isBlank()) {
            problems.add(place + ": is empty; " + (field.equals("source")
                    ? "cite the publication for a published figure, give the reasoning for an assumed one"
                    : "give a non-empty string"));
            return null;
        }
        return text;
    }

    // ---- helpers ----

    /** The closest known key, ignoring case, if it is within a quarter of its length of edits. */
    private static String suggestion(String unknownKey) {
        String unknown = unknownKey.toLowerCase(Locale.ROOT);
        return Arrays.stream(FigureKey.values())
                .map(FigureKey::jsonKey)
                .filter(known -> distance(known, unknown) <= Math.max(2, known.length() / 4))
                .min(Comparator.comparingInt(known -> distance(known, unknown)))
                .map(known -> "; did you mean " + known + "?")
                .orElse("");
    }

    private static int distance(String knownKey, String lowerCaseKey) {
        return editDistance(knownKey.toLowerCase(Locale.ROOT), lowerCaseKey);
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String describe(JsonElement element) {
        if (element.isJsonObject()) {
            return "an object";
        }
        if (element.isJsonArray()) {
            return "an array";
        }
        if (element.isJsonNull()) {
            return "null";
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        if (primitive.isString()) {
            return "the string \"" + primitive.getAsString() + "\"";
        }
        return primitive.isBoolean() ? "the boolean " + primitive.getAsBoolean() : "the number " + show(primitive.getAsDouble());
    }

    private static String show(double value) {
        boolean smallWhole = value == Math.rint(value) && Math.abs(value) < 1e7;
        return smallWhole ? Long.toString((long) value) : Double.toString(value);
    }

    private static String quotedList(List<String> names) {
        return names.stream().map(name -> "\"" + name + "\"").collect(Collectors.joining(", "));
    }

    private static String sha256Hex(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
