package io.rdustudio.core.target;

import java.util.List;

/**
 * A target profile could not be found or read, or its content is wrong. The user can fix it:
 * every problem names the place (the file, and the field as a dotted path such as
 * {@code figures.clockHz.low}) and says what to change. The message lists all problems found,
 * not only the first.
 *
 * <p>Unchecked: loading a bundled profile cannot fail in a correct build, and adapters (CLI,
 * language server) catch this exception at their edge and show {@link #getMessage()} as is.
 */
public final class ProfileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final List<String> problems;

    /**
     * @param source   the profile's file path, classpath resource or the name the user gave
     * @param problems one sentence per problem, each naming its place and the fix
     */
    public ProfileException(String source, List<String> problems) {
        super(message(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public ProfileException(String source, String problem) {
        this(source, List.of(problem));
    }

    /** The profile's file path, classpath resource or the name the user gave. */
    public String source() {
        return source;
    }

    /** Each problem on its own, for clients that show them as separate diagnostics. */
    public List<String> problems() {
        return problems;
    }

    private static String message(String source, List<String> problems) {
        if (problems.size() == 1) {
            return "target profile " + source + ": " + problems.get(0);
        }
        return "target profile " + source + " has " + problems.size() + " problems:\n  - "
                + String.join("\n  - ", problems);
    }
}
