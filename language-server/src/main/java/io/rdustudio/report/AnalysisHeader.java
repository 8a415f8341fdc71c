package io.rdustudio.report;

import java.nio.file.Path;
import java.util.Locale;

import org.eclipse.emf.common.util.URI;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.rdustudio.core.analysis.Sizes;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.target.TargetProfile;

/**
 * What every analysis report ({@code dfk estimate}, {@code place}, {@code memory}) starts with: the
 * tool's version, the target profile (name and content hash) and the file, so that a figure can be
 * traced to the exact model and hardware numbers that produced it; and the shared formatting of
 * places, diagnostics and quantities.
 */
public final class AnalysisHeader {

    private final ToolInfo tool;
    private final TargetProfile target;
    private final String file;
    private final Path workingDirectory;

    /**
     * @param file             the analysed file as the user named it
     * @param workingDirectory what places in other files are shown relative to
     */
    public AnalysisHeader(ToolInfo tool, TargetProfile target, String file, Path workingDirectory) {
        this.tool = tool;
        this.target = target;
        this.file = file;
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    /** {@code dfk 0.1.0 estimate of a.dfk on sn40l-node (profile sha256 1a2b3c4d5e6f)}. */
    public String textLine(String command) {
        return String.format(Locale.ROOT, "%s %s %s of %s on %s (profile %s, sha256 %s)", tool.name(), tool.version(),
                command, file, target.name(), target.source(), target.contentHash().substring(0, 12));
    }

    /** A JSON report's root with {@code tool}, {@code target} and {@code file} set. */
    public JsonObject jsonRoot(String command) {
        JsonObject root = new JsonObject();
        JsonObject toolJson = new JsonObject();
        toolJson.addProperty("name", tool.name());
        toolJson.addProperty("version", tool.version());
        root.add("tool", toolJson);
        root.addProperty("command", command);
        root.add("target", JsonReport.target(target));
        root.addProperty("file", file);
        return root;
    }

    public static String pretty(JsonElement json) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                .create().toJson(json);
    }

    /** {@code file:line:col}, the file as the user named it or relative to the working directory. */
    public String place(SourceLocation location) {
        return fileOf(location) + ":" + location.line() + ":" + location.column();
    }

    public String fileOf(SourceLocation location) {
        String uri = location.uri();
        if (uri == null || uri.isEmpty()) {
            return file;
        }
        try {
            URI parsed = URI.createURI(uri);
            Path path = parsed.isFile() ? Path.of(parsed.toFileString()) : Path.of(uri);
            path = path.toAbsolutePath().normalize();
            if (path.equals(workingDirectory.resolve(file).toAbsolutePath().normalize())) {
                return file;
            }
            Path shown = path.startsWith(workingDirectory) ? workingDirectory.relativize(path) : path;
            return shown.toString().replace('\\', '/');
        } catch (RuntimeException e) {
            return uri;
        }
    }

    /** {@code file:line:col: severity: message}, as {@code dfk check} prints. */
    public String diagnosticLine(Diagnostic d) {
        return place(d.location()) + ": " + Severities.word(d.severity()) + ": " + d.message();
    }

    public JsonArray diagnosticsJson(Iterable<Diagnostic> diagnostics) {
        JsonArray array = new JsonArray();
        for (Diagnostic d : diagnostics) {
            JsonObject json = location(d.location());
            json.addProperty("severity", Severities.word(d.severity()));
            json.addProperty("code", d.code());
            json.addProperty("message", d.message());
            array.add(json);
        }
        return array;
    }

    public JsonObject location(SourceLocation location) {
        JsonObject json = new JsonObject();
        json.addProperty("file", fileOf(location));
        json.addProperty("line", location.line());
        json.addProperty("column", location.column());
        return json;
    }

    /** FLOPs in decimal units: {@code 1.34 GFLOP}. */
    public static String flops(double flops) {
        return Sizes.flops(flops);
    }

    /** Bytes in decimal units ({@code 12.6 MB}), as bandwidth figures are; {@code -} for none. */
    public static String bytes(double bytes) {
        return bytes == 0 ? "-" : Sizes.decimalBytes(bytes);
    }

    /** Bytes in binary units ({@code 12.0 GiB}), as memory capacities are. */
    public static String binaryBytes(long bytes) {
        String[] units = { "B", "KiB", "MiB", "GiB", "TiB" };
        int u = 0;
        double v = bytes;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", v) : String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }

    /** FLOP/B with three significant figures; {@code inf} when nothing moves off chip. */
    public static String intensity(double v) {
        return Sizes.intensity(v);
    }

    /** A JSON number, or null for an infinite one (JSON has no infinity). */
    public static JsonElement number(double v) {
        return Double.isFinite(v) ? new com.google.gson.JsonPrimitive(v) : com.google.gson.JsonNull.INSTANCE;
    }
}
