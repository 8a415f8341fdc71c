package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random mutations of every example, DFK programs and CoE descriptors (and of
 * {@link Dfk#VALID}): tokens deleted, duplicated and swapped. Each mutant checks to diagnostics and exit 0 or 1, never a trace or a hang. A
 * failure names the seed; the mutants stay reproducible.
 */
class MutationTest {

    private static final int MUTANTS_PER_KIND = 8;
    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*|\\d[\\d_.eE]*|\"[^\"\\n]*\"|\\S");

    @TempDir
    Path dir;

    static Stream<String> programs() throws IOException {
        List<String> names = new ArrayList<>(List.of("inline:VALID"));
        if (Files.isDirectory(EXAMPLES)) {
            try (Stream<Path> files = Files.list(EXAMPLES)) {
                files.filter(f -> f.toString().endsWith(".dfk") || f.toString().endsWith(".coe")).sorted().forEach(f -> names.add(f.getFileName().toString()));
            }
        }
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("programs")
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void mutantsCheckToDiagnostics(String program) throws IOException {
        Path workspace = dir.resolve("examples");
        Files.createDirectories(workspace);
        String text;
        if (program.startsWith("inline:")) {
            text = Dfk.VALID;
        } else {
            // copy the whole tree so that imports (examples/lib/...) still resolve
            try (Stream<Path> files = Files.walk(EXAMPLES)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path copy = workspace.resolve(EXAMPLES.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(f, copy);
                    }
                }
            }
            text = Files.readString(EXAMPLES.resolve(program), StandardCharsets.UTF_8);
        }
        List<Token> tokens = tokens(text);
        assertFalse(tokens.isEmpty(), program + " has no tokens");

        String extension = program.endsWith(".coe") ? ".coe" : ".dfk";
        List<String> args = new ArrayList<>(extension.equals(".coe") ? List.of("coe", "check") : List.of("check"));
        long seed = program.hashCode();
        Random random = new Random(seed);
        String base = program.replace("inline:", "").replace(extension, "");
        for (int i = 0; i < MUTANTS_PER_KIND; i++) {
            args.add(write(workspace, base + ".deleted" + i + extension, delete(text, tokens, random)));
            args.add(write(workspace, base + ".duplicated" + i + extension, duplicate(text, tokens, random)));
            args.add(write(workspace, base + ".swapped" + i + extension, swap(text, tokens, random)));
        }

        Dfk.Run run = Dfk.run(args.toArray(String[]::new));
        try {
            run.assertCleanExit();
        } catch (AssertionError e) {
            throw new AssertionError(program + " mutated with seed " + seed + ": " + e.getMessage(), e);
        }
    }

    private record Token(int start, int end) {
    }

    private static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(text);
        while (matcher.find()) {
            tokens.add(new Token(matcher.start(), matcher.end()));
        }
        return tokens;
    }

    private static String delete(String text, List<Token> tokens, Random random) {
        Token t = tokens.get(random.nextInt(tokens.size()));
        return text.substring(0, t.start()) + text.substring(t.end());
    }

    private static String duplicate(String text, List<Token> tokens, Random random) {
        Token t = tokens.get(random.nextInt(tokens.size()));
        return text.substring(0, t.end()) + " " + text.substring(t.start(), t.end()) + text.substring(t.end());
    }

    private static String swap(String text, List<Token> tokens, Random random) {
        if (tokens.size() < 2) {
            return text;
        }
        int i = random.nextInt(tokens.size() - 1);
        Token a = tokens.get(i);
        Token b = tokens.get(i + 1);
        return text.substring(0, a.start()) + text.substring(b.start(), b.end()) + text.substring(a.end(), b.start())
                + text.substring(a.start(), a.end()) + text.substring(b.end());
    }

    private static String write(Path folder, String name, String text) throws IOException {
        return Dfk.write(folder, name, text).toString();
    }
}
