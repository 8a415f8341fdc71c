package io.rdustudio.dfk.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.FoldingRange;
import org.eclipse.xtext.ide.server.folding.FoldingRangeService;
import org.eclipse.xtext.ide.server.symbol.HierarchicalDocumentSymbolService;
import org.eclipse.xtext.util.CancelIndicator;
import org.junit.jupiter.api.Test;

/** The outline (document symbols) and the folding ranges of a file. */
class OutlineAndFoldingTest {

    private static final String PROGRAM = """
            // A two-line
            // header comment.
            import "lib/a.dfk"
            import "lib/b.dfk"

            let D = 64
            input x: bf16[16, D]
            local h: bf16[16, D]
            output y: bf16[16, D]

            /* a block
               comment */
            kernel k(a: bf16[16, D]) -> (o: bf16[16, D]) {
                t = silu(a)
                o = t * a
            }

            fn f(a: bf16[16, D]) -> (o: bf16[16, D]) {
                o = a
            }

            schedule main with sockets = 1 {
                h = k(x)
                for l in 0..2 {
                    h = k(h)
                }
                y = k(h)
            }
            """;

    private static IdeTester tester() {
        return IdeTester.empty().file("lib/a.dfk", "let A = 1\n").file("lib/b.dfk", "let B = 2\n").file("main.dfk",
                PROGRAM);
    }

    private static String render(List<DocumentSymbol> symbols, String indent, List<String> lines) {
        for (DocumentSymbol s : symbols) {
            lines.add(indent + s.getKind() + " " + s.getName()
                    + (s.getDetail() == null || s.getDetail().isEmpty() ? "" : " : " + s.getDetail()));
            render(s.getChildren(), indent + "  ", lines);
        }
        return String.join("\n", lines);
    }

    @Test
    void theOutlineListsDeclarationsKernelValuesAndTheScheduleSteps() {
        IdeTester tester = tester();
        List<DocumentSymbol> symbols = IdeTester.service(HierarchicalDocumentSymbolService.class)
                .getSymbols(tester.resource(), CancelIndicator.NullImpl);
        assertEquals("""
                Constant D : let D = 64
                Variable x : input bf16[16, D]
                Variable h : local bf16[16, D]
                Variable y : output bf16[16, D]
                Class k : kernel k(a: bf16[16, D]) -> (o: bf16[16, D])
                  Variable t
                  Variable o
                Function f : fn f(a: bf16[16, D]) -> (o: bf16[16, D])
                  Variable o
                Namespace schedule main
                  Event k : h = k(x)
                  Object for l in 0..2
                    Event k : h = k(h)
                  Event k : y = k(h)""", render(symbols, "", new ArrayList<>()));
    }

    @Test
    void foldingCoversBlocksCommentsAndImports() {
        IdeTester tester = tester();
        List<FoldingRange> ranges = IdeTester.service(FoldingRangeService.class).createFoldingRanges(tester.document(),
                tester.resource(), CancelIndicator.NullImpl);
        List<String> folds = ranges.stream().map(r -> r.getStartLine() + "-" + r.getEndLine()
                + (r.getKind() == null ? "" : " " + r.getKind())).toList();
        // 0-1 header, 2-3 imports, 10-11 block comment, 12-14 kernel, 17-18 fn, 21-26 schedule, 23-24 loop
        assertEquals(List.of("0-1 comment", "2-3 imports", "10-11 comment", "12-14", "17-18", "21-26", "23-24"), folds);
    }
}
