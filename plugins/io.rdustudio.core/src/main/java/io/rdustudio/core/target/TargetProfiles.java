package io.rdustudio.core.target;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds and loads target profiles: the bundled ones by name, the user's own by file path.
 *
 * <p>A profile is a JSON file described by {@value #SCHEMA_RESOURCE} and by
 * {@code docs/target-profiles.md}. Loading validates it completely: every figure its kind needs
 * is present, no unknown or foreign key, values finite, positive and ordered
 * {@code low <= nominal <= high}, units as the key defines them. Any problem is reported as a
 * {@link ProfileException}; no parser exception escapes.
 */
public final class TargetProfiles {

    /** Classpath resource of the JSON Schema (draft 2020-12) of profile files. */
    public static final String SCHEMA_RESOURCE = "/io/rdustudio/core/target/target-profile.schema.json";

    private static final String BUNDLED_FOLDER = "/io/rdustudio/core/target/profiles/";
    private static final List<String> BUNDLED_NAMES = List.of("sn40l", "sn40l-node", "dgx-a100", "dgx-h100");

    private TargetProfiles() {
    }

    /** Names {@link #load(String)} accepts without a path: one SN40L socket, an SN40L node, two DGX nodes. */
    public static List<String> bundledNames() {
        return BUNDLED_NAMES;
    }

    /**
     * Loads a bundled profile when {@code nameOrPath} is one of {@link #bundledNames()}, else the
     * profile file at that path (relative paths resolve against the working directory). A file
     * that happens to carry a bundled name is reached with a path such as {@code ./sn40l}.
     *
     * @throws ProfileException if there is no such profile or it is not valid
     */
    public static TargetProfile load(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new ProfileException("(none)", "no target profile given; name a bundled profile ("
                    + String.join(", ", BUNDLED_NAMES) + ") or the path of a profile file");
        }
        if (BUNDLED_NAMES.contains(nameOrPath)) {
            return loadBundled(nameOrPath);
        }
        Path path;
        try {
            path = Path.of(nameOrPath);
        } catch (InvalidPathException e) {
            throw new ProfileException(nameOrPath, "not a bundled profile name and not a valid path ("
                    + e.getReason() + "); bundled profiles are " + String.join(", ", BUNDLED_NAMES));
        }
        if (!Files.exists(path)) {
            throw new ProfileException(nameOrPath, "no bundled profile has this name and no file "
                    + path.toAbsolutePath().normalize() + " exists; bundled profiles are "
                    + String.join(", ", BUNDLED_NAMES) + ", or give the path of a profile file");
        }
        return load(path);
    }

    /**
     * Loads the profile file at {@code file}.
     *
     * @throws ProfileException if the file cannot be read or is not a valid profile
     */
    public static TargetProfile load(Path file) {
        String source = file.toAbsolutePath().normalize().toString();
        if (!Files.exists(file)) {
            throw new ProfileException(source, "no such file; check the path");
        }
        if (Files.isDirectory(file)) {
            throw new ProfileException(source, "is a folder; give the path of a profile file (.json)");
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ProfileException(source, "cannot be read (" + e.getMessage() + "); check that you "
                    + "may read the file");
        }
        return ProfileParser.parse(source, content);
    }

    /**
     * Parses profile content that does not come from a file on disk, such as an editor's unsaved
     * buffer.
     *
     * @param source  a label for messages and {@link TargetProfile#source()}, e.g. a document URI
     * @param content the profile's bytes, UTF-8; the content hash is computed over them
     * @throws ProfileException if the content is not a valid profile
     */
    public static TargetProfile parse(String source, byte[] content) {
        return ProfileParser.parse(source, content);
    }

    private static TargetProfile loadBundled(String name) {
        String resource = BUNDLED_FOLDER + name + ".json";
        try (InputStream in = TargetProfiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled profile " + resource + " is missing from the build");
            }
            return ProfileParser.parse("classpath:" + resource, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("bundled profile " + resource + " cannot be read", e);
        }
    }

    /** The bundled profile a user can copy a missing figure of {@code kind} from. */
    static String exampleOf(TargetKind kind) {
        return switch (kind) {
            case RDU -> "sn40l";
            case GPU -> "dgx-h100";
        };
    }
}
