package io.rdustudio.coe.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.SourceLocation;

class ModelSpecTest {

    @Test
    void llama2_7bHasThePublishedParameterCount() {
        ModelSpec.Parametric llama = ModelSpec.Parametric.llama2_7b();

        assertEquals(6_738_415_616.0, llama.parameters());
        assertEquals(2L * 6_738_415_616L, llama.weightBytes());
        // 2 (K and V) x 32 layers x 32 heads x 128 wide x 2 bytes
        assertEquals(524_288, llama.kvCacheBytesPerToken());
    }

    @Test
    void groupedQueryAttentionShrinksTheKvCacheAndTheKvProjections() {
        ModelSpec.Parametric mistral = new ModelSpec.Parametric("Mistral-7B class", 32, 4096, 32, 8, 14336, 32000,
                DType.BF16, 4096);

        assertEquals(7_241_732_096.0, mistral.parameters());
        assertEquals(131_072, mistral.kvCacheBytesPerToken());
    }

    @Test
    void absurdShapesSaturateInsteadOfOverflowing() {
        ModelSpec.Parametric huge = new ModelSpec.Parametric("huge", Integer.MAX_VALUE, Long.MAX_VALUE / 2, 1, 1,
                Long.MAX_VALUE / 2, 1, DType.FP32, 1);

        assertEquals(Long.MAX_VALUE, huge.weightBytes());
    }

    @Test
    void copiesAreNamedInDeclarationOrderWithEnoughDigits() {
        ExpertDecl one = new ExpertDecl("math", ModelSpec.Parametric.llama2_7b(), "math", DType.BF16, 8, false, 1,
                SourceLocation.UNKNOWN);
        ExpertDecl many = one.withCount(150);
        ExpertDecl thousands = one.withCount(1001);

        assertEquals("math", one.instanceName(0));
        assertEquals(List.of("math_000", "math_149"), List.of(many.instanceName(0), many.instanceName(149)));
        assertEquals("math_0999", thousands.instanceName(999));
        assertThrows(IndexOutOfBoundsException.class, () -> many.instanceName(150));
    }

    @Test
    void anExpertsDtypeReplacesItsParametricSpecs() {
        ExpertDecl fp8 = new ExpertDecl("e", ModelSpec.Parametric.llama2_7b(), "", DType.FP8E4M3, 8, false, 1,
                SourceLocation.UNKNOWN);

        assertEquals(6_738_415_616L, ((ModelSpec.Parametric) fp8.effectiveModel()).weightBytes());
    }
}
