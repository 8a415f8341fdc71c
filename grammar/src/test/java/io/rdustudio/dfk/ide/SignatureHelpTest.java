package io.rdustudio.dfk.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.lsp4j.ParameterInformation;
import org.eclipse.lsp4j.SignatureHelp;
import org.eclipse.lsp4j.SignatureHelpParams;
import org.eclipse.lsp4j.SignatureInformation;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.jsonrpc.messages.Tuple;
import org.eclipse.xtext.ide.server.signatureHelp.ISignatureHelpService;
import org.eclipse.xtext.util.CancelIndicator;
import org.junit.jupiter.api.Test;

/** Signature help for operators, kernels and fns; the active parameter follows the cursor. */
class SignatureHelpTest {

    private static final String KERNELS = """
            let D = 64
            input x: bf16[16, D]
            weight w: bf16[D, D]
            state c: bf16[16, D]
            output y: bf16[16, D]
            // One projection, written into the cache too.
            kernel proj(a: bf16[16, D], m: bf16[D, D], state cache: bf16[16, D]) -> (o: bf16[16, D]) {
                o = matmul(a, m)
                cache = update(cache, o, axis=0, at=0)
            }
            """;

    static SignatureHelp help(IdeTester tester) {
        return IdeTester.service(ISignatureHelpService.class).getSignatureHelp(tester.document(), tester.resource(),
                new SignatureHelpParams(new TextDocumentIdentifier("inmemory:/ws/main.dfk"), tester.cursor()),
                CancelIndicator.NullImpl);
    }

    /** The text of the active parameter's label within the signature label. */
    static String active(SignatureHelp help) {
        SignatureInformation signature = help.getSignatures().get(help.getActiveSignature());
        ParameterInformation parameter = signature.getParameters().get(help.getActiveParameter());
        Tuple.Two<Integer, Integer> at = parameter.getLabel().getRight();
        return signature.getLabel().substring(at.getFirst(), at.getSecond());
    }

    private static SignatureHelp help(String body) {
        return help(IdeTester.of(KERNELS + body));
    }

    @Test
    void anOperatorCallShowsItsSignatureAndTheOperandUnderTheCursor() {
        SignatureHelp first = help("kernel k(a: bf16[16, D], m: bf16[D, D]) -> (o: bf16[16, D]) {\n    o = matmul(<|>\n}\n");
        assertEquals("matmul(a[..., M, K], b[..., K, N], transpose_b=0)", first.getSignatures().get(0).getLabel());
        assertEquals("a[..., M, K]", active(first));
        assertTrue(first.getSignatures().get(0).getDocumentation().getRight().getValue().contains("matrix product"));

        SignatureHelp second = help("kernel k(a: bf16[16, D], m: bf16[D, D]) -> (o: bf16[16, D]) {\n    o = matmul(a, <|>)\n}\n");
        assertEquals("b[..., K, N]", active(second));

        SignatureHelp attribute = help(
                "kernel k(a: bf16[16, D], m: bf16[D, D]) -> (o: bf16[16, D]) {\n    o = matmul(a, m, transpose_b=<|>)\n}\n");
        assertEquals("transpose_b=0", active(attribute));
    }

    @Test
    void theCallAroundANestedOneIsFoundAgainAfterItCloses() {
        SignatureHelp inner = help("kernel k(a: bf16[16, D]) -> (o: bf16[16, D]) {\n    o = softmax(silu(<|>\n}\n");
        assertEquals("silu(x)", inner.getSignatures().get(0).getLabel());
        SignatureHelp outer = help("kernel k(a: bf16[16, D]) -> (o: bf16[16, D]) {\n    o = softmax(silu(a), <|>\n}\n");
        assertEquals("softmax(x, axis=-1)", outer.getSignatures().get(0).getLabel());
        assertEquals("axis=-1", active(outer), "past the operands: the attributes");
        SignatureHelp list = help("kernel k(a: bf16[16, D]) -> (o: bf16[16, D]) {\n    o = permute(a, perm=[1, <|>\n}\n");
        assertEquals("perm=[...]", active(list), "inside the list of an attribute");
    }

    @Test
    void aKernelCallShowsItsParametersAndTheOneTheArgumentBinds() {
        SignatureHelp help = help("schedule {\n    y = proj(x, w, <|>\n}\n");
        SignatureInformation signature = help.getSignatures().get(0);
        assertEquals("proj(a: bf16[16, D], m: bf16[D, D], state cache: bf16[16, D]) -> (o: bf16[16, D])",
                signature.getLabel());
        assertEquals("state cache: bf16[16, D]", active(help));
        assertTrue(signature.getDocumentation().getRight().getValue().contains("One projection"),
                signature.getDocumentation().getRight().getValue());
    }

    @Test
    void noHelpOutsideACallNorInADeclaration() {
        assertTrue(help("schedule {\n    y = proj(x, w, c)\n    <|>\n}\n").getSignatures().isEmpty());
        assertTrue(help("kernel k(a: bf16[16, <|>").getSignatures().isEmpty(), "a kernel's own signature");
        assertTrue(help("// matmul(<|>\n").getSignatures().isEmpty(), "inside a comment");
    }
}
