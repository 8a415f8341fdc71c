package io.rdustudio.dfk.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.lsp4j.FormattingOptions;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.formatting.FormattingService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.rdustudio.dfk.tests.DfkTester;

/** The formatter through Xtext's formatting service, as the language server runs it. */
class FormatterTest {

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    /** {@code text} formatted (the whole document, or from {@code offset} for {@code length}). */
    static String format(String text, int offset, int length, FormattingOptions options) {
        IdeTester tester = IdeTester.of(text);
        Document document = tester.document();
        List<TextEdit> edits = IdeTester.service(FormattingService.class).format(tester.resource(), document, offset,
                length, options);
        return IdeTester.apply(document, edits);
    }

    static String format(String text) {
        return format(text, 0, text.length(), new FormattingOptions(4, true));
    }

    @Test
    void spacingIndentationAndBlankLinesAreNormalised() {
        String messy = """


                let   D=4*16   // width
                weight w :bf16 [ D,D ]@hbm\t\t
                input x: bf16[4,D]
                output y: bf16[4, D]



                kernel k < T > ( a : bf16[T,D] , m:bf16[D, D] )->( o: bf16[T, D] ) with tp=1{

                  t=matmul( a,m )*-2+a
                        o = softmax( t , axis = -1 )   # normalise

                }
                schedule with sockets=1 , orchestration=hardware {
                for l in 0 .. 2 {
                y = k( x,w )
                }
                }""";
        String formatted = format(messy);
        assertEquals("""
                let D = 4 * 16   // width
                weight w: bf16[D, D] @hbm
                input x: bf16[4, D]
                output y: bf16[4, D]

                kernel k<T>(a: bf16[T, D], m: bf16[D, D]) -> (o: bf16[T, D]) with tp = 1 {
                    t = matmul(a, m) * -2 + a
                    o = softmax(t, axis=-1)   # normalise
                }
                schedule with sockets = 1, orchestration = hardware {
                    for l in 0..2 {
                        y = k(x, w)
                    }
                }
                """, formatted);
        assertEquals(formatted, format(formatted), "formatting is idempotent");
    }

    @Test
    void continuationLinesKeepTheirAlignment() {
        String text = """
                let D = 8
                kernel attention(x: bf16[4, D], g: bf16[D],
                                 wq: bf16[D, D]) -> (y: bf16[4, D]) {
                    y = matmul(x,
                               wq)
                }
                """;
        assertEquals(text.replace("matmul(x,", "matmul(x,"), format(text));
        String shifted = text.replace("\n    y = matmul(x,\n               wq)", "\n  y = matmul(x,\n             wq)");
        assertEquals(text, format(shifted), "a re-indented line takes its continuation along");
    }

    @Test
    void blockCommentsLoseTrailingSpacesOnly() {
        assertEquals("/* one  \n   two */\nlet D = 1\n".replace("one  ", "one"), format("/* one  \n   two */\nlet D = 1\n"));
    }

    @Test
    void rangeFormattingChangesOnlyTheRange() {
        String text = "let A=1\nlet B=2\nlet C=3\n";
        int start = text.indexOf("let B");
        assertEquals("let A=1\nlet B = 2\nlet C=3\n", format(text, start, "let B=2".length(), new FormattingOptions(4, true)));
    }

    @Test
    void theClientsIndentWidthIsUsedAndTabsNeverAre() {
        String text = "kernel k(a: bf16[4]) -> (o: bf16[4]) {\no = a\n}\n";
        assertEquals("kernel k(a: bf16[4]) -> (o: bf16[4]) {\n  o = a\n}\n", format(text, 0, text.length(),
                new FormattingOptions(2, true)));
        assertEquals("kernel k(a: bf16[4]) -> (o: bf16[4]) {\n    o = a\n}\n", format(text, 0, text.length(),
                new FormattingOptions(8, false)));
    }

    @Test
    void aDocumentWithSyntaxErrorsIsNotFormatted() {
        ResponseErrorException e = assertThrows(ResponseErrorException.class, () -> format("let D = \nkernel {\n"));
        assertTrue(e.getMessage().startsWith("not formatted: line "), e.getMessage());
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".dfk")).sorted(Comparator.naturalOrder()).toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleIsFormattedAlreadyAndStillChecksClean(Path example) throws IOException {
        String text = Files.readString(example);
        String formatted = format(text);
        assertEquals(text, formatted, "the examples are the house style");
        List<String> problems = new DfkTester().disk(example).problems(example);
        assertEquals(List.of(), problems);
    }
}
