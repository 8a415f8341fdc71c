package io.rdustudio.dfk.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.xtext.util.CancelIndicator;
import org.junit.jupiter.api.Test;

import io.rdustudio.ide.SemanticTokenLegend;
import io.rdustudio.ide.SemanticTokensProvider;

/** Semantic tokens, decoded back to {@code text type [modifiers]} for reading. */
class SemanticTokensTest {

    /** Every token of {@code main.dfk}: its text, its type and its modifiers. */
    static List<String> decode(IdeTester tester) {
        List<Integer> data = IdeTester.service(SemanticTokensProvider.class).tokens(tester.document(), tester.resource(),
                CancelIndicator.NullImpl);
        String[] lines = tester.text().split("\n", -1);
        List<String> tokens = new ArrayList<>();
        int line = 0;
        int start = 0;
        for (int i = 0; i < data.size(); i += 5) {
            line += data.get(i);
            start = data.get(i) == 0 ? start + data.get(i + 1) : data.get(i + 1);
            String text = lines[line].substring(start, start + data.get(i + 2));
            List<String> modifiers = new ArrayList<>();
            for (SemanticTokenLegend.Modifier m : SemanticTokenLegend.Modifier.values()) {
                if ((data.get(i + 4) & m.bit()) != 0) {
                    modifiers.add(m.lsp());
                }
            }
            tokens.add(text + " " + SemanticTokenLegend.Type.values()[data.get(i + 3)].lsp()
                    + (modifiers.isEmpty() ? "" : " " + modifiers));
        }
        return tokens;
    }

    @Test
    void namesCarryWhatTheyAreAndTheirRoles() {
        List<String> tokens = decode(IdeTester.of("""
                let D = 64   // width
                weight w: bf16[D, D] @hbm
                input x: bf16[4, D]
                local t: bf16[4, D]
                /* two
                   lines */
                kernel k<T>(a: bf16[T, D], m: bf16[D, D]) -> (o: bf16[T, D]) with tp = 1 {
                    o = softmax(matmul(a, m), axis=-1)
                }
                schedule with orchestration = hardware {
                    for l in 0..2 {
                        t = k(x, w)
                    }
                }
                """));
        assertEquals(List.of("let keyword", "D variable [declaration, readonly, static]", "= operator", "64 number",
                "// width comment"), tokens.subList(0, 5));
        assertTrue(tokens.contains("w variable [declaration, readonly, weight]"), tokens.toString());
        assertTrue(tokens.contains("bf16 type"), tokens.toString());
        assertTrue(tokens.contains("hbm enumMember"), tokens.toString());
        assertTrue(tokens.contains("/* two comment") && tokens.contains("   lines */ comment"), tokens.toString());
        assertTrue(tokens.contains("k class [declaration]"), tokens.toString());
        assertTrue(tokens.contains("T typeParameter [declaration, readonly]"), tokens.toString());
        assertTrue(tokens.contains("a parameter [declaration, readonly]"), tokens.toString());
        assertTrue(tokens.contains("o parameter [declaration, output]"), tokens.toString());
        assertTrue(tokens.contains("tp property"), tokens.toString());
        assertTrue(tokens.contains("o variable [declaration, modification, output]"), "the write of output o: " + tokens);
        assertTrue(tokens.contains("softmax function [defaultLibrary]"), tokens.toString());
        assertTrue(tokens.contains("a parameter [readonly]"), "a use of a: " + tokens);
        assertTrue(tokens.contains("axis property"), tokens.toString());
        assertTrue(tokens.contains("hardware enumMember"), tokens.toString());
        assertTrue(tokens.contains("l variable [declaration, readonly, loop]"), tokens.toString());
        assertTrue(tokens.contains("t variable [modification, local]"), "a step's target is a write: " + tokens);
        assertTrue(tokens.contains("k class"), "the call of k: " + tokens);
        assertTrue(tokens.contains("x variable [readonly, input]"), tokens.toString());
    }
}
