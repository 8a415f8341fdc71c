package io.rdustudio.dfk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.rdustudio.dfk.tests.DfkTester;

/**
 * Malformed input yields diagnostics, never an exception or an internal error: hand-picked bad
 * files and seeded random mutations (deleted, duplicated and swapped tokens) of every example.
 */
class BadInputTest {

    private static final Pattern TOKEN = Pattern.compile("\\S+");
    private static final int MUTATIONS_PER_EXAMPLE = 25;

    private static List<String> check(String text) {
        List<String> issues = DfkTester.of(text).issues();
        for (String issue : issues) {
            assertFalse(issue.contains("internal error"), issue + "\nin:\n" + text);
        }
        return issues;
    }

    @Test
    void randomBytes() {
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            byte[] bytes = new byte[random.nextInt(2000)];
            random.nextBytes(bytes);
            check(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void deeplyNestedExpression() {
        String nested = "(".repeat(1_500) + "1" + ")".repeat(1_500);
        assertTrue(check("let D = " + nested + "\n").isEmpty());
        check("let D = " + "(".repeat(1_500) + "\n");
    }

    @Test
    void nestingBeyondTheLimitIsRefusedQuickly() {
        long start = System.nanoTime();
        RuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> DfkTester.of("let D = " + "(".repeat(1_000_000) + "\n"));
        assertTrue(String.valueOf(refused.getMessage()).contains("more than the 2000 DFK accepts")
                || String.valueOf(refused.getCause()).contains("more than the 2000 DFK accepts"), refused.toString());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "refusal should not take the parser's quadratic path");
    }

    @Test
    void absurdShapes() {
        assertFalse(check("input x: bf16[1099511627776, 1099511627776]\nweight w: bf16[-3]\n").isEmpty());
        assertFalse(check("let D = 99999999999999999999999\ninput x: bf16[D]\n").isEmpty());
        assertFalse(check("let A = B\nlet B = A\ninput x: bf16[A]\n").isEmpty());
        assertFalse(check("input x: bf16[4 / 0]\n").isEmpty());
    }

    @Test
    void truncatedPrograms() throws IOException {
        for (Path example : ExamplesTest.examples().toList()) {
            String text = Files.readString(example);
            for (int cut = 0; cut < text.length(); cut += Math.max(1, text.length() / 7)) {
                check(text.substring(0, cut));
            }
        }
    }

    static List<Path> examples() throws IOException {
        return ExamplesTest.examples().toList();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void seededMutationsOfEveryExample(Path example) throws IOException {
        String text = Files.readString(example);
        List<int[]> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(new int[] { m.start(), m.end() });
        }
        Random random = new Random(example.getFileName().toString().hashCode());
        for (int i = 0; i < MUTATIONS_PER_EXAMPLE; i++) {
            int[] a = tokens.get(random.nextInt(tokens.size()));
            int[] b = tokens.get(random.nextInt(tokens.size()));
            String ta = text.substring(a[0], a[1]);
            String mutated = switch (i % 3) {
                case 0 -> text.substring(0, a[0]) + text.substring(a[1]);
                case 1 -> text.substring(0, a[1]) + " " + ta + text.substring(a[1]);
                default -> swap(text, a, b);
            };
            check(mutated);
        }
    }

    private static String swap(String text, int[] a, int[] b) {
        if (a[0] == b[0]) {
            return text;
        }
        int[] first = a[0] < b[0] ? a : b;
        int[] second = a[0] < b[0] ? b : a;
        if (first[1] > second[0]) {
            return text;
        }
        return text.substring(0, first[0]) + text.substring(second[0], second[1]) + text.substring(first[1], second[0])
                + text.substring(first[0], first[1]) + text.substring(second[1]);
    }
}
