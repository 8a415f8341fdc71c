package io.rdustudio.core.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class OpSignatureTest {

    @Test
    void everyCallableOperatorHasASignatureWithItsAttributes() {
        for (OpKind kind : OpKind.values()) {
            if (kind == OpKind.CONST) {
                assertTrue(OpSignature.of(kind).isEmpty());
                continue;
            }
            OpSignature signature = OpSignature.of(kind).orElseThrow(() -> new AssertionError(kind + " has none"));
            assertEquals(kind.attributes(), signature.attributes().stream().map(OpSignature.Attribute::name).toList(),
                    kind.keyword());
            assertTrue(signature.operands().size() >= kind.minInputs() || signature.variadic(), kind.keyword());
            assertTrue(signature.operands().size() <= kind.maxInputs(), kind.keyword());
            assertFalse(signature.summary().isBlank(), kind.keyword());
        }
    }

    @Test
    void labelsShowOperandsShapesAndAttributeDefaults() {
        OpSignature matmul = OpSignature.of(OpKind.MATMUL).orElseThrow();
        assertEquals("matmul(a[..., M, K], b[..., K, N], transpose_b=0)", matmul.label());
        assertEquals(List.of("a[..., M, K]", "b[..., K, N]", "transpose_b=0"), matmul.parameterLabels());

        assertEquals("copy(x, to=TIER)", OpSignature.of(OpKind.COPY).orElseThrow().label());
        assertTrue(OpSignature.of(OpKind.COPY).orElseThrow().attribute("to").orElseThrow().required());
        assertEquals("conv1d(x[B, L, C], w[C, K], bias[C]?)", OpSignature.of(OpKind.CONV1D).orElseThrow().label());
        assertEquals("concat(x1, x2, ..., axis=-1)", OpSignature.of(OpKind.CONCAT).orElseThrow().label());
    }
}
