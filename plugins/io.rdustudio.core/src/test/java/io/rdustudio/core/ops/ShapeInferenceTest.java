package io.rdustudio.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.OpAttributes;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Shape;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ops.ShapeInference.Inference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ShapeInferenceTest {

    // ---- every operator has a working example

    /** One valid call per operator and the types it gives, written as TensorType.toString(). */
    private static final Map<OpKind, Example> EXAMPLES = new EnumMap<>(OpKind.class);

    private record Example(List<TensorType> inputs, OpAttributes attrs, List<String> outputs) {
    }

    private static void example(OpKind kind, OpAttributes attrs, List<TensorType> inputs, String... outputs) {
        EXAMPLES.put(kind, new Example(inputs, attrs, List.of(outputs)));
    }

    static {
        OpAttributes none = OpAttributes.NONE;
        example(OpKind.CONST, attrs("value", 0.5), List.of(), "fp32[]");
        for (OpKind k : List.of(OpKind.ADD, OpKind.SUB, OpKind.MUL, OpKind.DIV)) {
            example(k, none, List.of(bf16(4, 1, 8), bf16(3, 1)), "bf16[4, 3, 8]");
        }
        for (OpKind k : List.of(OpKind.NEG, OpKind.EXP, OpKind.LOG, OpKind.RSQRT, OpKind.TANH, OpKind.SIGMOID,
                OpKind.SILU, OpKind.GELU, OpKind.RELU, OpKind.SOFTPLUS)) {
            example(k, none, List.of(bf16(2, 8)), "bf16[2, 8]");
        }
        example(OpKind.CAST, attrs("to", "fp32"), List.of(bf16(2, 8)), "fp32[2, 8]");
        example(OpKind.MASK, attrs("causal", 1L, "window", 64L, "sinks", 4L, "offset", 0L), List.of(bf16(32, 16, 16)),
                "bf16[32, 16, 16]");
        example(OpKind.MATMUL, none, List.of(bf16(4, 64, 128), bf16(128, 32)), "bf16[4, 64, 32]");
        example(OpKind.SOFTMAX, none, List.of(bf16(4, 16)), "bf16[4, 16]");
        example(OpKind.RMSNORM, attrs("eps", 1e-5), List.of(bf16(8, 4096), bf16(4096)), "bf16[8, 4096]");
        example(OpKind.LAYERNORM, none, List.of(bf16(8, 64), fp32(64), fp32(64)), "bf16[8, 64]");
        example(OpKind.SUM, none, List.of(bf16(2, 3, 4)), "bf16[2, 3]");
        example(OpKind.MAX, attrs("axis", List.of(0L, 2L)), List.of(bf16(2, 3, 4)), "bf16[3]");
        example(OpKind.MEAN, attrs("axis", 1L, "keepdims", 1L), List.of(bf16(2, 3, 4)), "bf16[2, 1, 4]");
        example(OpKind.ARGMAX, none, List.of(bf16(8, 32000)), "int32[8]");
        example(OpKind.TOPK, attrs("k", 2L), List.of(bf16(8, 16)), "bf16[8, 2]", "int32[8, 2]");
        example(OpKind.TRANSPOSE, none, List.of(bf16(4, 8, 16)), "bf16[4, 16, 8]");
        example(OpKind.PERMUTE, attrs("perm", List.of(1L, 0L, 2L)), List.of(bf16(128, 32, 64)), "bf16[32, 128, 64]");
        example(OpKind.RESHAPE, attrs("shape", List.of(128L, 32L, -1L)), List.of(bf16(128, 4096)), "bf16[128, 32, 128]");
        example(OpKind.SLICE, attrs("axis", 1L, "start", 16L), List.of(bf16(4, 64)), "bf16[4, 48]");
        example(OpKind.CONCAT, none, List.of(bf16(4, 8), bf16(4, 16), bf16(4, 1)), "bf16[4, 25]");
        example(OpKind.GATHER, attrs("axis", 1L), List.of(bf16(4, 10, 6), int32(2, 3)), "bf16[4, 2, 3, 6]");
        example(OpKind.EMBEDDING, none, List.of(bf16(32000, 4096), int32(2, 7)), "bf16[2, 7, 4096]");
        example(OpKind.UPDATE, attrs("axis", 1L, "at", 4095L), List.of(bf16(1, 4096, 32, 128), bf16(1, 1, 32, 128)),
                "bf16[1, 4096, 32, 128]");
        example(OpKind.ROPE, attrs("offset", 7L, "theta", 10000.0), List.of(bf16(1, 16, 32, 128)), "bf16[1, 16, 32, 128]");
        example(OpKind.CONV1D, none, List.of(bf16(2, 128, 64), bf16(64, 4), bf16(64)), "bf16[2, 128, 64]");
        example(OpKind.SELECTIVE_SCAN, none, List.of(fp32(2, 128, 64), fp32(2, 128, 64), fp32(64, 16),
                fp32(2, 128, 16), fp32(2, 128, 16), fp32(64)), "fp32[2, 128, 64]");
        example(OpKind.ALLREDUCE, none, List.of(bf16(8, 4096)), "bf16[8, 4096]");
        example(OpKind.ALLGATHER, none, List.of(bf16(8, 512)), "bf16[8, 512]");
        example(OpKind.COPY, attrs("to", "hbm"), List.of(bf16(8, 512)), "bf16[8, 512]");
    }

    @Test
    void everyOperatorHasAnExample() {
        assertEquals(EnumSet.allOf(OpKind.class), EnumSet.copyOf(EXAMPLES.keySet()));
    }

    @ParameterizedTest
    @EnumSource(OpKind.class)
    void exampleInfersItsTypes(OpKind kind) {
        Example e = EXAMPLES.get(kind);
        Inference result = ShapeInference.infer(kind, e.inputs(), e.attrs());
        assertTrue(result.ok(), () -> kind + ": " + result.error());
        assertEquals(e.outputs(), result.outputs().stream().map(TensorType::toString).toList());
    }

    // ---- checks shared by every operator

    @Test
    void wrongArityNamesTheExpectedCount() {
        assertError(infer(OpKind.ADD, OpAttributes.NONE, bf16(4)), "add: expects 2 inputs but got 1");
        assertError(infer(OpKind.CONCAT, OpAttributes.NONE, bf16(4)), "concat: expects at least 2 inputs but got 1");
        assertError(infer(OpKind.CONV1D, OpAttributes.NONE, bf16(2, 4, 8)), "expects 2 to 3 inputs but got 1");
        assertError(infer(OpKind.CONST, OpAttributes.NONE, bf16(4)), "const: expects 0 inputs but got 1");
    }

    @Test
    void unknownAttributeNamesTheAllowedOnes() {
        assertError(infer(OpKind.SOFTMAX, attrs("dim", 1L), bf16(4, 8)),
                "softmax: unknown attribute dim (allowed: axis)");
        assertError(infer(OpKind.NEG, attrs("axis", 1L), bf16(4, 8)), "neg: unknown attribute axis (neg takes no attributes)");
    }

    @Test
    void attributeOfTheWrongKindIsAnError() {
        assertError(infer(OpKind.SOFTMAX, attrs("axis", "hbm"), bf16(4, 8)), "softmax: axis must be an integer, got 'hbm'");
        assertError(infer(OpKind.TOPK, attrs("k", List.of(1L, 2L)), bf16(4, 8)),
                "topk: k must be a single integer, got [1, 2]");
        assertError(infer(OpKind.CONST, attrs("value", "hbm")), "const: value must be a number, got 'hbm'");
        assertError(infer(OpKind.COPY, attrs("to", 3L), bf16(4)), "copy: to must be one of sram, hbm, ddr, host, got 3");
    }

    @Test
    void dimensionBelowOneIsAnError() {
        assertError(infer(OpKind.ADD, OpAttributes.NONE, bf16(4), bf16(4, 0)),
                "add: b is bf16[4, 0], which has a dimension below 1");
    }

    @Test
    void nullAttributesMeanNone() {
        assertEquals("bf16[4]", ShapeInference.infer(OpKind.NEG, List.of(bf16(4)), null).output().toString());
    }

    @Test
    void inferenceHoldsOutputsOrAnError() {
        Inference failed = Inference.failure("add: no");
        assertFalse(failed.ok());
        assertTrue(failed.outputs().isEmpty());
        assertThrows(IllegalStateException.class, failed::output);
        assertThrows(IllegalArgumentException.class, () -> new Inference(List.of(), null));
    }

    // ---- overflow

    @Test
    void broadcastResultTooLargeIsShapeTooLarge() {
        long big = 1L << 40;
        assertError(infer(OpKind.ADD, OpAttributes.NONE, bf16(big, 1), bf16(1, big)),
                "add: shape too large: the result bf16[1099511627776, 1099511627776] holds more than 2^63 - 1 bytes");
    }

    @Test
    void inputTooLargeIsShapeTooLarge() {
        assertError(infer(OpKind.NEG, OpAttributes.NONE, bf16(1L << 62, 4)), "neg: shape too large: x bf16[");
    }

    @Test
    void gatheredDimensionOverflowIsShapeTooLarge() {
        Inference r = ShapeInference.infer(OpKind.ALLGATHER, List.of(int8(Long.MAX_VALUE / 4)), OpAttributes.NONE, 8);
        assertError(r, "allgather: shape too large");
    }

    @Test
    void reshapeTargetTooLargeIsShapeTooLarge() {
        assertError(infer(OpKind.RESHAPE, attrs("shape", List.of(1L << 40, 1L << 40)), bf16(4)), "reshape: shape too large");
    }

    // ---- element-wise

    @Test
    void broadcastingAlignsTrailingDimensions() {
        assertType("bf16[8, 4, 16]", infer(OpKind.MUL, OpAttributes.NONE, bf16(8, 1, 16), bf16(4, 1)));
        assertType("bf16[2, 3]", infer(OpKind.ADD, OpAttributes.NONE, bf16(3), bf16(2, 3)));
    }

    @Test
    void scalarAdoptsTheOtherOperandsType() {
        TensorType scalar = new TensorType(DType.FP32, Shape.SCALAR);
        assertType("bf16[4, 8]", infer(OpKind.MUL, OpAttributes.NONE, bf16(4, 8), scalar));
        assertType("bf16[4, 8]", infer(OpKind.DIV, OpAttributes.NONE, scalar, bf16(4, 8)));
    }

    @Test
    void shapesThatDoNotBroadcastNameBothShapes() {
        assertError(infer(OpKind.ADD, OpAttributes.NONE, bf16(4, 128), bf16(4, 64)),
                "add: shapes do not broadcast: a is bf16[4, 128] and b is bf16[4, 64] (dimension -1 is 128 vs 64;"
                        + " trailing dimensions must be equal or 1)");
    }

    @Test
    void differentElementTypesNameBothTypes() {
        assertError(infer(OpKind.SUB, OpAttributes.NONE, bf16(4, 8), fp32(4, 8)),
                "sub: element types differ: a is bf16[4, 8] but b is fp32[4, 8]; cast one of them, e.g. cast(b, to=bf16)");
    }

    @ParameterizedTest
    @EnumSource(value = OpKind.class, names = {"EXP", "LOG", "RSQRT", "TANH", "SIGMOID", "SILU", "GELU", "SOFTPLUS",
            "SOFTMAX"})
    void transcendentalsNeedFloatingInput(OpKind kind) {
        assertError(infer(kind, OpAttributes.NONE, int32(4, 8)),
                kind.keyword() + ": needs a floating-point x but x is int32[4, 8]; convert it first, e.g. cast(x, to=fp32)");
    }

    @Test
    void negAndReluTakeIntegers() {
        assertType("int32[4]", infer(OpKind.NEG, OpAttributes.NONE, int32(4)));
        assertType("int8[4]", infer(OpKind.RELU, OpAttributes.NONE, int8(4)));
    }

    @Test
    void castNeedsAKnownElementType() {
        assertError(infer(OpKind.CAST, attrs("to", "fp16"), bf16(4)),
                "cast: unknown element type 'fp16' for to; expected one of bf16, fp32, int32, fp8e4m3, fp8e5m2, int8");
        assertError(infer(OpKind.CAST, OpAttributes.NONE, bf16(4)), "cast: attribute to is required (one of bf16,");
    }

    @Test
    void maskChecksRankAndAttributes() {
        assertError(infer(OpKind.MASK, OpAttributes.NONE, bf16(16)),
                "mask: needs x of rank >= 2 ([..., queries, keys]) but x is bf16[16]");
        assertError(infer(OpKind.MASK, attrs("window", 0L), bf16(16, 16)), "mask: window must be >= 1, got 0");
        assertError(infer(OpKind.MASK, attrs("causal", 2L), bf16(16, 16)), "mask: causal must be 0 or 1, got 2");
        assertError(infer(OpKind.MASK, attrs("sinks", -1L), bf16(16, 16)), "mask: sinks must be >= 0, got -1");
    }

    @Test
    void ropeNeedsAnEvenHeadDimensionAndRankThree() {
        assertError(infer(OpKind.ROPE, OpAttributes.NONE, bf16(16, 32, 127)),
                "rope: the head dimension must be even (rope rotates pairs of elements): x is bf16[16, 32, 127], so Dh = 127");
        assertError(infer(OpKind.ROPE, OpAttributes.NONE, bf16(16, 128)),
                "rope: needs x of rank >= 3 ([..., S, H, Dh]) but x is bf16[16, 128]");
        assertError(infer(OpKind.ROPE, attrs("theta", 0.0), bf16(1, 16, 2, 8)), "rope: theta must be > 0, got 0.0");
    }

    // ---- matmul

    @Test
    void matmulInnerDimensionsMustAgree() {
        assertError(infer(OpKind.MATMUL, OpAttributes.NONE, bf16(4, 64, 128), bf16(64, 32)),
                "matmul: inner dimensions differ: a is bf16[4, 64, 128] (K = 128) but b is bf16[64, 32] (K = 64)");
    }

    @Test
    void matmulTransposeBReadsBAsNK() {
        assertType("bf16[32, 16, 8]", infer(OpKind.MATMUL, attrs("transpose_b", 1L), bf16(32, 16, 128), bf16(32, 8, 128)));
        assertError(infer(OpKind.MATMUL, attrs("transpose_b", 1L), bf16(16, 128), bf16(128, 8)),
                "matmul: inner dimensions differ: a is bf16[16, 128] (K = 128) but b is bf16[128, 8] read as"
                        + " [..., N, K] with transpose_b=1 (K = 8)");
    }

    @Test
    void matmulBatchDimensionsBroadcast() {
        assertType("bf16[2, 3, 8, 4]", infer(OpKind.MATMUL, OpAttributes.NONE, bf16(2, 1, 8, 16), bf16(3, 16, 4)));
        assertError(infer(OpKind.MATMUL, OpAttributes.NONE, bf16(2, 8, 16), bf16(3, 16, 4)),
                "matmul: batch dimensions do not broadcast: a is bf16[2, 8, 16] (batch [2]) but b is bf16[3, 16, 4]"
                        + " (batch [3])");
    }

    @Test
    void matmulNeedsRankTwoAndEqualTypes() {
        assertError(infer(OpKind.MATMUL, OpAttributes.NONE, bf16(64), bf16(64, 8)),
                "matmul: needs a of rank >= 2 ([..., M, K]) but a is bf16[64]");
        assertError(infer(OpKind.MATMUL, OpAttributes.NONE, bf16(4, 64), fp32(64, 8)),
                "matmul: element types differ: a is bf16[4, 64] but b is fp32[64, 8]");
    }

    // ---- reductions and normalisations

    @Test
    void softmaxAxisOutOfRangeNamesTheShape() {
        assertError(infer(OpKind.SOFTMAX, attrs("axis", -3L), bf16(4, 8)),
                "softmax: axis=-3 is out of range: x is bf16[4, 8], of rank 2; expected -2 to 1");
        assertType("bf16[4, 8]", infer(OpKind.SOFTMAX, attrs("axis", -2L), bf16(4, 8)));
    }

    @Test
    void rmsnormGainMustMatchTheLastDimension() {
        assertError(infer(OpKind.RMSNORM, OpAttributes.NONE, bf16(8, 4096), bf16(4000)),
                "rmsnorm: g must be [D] with D = 4096, the last dimension of x: x is bf16[8, 4096] but g is bf16[4000]");
        assertError(infer(OpKind.RMSNORM, attrs("eps", -1.0), bf16(8, 16), bf16(16)), "rmsnorm: eps must be > 0, got -1.0");
    }

    @Test
    void layernormBiasMustMatchTheLastDimension() {
        assertError(infer(OpKind.LAYERNORM, OpAttributes.NONE, bf16(8, 64), bf16(64), bf16(32)),
                "layernorm: b must be [D] with D = 64, the last dimension of x: x is bf16[8, 64] but b is bf16[32]");
    }

    @Test
    void reducingEveryAxisGivesAScalar() {
        assertType("bf16[]", infer(OpKind.SUM, attrs("axis", List.of(0L, 1L)), bf16(4, 8)));
        assertType("bf16[1, 1]", infer(OpKind.SUM, attrs("axis", List.of(0L, -1L), "keepdims", 1L), bf16(4, 8)));
    }

    @Test
    void negativeAxesCountFromTheEnd() {
        assertType("bf16[2, 4]", infer(OpKind.MEAN, attrs("axis", -2L), bf16(2, 3, 4)));
        assertType("int32[3, 4]", infer(OpKind.ARGMAX, attrs("axis", -3L), bf16(2, 3, 4)));
        assertType("bf16[2, 5, 4]", infer(OpKind.CONCAT, attrs("axis", -2L), bf16(2, 3, 4), bf16(2, 2, 4)));
        assertType("bf16[2, 1, 4]", infer(OpKind.SLICE, attrs("axis", -2L, "start", 2L), bf16(2, 3, 4)));
    }

    @Test
    void reductionRejectsRepeatedAndOutOfRangeAxes() {
        assertError(infer(OpKind.SUM, attrs("axis", List.of(1L, -1L)), bf16(4, 8)),
                "sum: axis=[1, -1] names the same axis twice: x is bf16[4, 8]");
        assertError(infer(OpKind.MAX, attrs("axis", 2L), bf16(4, 8)),
                "max: axis=2 is out of range: x is bf16[4, 8], of rank 2; expected -2 to 1");
        assertError(infer(OpKind.MEAN, attrs("keepdims", 2L), bf16(4, 8)), "mean: keepdims must be 0 or 1, got 2");
    }

    @Test
    void argmaxOfAScalarHasNoAxis() {
        assertError(infer(OpKind.ARGMAX, OpAttributes.NONE, new TensorType(DType.FP32, Shape.SCALAR)),
                "argmax: axis=-1 is out of range: x is fp32[], a scalar with no axes");
    }

    @Test
    void topkGivesValuesAndInt32Indices() {
        Inference r = infer(OpKind.TOPK, attrs("k", 3L, "axis", 0L), bf16(16, 4));
        assertEquals(List.of("bf16[3, 4]", "int32[3, 4]"), r.outputs().stream().map(TensorType::toString).toList());
    }

    @Test
    void topkNeedsKWithinTheAxis() {
        assertError(infer(OpKind.TOPK, attrs("k", 20L), bf16(4, 16)),
                "topk: k = 20 is out of range: x is bf16[4, 16], with 16 along axis 1; expected 1 <= k <= 16");
        assertError(infer(OpKind.TOPK, OpAttributes.NONE, bf16(4, 16)),
                "topk: attribute k is required (how many of the largest values to keep)");
    }

    // ---- layout

    @Test
    void transposeNeedsRankTwo() {
        assertError(infer(OpKind.TRANSPOSE, OpAttributes.NONE, bf16(8)),
                "transpose: needs x of rank >= 2 ([..., M, N]) but x is bf16[8]");
    }

    @Test
    void permuteNeedsAPermutation() {
        assertError(infer(OpKind.PERMUTE, attrs("perm", List.of(0L, 0L, 2L)), bf16(2, 3, 4)),
                "permute: perm=[0, 0, 2] is not a permutation of 0..2: x is bf16[2, 3, 4], of rank 3");
        assertError(infer(OpKind.PERMUTE, attrs("perm", List.of(1L, 0L)), bf16(2, 3, 4)),
                "permute: perm=[1, 0] is not a permutation of 0..2");
        assertError(infer(OpKind.PERMUTE, OpAttributes.NONE, bf16(2, 3)), "permute: attribute perm is required");
    }

    @Test
    void reshapeNeedsMatchingElementCounts() {
        assertError(infer(OpKind.RESHAPE, attrs("shape", List.of(5L, 5L)), bf16(4, 6)),
                "reshape: cannot reshape x: x is bf16[4, 6] (24 elements) but shape=[5, 5] has 25 elements;"
                        + " the element counts must match");
        assertError(infer(OpKind.RESHAPE, attrs("shape", List.of(5L, -1L)), bf16(4, 6)),
                "reshape: cannot reshape x: x is bf16[4, 6] (24 elements) but 24 is not a multiple of 5, the product of"
                        + " the other dimensions of shape=[5, -1]");
    }

    @Test
    void reshapeInfersAtMostOneDimension() {
        assertError(infer(OpKind.RESHAPE, attrs("shape", List.of(-1L, -1L)), bf16(4, 6)),
                "reshape: shape=[-1, -1] has more than one -1");
        assertError(infer(OpKind.RESHAPE, attrs("shape", List.of(24L, 0L)), bf16(4, 6)),
                "reshape: shape=[24, 0] has dimension 0 at position 1; dimensions must be >= 1 or -1");
    }

    @Test
    void sliceNeedsStartBeforeEndWithinTheAxis() {
        assertError(infer(OpKind.SLICE, attrs("axis", 1L, "start", 0L, "end", 200L), bf16(4, 128)),
                "slice: start=0, end=200 is out of range: x is bf16[4, 128], with 128 along axis 1;"
                        + " expected 0 <= start < end <= 128");
        assertError(infer(OpKind.SLICE, attrs("axis", 1L, "start", 8L, "end", 8L), bf16(4, 128)),
                "expected 0 <= start < end <= 128");
        assertError(infer(OpKind.SLICE, OpAttributes.NONE, bf16(4, 128)),
                "slice: attribute axis is required (the axis to slice)");
    }

    @Test
    void concatNeedsEqualDimensionsOffTheAxis() {
        assertError(infer(OpKind.CONCAT, attrs("axis", 1L), bf16(4, 8), bf16(5, 8)),
                "concat: dimension 0 differs: input 1 is bf16[4, 8] but input 2 is bf16[5, 8];"
                        + " all dimensions except axis 1 must match");
        assertError(infer(OpKind.CONCAT, OpAttributes.NONE, bf16(4, 8), bf16(4, 2, 8)),
                "concat: ranks differ: input 1 is bf16[4, 8] but input 2 is bf16[4, 2, 8]");
        assertError(infer(OpKind.CONCAT, OpAttributes.NONE, bf16(4, 8), fp32(4, 8)),
                "concat: element types differ: input 1 is bf16[4, 8] but input 2 is fp32[4, 8]");
    }

    @Test
    void gatherAndEmbeddingNeedInt32Indices() {
        assertError(infer(OpKind.GATHER, OpAttributes.NONE, bf16(10, 4), fp32(3)),
                "gather: indices must be int32 but indices is fp32[3]");
        assertError(infer(OpKind.EMBEDDING, OpAttributes.NONE, bf16(10, 4), bf16(3)),
                "embedding: ids must be int32 but ids is bf16[3]");
        assertError(infer(OpKind.EMBEDDING, OpAttributes.NONE, bf16(10), int32(3)),
                "embedding: table must be [V, D] but table is bf16[10]");
    }

    @Test
    void gatherDefaultsToTheLeadingAxis() {
        assertType("bf16[5, 4]", infer(OpKind.GATHER, OpAttributes.NONE, bf16(10, 4), int32(5)));
    }

    @Test
    void updateMustFitInsideTheCache() {
        assertError(infer(OpKind.UPDATE, attrs("axis", 1L, "at", 4090L), bf16(1, 4096, 8), bf16(1, 16, 8)),
                "update: at=4090 writes x outside cache along axis 1: cache is bf16[1, 4096, 8] but x is bf16[1, 16, 8];"
                        + " expected 0 <= at <= 4080");
        assertError(infer(OpKind.UPDATE, attrs("axis", 1L, "at", 0L), bf16(1, 4096, 8), bf16(1, 16, 4)),
                "update: dimension 2 differs: cache is bf16[1, 4096, 8] but x is bf16[1, 16, 4]; only axis 1 may differ");
        assertError(infer(OpKind.UPDATE, attrs("axis", 1L), bf16(1, 4096, 8), bf16(1, 16, 8)),
                "update: attribute at is required");
        assertError(infer(OpKind.UPDATE, attrs("axis", 1L, "at", 0L), bf16(1, 8, 8), bf16(1, 16, 8)),
                "update: x is longer than cache along axis 1: cache is bf16[1, 8, 8] but x is bf16[1, 16, 8]");
    }

    // ---- sequence operators

    @Test
    void conv1dWeightsMatchTheChannels() {
        assertType("bf16[2, 128, 64]", infer(OpKind.CONV1D, OpAttributes.NONE, bf16(2, 128, 64), bf16(64, 4)));
        assertError(infer(OpKind.CONV1D, OpAttributes.NONE, bf16(2, 128, 64), bf16(32, 4)),
                "conv1d: w must be [C, K] with C = 64, the channels of x: x is bf16[2, 128, 64] but w is bf16[32, 4]");
        assertError(infer(OpKind.CONV1D, OpAttributes.NONE, bf16(2, 128, 64), bf16(64, 4), bf16(32)),
                "conv1d: bias must be [C] with C = 64, the channels of x: x is bf16[2, 128, 64] but bias is bf16[32]");
    }

    @Test
    void selectiveScanChecksEveryOperand() {
        TensorType u = fp32(2, 128, 64);
        assertError(scan(u, fp32(2, 128, 32), fp32(64, 16), fp32(2, 128, 16), fp32(2, 128, 16), fp32(64)),
                "selective_scan: delta must have the shape of u: u is fp32[2, 128, 64] but delta is fp32[2, 128, 32]");
        assertError(scan(u, u, fp32(32, 16), fp32(2, 128, 16), fp32(2, 128, 16), fp32(64)),
                "selective_scan: A must be [D, N] with D = 64, the last dimension of u: u is fp32[2, 128, 64] but A is"
                        + " fp32[32, 16]");
        assertError(scan(u, u, fp32(64, 16), fp32(2, 128, 8), fp32(2, 128, 16), fp32(64)),
                "selective_scan: Bm must be [B, L, N] = [2, 128, 16] (B and L of u, N of A): u is fp32[2, 128, 64],"
                        + " A is fp32[64, 16] but Bm is fp32[2, 128, 8]");
        assertError(scan(u, u, fp32(64, 16), fp32(2, 128, 16), fp32(2, 64, 16), fp32(64)),
                "selective_scan: Cm must be [B, L, N] = [2, 128, 16]");
        assertError(scan(u, u, fp32(64, 16), fp32(2, 128, 16), fp32(2, 128, 16), fp32(16)),
                "selective_scan: Dskip must be [D] with D = 64, the last dimension of u: u is fp32[2, 128, 64] but Dskip"
                        + " is fp32[16]");
        assertError(scan(int32(2, 128, 64), u, fp32(64, 16), fp32(2, 128, 16), fp32(2, 128, 16), fp32(64)),
                "selective_scan: needs a floating-point u but u is int32[2, 128, 64]");
    }

    // ---- collectives and copies

    @Test
    void allgatherMultipliesItsAxisByTheDegree() {
        Inference r = ShapeInference.infer(OpKind.ALLGATHER, List.of(bf16(8, 512)), OpAttributes.NONE, 8);
        assertType("bf16[8, 4096]", r);
        Inference onAxis0 = ShapeInference.infer(OpKind.ALLGATHER, List.of(bf16(8, 512)), attrs("axis", 0L), 8);
        assertType("bf16[64, 512]", onAxis0);
        assertError(ShapeInference.infer(OpKind.ALLGATHER, List.of(bf16(8)), attrs("axis", 1L), 8),
                "allgather: axis=1 is out of range: x is bf16[8], of rank 1; expected -1 to 0");
        assertError(ShapeInference.infer(OpKind.ALLGATHER, List.of(bf16(8)), OpAttributes.NONE, 0),
                "allgather: the tensor-parallel degree must be >= 1, got 0");
    }

    @Test
    void copyNeedsAKnownTier() {
        assertError(infer(OpKind.COPY, attrs("to", "l2"), bf16(4)),
                "copy: unknown memory tier 'l2' for to; expected one of sram, hbm, ddr, host");
        assertError(infer(OpKind.COPY, OpAttributes.NONE, bf16(4)),
                "copy: attribute to is required (one of sram, hbm, ddr, host)");
    }

    // ---- helpers

    private static Inference scan(TensorType... inputs) {
        return infer(OpKind.SELECTIVE_SCAN, OpAttributes.NONE, inputs);
    }

    private static Inference infer(OpKind kind, OpAttributes attrs, TensorType... inputs) {
        return ShapeInference.infer(kind, Arrays.asList(inputs), attrs);
    }

    private static void assertType(String expected, Inference result) {
        assertTrue(result.ok(), result::error);
        assertEquals(expected, result.output().toString());
    }

    private static void assertError(Inference result, String expectedFragment) {
        assertFalse(result.ok(), () -> "expected an error containing '" + expectedFragment + "' but got " + result.outputs());
        assertTrue(result.error().contains(expectedFragment),
                () -> "expected an error containing\n  " + expectedFragment + "\nbut got\n  " + result.error());
    }

    /** Attributes from key, value pairs: Long for an integer, List of Long, Double, String for a name. */
    @SuppressWarnings("unchecked")
    static OpAttributes attrs(Object... keyValues) {
        OpAttributes.Builder b = new OpAttributes.Builder();
        for (int i = 0; i < keyValues.length; i += 2) {
            String key = (String) keyValues[i];
            Object value = keyValues[i + 1];
            if (value instanceof Long) {
                b.integer(key, (Long) value);
            } else if (value instanceof List) {
                b.integers(key, new ArrayList<>((List<Long>) value));
            } else if (value instanceof Double) {
                b.number(key, (Double) value);
            } else {
                b.name(key, (String) value);
            }
        }
        return b.build();
    }

    static TensorType bf16(long... dims) {
        return new TensorType(DType.BF16, Shape.of(dims));
    }

    static TensorType fp32(long... dims) {
        return new TensorType(DType.FP32, Shape.of(dims));
    }

    static TensorType int32(long... dims) {
        return new TensorType(DType.INT32, Shape.of(dims));
    }

    static TensorType int8(long... dims) {
        return new TensorType(DType.INT8, Shape.of(dims));
    }
}
