package io.rdustudio.dfk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.rdustudio.core.ir.Program;
import io.rdustudio.dfk.tests.DfkTester;

/** Every bundled example (and library file) checks clean, and the models have their real sizes. */
class ExamplesTest {

    static final Path EXAMPLES = Path.of("..", "examples");

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".dfk")).sorted().toList().stream();
        }
    }

    @Test
    void thereAreExamples() throws IOException {
        assertTrue(examples().count() >= 9, "examples/ should hold the bundled programs");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void checksClean(Path example) {
        // the analysis's advice (fusion hints, bandwidth bottlenecks) is not a problem
        List<String> issues = new DfkTester().disk(example).problems(example);
        assertEquals(List.of(), issues, example + " should check clean (no errors, no warnings)");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void startsWithAHeaderComment(Path example) throws IOException {
        String text = Files.readString(example).stripLeading();
        assertTrue(text.startsWith("//") || text.startsWith("#") || text.startsWith("/*"),
                example + " should start with a comment saying what it models");
    }

    @Test
    void llama2PrefillHas674BillionParameters() {
        Path file = EXAMPLES.resolve("llama2_7b_prefill.dfk");
        Program program = new DfkTester().disk(file).lowered(file).program();
        double billions = program.parameterCount() / 1e9;
        assertEquals(6.74, billions, 6.74 * 0.01, "Llama2-7B has 6.74 B parameters");
        assertFalse(program.kernels().isEmpty());
        assertTrue(program.schedule().isPresent());
    }
}
