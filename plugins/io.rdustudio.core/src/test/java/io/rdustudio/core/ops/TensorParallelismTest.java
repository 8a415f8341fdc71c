package io.rdustudio.core.ops;

import static io.rdustudio.core.ops.ShapeInferenceTest.attrs;
import static io.rdustudio.core.ops.ShapeInferenceTest.bf16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelHints;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.OpAttributes;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.ParamMode;
import io.rdustudio.core.ir.Shape;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TensorParallelismTest {

    private static final long T = 16;
    private static final long D = 64;
    private static final long F = 256;

    // ---- Megatron MLP

    @Test
    void mlpSplitsW1ByColumnsAndW2ByRowsWithOneAllreduce() {
        Kernel mlp = new KernelBuilder("mlp")
                .in("x", bf16(T, D)).in("w1", bf16(D, F)).in("w2", bf16(F, D)).out("y", bf16(T, D))
                .op("h", OpKind.MATMUL, "x", "w1")
                .op("a", OpKind.SILU, "h")
                .op("y", OpKind.MATMUL, "a", "w2")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(mlp, 8);

        assertEquals(List.of(), r.diagnostics());
        Kernel k = r.kernel();
        assertEquals(Map.of("x", "bf16[16, 64]", "w1", "bf16[64, 32]", "w2", "bf16[32, 64]", "y", "bf16[16, 64]"),
                paramTypes(k));
        assertEquals(Sharding.sharded(1), r.paramShardings().get("w1"));
        assertEquals(Sharding.sharded(0), r.paramShardings().get("w2"));
        assertEquals(Sharding.REPLICATED, r.paramShardings().get("x"));
        assertEquals(List.of("h = matmul(x, w1): bf16[16, 32]", "a = silu(h): bf16[16, 32]",
                "y_partial = matmul(a, w2): bf16[16, 64]", "y = allreduce(y_partial): bf16[16, 64]"), listing(k));
        assertEquals(8, k.hints().tensorParallel());
        assertEquals("mlp", k.name());
    }

    @Test
    void gatedMlpSplitsTheBiasAndRenamesLaterUsesOfTheReducedValue() {
        Kernel mlp = new KernelBuilder("gated")
                .in("x", bf16(T, D)).in("wg", bf16(D, F)).in("bg", bf16(F)).in("wu", bf16(D, F))
                .in("wd", bf16(F, D)).out("y", bf16(T, D))
                .op("g", OpKind.MATMUL, "x", "wg")
                .op("gb", OpKind.ADD, "g", "bg")
                .op("u", OpKind.MATMUL, "x", "wu")
                .op("s", OpKind.SILU, "gb")
                .op("m", OpKind.MUL, "s", "u")
                .op("d", OpKind.MATMUL, "m", "wd")
                .op("y", OpKind.ADD, "d", "x")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(mlp, 4);

        assertEquals(List.of(), r.diagnostics());
        assertEquals(Sharding.sharded(0), r.paramShardings().get("bg"));
        assertEquals("bf16[64]", paramTypes(r.kernel()).get("bg"));
        assertEquals(List.of("g = matmul(x, wg): bf16[16, 64]", "gb = add(g, bg): bf16[16, 64]",
                "u = matmul(x, wu): bf16[16, 64]", "s = silu(gb): bf16[16, 64]", "m = mul(s, u): bf16[16, 64]",
                "d = matmul(m, wd): bf16[16, 64]", "d_allreduce = allreduce(d): bf16[16, 64]",
                "y = add(d_allreduce, x): bf16[16, 64]"), listing(r.kernel()));
    }

    // ---- attention

    @Test
    void attentionSplitsHeadsWithOneAllreduce() {
        TensorParallelism.Result r = TensorParallelism.split(attention(false), 4);

        assertEquals(List.of(), r.diagnostics());
        Kernel k = r.kernel();
        Map<String, String> types = valueTypes(k);
        for (String w : List.of("wq", "wk", "wv")) {
            assertEquals("bf16[64, 16]", paramTypes(k).get(w), w);
        }
        assertEquals("bf16[16, 64]", paramTypes(k).get("wo"));
        assertEquals("bf16[16, 2, 8]", types.get("qh"), "8 heads over 4 sockets");
        assertEquals("bf16[2, 8, 16]", types.get("ktt"));
        assertEquals("bf16[2, 16, 16]", types.get("p"));
        assertEquals("bf16[16, 16]", types.get("of"));
        assertEquals("bf16[16, 64]", types.get("y"));
        assertEquals(1, count(k, OpKind.ALLREDUCE));
        assertEquals(0, count(k, OpKind.ALLGATHER));
        assertEquals(List.of(16L, 2L, 8L), operation(k, "qh").attributes().integerList("shape").orElseThrow());
        assertEquals(List.of(16L, -1L), operation(k, "of").attributes().integerList("shape").orElseThrow());
    }

    @Test
    void attentionWithTransposedKeysInTheMatmulSplitsHeadsToo() {
        TensorParallelism.Result r = TensorParallelism.split(attention(true), 8);

        assertEquals(List.of(), r.diagnostics());
        assertEquals("bf16[1, 16, 16]", valueTypes(r.kernel()).get("s"));
        assertEquals(1, count(r.kernel(), OpKind.ALLREDUCE));
        assertEquals(0, count(r.kernel(), OpKind.ALLGATHER));
    }

    @Test
    void headsNotDivisibleByTheDegreeAreGatheredBeforeTheReshape() {
        Kernel k = new KernelBuilder("heads")
                .in("x", bf16(T, D)).in("wq", bf16(D, D)).out("y", bf16(T, 4, 16))
                .op("q", OpKind.MATMUL, "x", "wq")
                .op("y", OpKind.RESHAPE, attrs("shape", List.of(T, 4L, 16L)), "q")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(k, 8);

        assertEquals(List.of(), r.diagnostics());
        assertEquals(List.of("q = matmul(x, wq): bf16[16, 8]", "q_allgather = allgather(q, axis=1): bf16[16, 64]",
                "y = reshape(q_allgather, shape=[16, 4, 16]): bf16[16, 4, 16]"), listing(r.kernel()));
    }

    // ---- gathers

    @Test
    void normOverTheShardedAxisGathersOnceForEveryConsumer() {
        Kernel k = new KernelBuilder("norm")
                .in("x", bf16(T, D)).in("w1", bf16(D, F)).in("g", bf16(F)).out("y", bf16(T, F))
                .op("h", OpKind.MATMUL, "x", "w1")
                .op("n", OpKind.RMSNORM, "h", "g")
                .op("y", OpKind.ADD, "n", "h")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(k, 8);

        assertEquals(List.of(), r.diagnostics());
        assertEquals(Sharding.REPLICATED, r.paramShardings().get("g"));
        assertEquals(List.of("h = matmul(x, w1): bf16[16, 32]", "h_allgather = allgather(h, axis=1): bf16[16, 256]",
                "n = rmsnorm(h_allgather, g): bf16[16, 256]", "y = add(n, h_allgather): bf16[16, 256]"),
                listing(r.kernel()));
    }

    @Test
    void shardedOutputIsGatheredUnderTheOutputsName() {
        Kernel k = new KernelBuilder("up")
                .in("x", bf16(T, D)).in("w1", bf16(D, F)).out("y", bf16(T, F))
                .op("y", OpKind.MATMUL, "x", "w1")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(k, 8);

        assertEquals(List.of(), r.diagnostics());
        assertEquals(List.of("y_shard = matmul(x, w1): bf16[16, 32]", "y = allgather(y_shard, axis=1): bf16[16, 256]"),
                listing(r.kernel()));
        assertEquals("bf16[16, 256]", paramTypes(r.kernel()).get("y"));
    }

    @Test
    void outputGatheredForAnEarlierConsumerReusesThatGather() {
        Kernel k = new KernelBuilder("up")
                .in("x", bf16(T, D)).in("w1", bf16(D, F)).out("y", bf16(T, F)).out("z", bf16(T, F))
                .op("y", OpKind.MATMUL, "x", "w1")
                .op("z", OpKind.SOFTMAX, "y")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(k, 8);

        assertEquals(List.of("y_shard = matmul(x, w1): bf16[16, 32]", "y = allgather(y_shard, axis=1): bf16[16, 256]",
                "z = softmax(y): bf16[16, 256]"), listing(r.kernel()));
    }

    @Test
    void replicatedOperandThatBroadcastsAlongTheShardedAxisKeepsTheSharding() {
        Kernel k = new KernelBuilder("scale")
                .in("x", bf16(T, D)).in("w1", bf16(D, F)).in("w2", bf16(F, D)).out("y", bf16(T, D))
                .op("h", OpKind.MATMUL, "x", "w1")
                .op("r", OpKind.MEAN, attrs("keepdims", 1L), "x")
                .op("c", OpKind.CONST, attrs("value", 0.5))
                .op("hs", OpKind.MUL, "h", "r")
                .op("hc", OpKind.MUL, "c", "hs")
                .op("y", OpKind.MATMUL, "hc", "w2")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(k, 8);

        assertEquals(List.of(), r.diagnostics());
        assertEquals("bf16[16, 32]", valueTypes(r.kernel()).get("hc"));
        assertEquals(0, count(r.kernel(), OpKind.ALLGATHER));
        assertEquals(1, count(r.kernel(), OpKind.ALLREDUCE));
    }

    @Test
    void replicatedActivationWithTheFullShardedAxisForcesAGather() {
        Kernel k = new KernelBuilder("residual")
                .in("x", bf16(T, D)).in("w", bf16(D, D)).out("y", bf16(T, D))
                .op("h", OpKind.MATMUL, "x", "w")
                .op("y", OpKind.ADD, "h", "x")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(k, 8);

        assertEquals(List.of("h = matmul(x, w): bf16[16, 8]", "h_allgather = allgather(h, axis=1): bf16[16, 64]",
                "y = add(h_allgather, x): bf16[16, 64]"), listing(r.kernel()));
    }

    @Test
    void reductionsKeepTheShardingOffTheirAxesAndGatherOnIt() {
        Kernel k = new KernelBuilder("reduce")
                .in("x", bf16(T, D)).in("w1", bf16(D, F)).out("y", ShapeInferenceTest.int32())
                .op("h", OpKind.MATMUL, "x", "w1")
                .op("hp", OpKind.PERMUTE, attrs("perm", List.of(1L, 0L)), "h")
                .op("s", OpKind.SUM, "hp")
                .op("y", OpKind.ARGMAX, "s")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(k, 8);

        assertEquals(List.of(), r.diagnostics());
        assertEquals(List.of("h = matmul(x, w1): bf16[16, 32]", "hp = permute(h, perm=[1, 0]): bf16[32, 16]",
                "s = sum(hp): bf16[32]", "s_allgather = allgather(s, axis=0): bf16[256]",
                "y = argmax(s_allgather): int32[]"), listing(r.kernel()));
    }

    // ---- state

    @Test
    void kvCacheUpdatedWithShardedHeadsIsSplitAlongHeads() {
        Kernel k = new KernelBuilder("decode")
                .in("x", bf16(1, D)).in("wk", bf16(D, D)).state("kc", bf16(1, 32, 8, 8))
                .op("k", OpKind.MATMUL, "x", "wk")
                .op("kh", OpKind.RESHAPE, attrs("shape", List.of(1L, 1L, 8L, 8L)), "k")
                .op("kc", OpKind.UPDATE, attrs("axis", 1L, "at", 5L), "kc", "kh")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(k, 4);

        assertEquals(List.of(), r.diagnostics());
        assertEquals(Sharding.sharded(2), r.paramShardings().get("kc"));
        assertEquals("bf16[1, 32, 2, 8]", paramTypes(r.kernel()).get("kc"));
        assertEquals(List.of("k = matmul(x, wk): bf16[1, 16]", "kh = reshape(k, shape=[1, 1, 2, 8]): bf16[1, 1, 2, 8]",
                "kc = update(kc, kh, at=5, axis=1): bf16[1, 32, 2, 8]"), listing(r.kernel()));
    }

    // ---- errors and identities

    @Test
    void weightNotDivisibleByTheDegreeIsAnErrorAndStaysWhole() {
        Kernel k = new KernelBuilder("odd")
                .in("x", bf16(T, D)).in("w1", bf16(D, 100)).out("y", bf16(T, 100))
                .op("y", OpKind.MATMUL, "x", "w1")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(k, 8);

        assertTrue(r.hasErrors());
        Diagnostic d = r.diagnostics().get(0);
        assertEquals("dfk.tp-indivisible", d.code());
        assertEquals("cannot split w1 bf16[64, 100] for matmul y over 8 sockets: dimension 1 (100) is not divisible"
                + " by 8; pick a tensor-parallel degree that divides 100 or pad w1", d.message());
        assertEquals(LOCATION, d.location());
        assertEquals("bf16[64, 100]", paramTypes(r.kernel()).get("w1"));
        assertEquals(List.of("y = matmul(x, w1): bf16[16, 100]"), listing(r.kernel()));
    }

    @Test
    void splitKernelKeepsItsNameInstanceAndLocation() {
        Kernel k = attention(false);
        Kernel split = TensorParallelism.split(k, 2).kernel();
        assertEquals("attention", split.name());
        assertEquals(k.instanceName(), split.instanceName());
        assertEquals(k.location(), split.location());
        assertEquals(2, split.hints().tensorParallel());
    }

    @Test
    void stateWrittenWithAnotherShardingThanItIsReadIsAnError() {
        Kernel k = new KernelBuilder("decode")
                .in("x", bf16(1, D)).in("wk", bf16(D, D)).state("kc", bf16(1, 32, 8, 8))
                .op("k", OpKind.MATMUL, "x", "wk")
                .op("kh", OpKind.RESHAPE, attrs("shape", List.of(1L, 1L, 8L, 8L)), "k")
                .op("kn", OpKind.UPDATE, attrs("axis", 1L, "at", 5L), "kc", "kh")
                .op("kc", OpKind.SOFTMAX, attrs("axis", 2L), "kn")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(k, 4);

        assertEquals(1, r.diagnostics().size());
        assertEquals("dfk.tp-state", r.diagnostics().get(0).code());
        assertEquals("state kc is read sharded(2) but written replicated; a state parameter must be written with"
                + " the sharding it is read with", r.diagnostics().get(0).message());
    }

    @Test
    void parameterUsedTwiceByItsFirstOperationStaysWhole() {
        Kernel k = new KernelBuilder("square")
                .in("w", bf16(D, D)).out("y", bf16(D, D))
                .op("y", OpKind.MATMUL, "w", "w")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(k, 8);

        assertEquals(List.of(), r.diagnostics());
        assertEquals(Sharding.REPLICATED, r.paramShardings().get("w"));
        assertEquals(List.of("y = matmul(w, w): bf16[64, 64]"), listing(r.kernel()));
    }

    @Test
    void degreeOneReturnsTheKernelUnchanged() {
        Kernel k = attention(false);
        TensorParallelism.Result r = TensorParallelism.split(k, 1);
        assertSame(k, r.kernel());
        assertEquals(List.of(), r.diagnostics());
        assertTrue(r.paramShardings().values().stream().allMatch(Sharding::isReplicated));
    }

    @Test
    void degreeBelowOneIsAnError() {
        TensorParallelism.Result r = TensorParallelism.split(attention(false), 0);
        assertEquals("dfk.tp-degree", r.diagnostics().get(0).code());
        assertEquals("the tensor-parallel degree of attention must be >= 1, got 0", r.diagnostics().get(0).message());
    }

    @Test
    void kernelWithACollectiveIsRejectedUnchanged() {
        Kernel k = new KernelBuilder("manual")
                .in("x", bf16(T, D)).out("y", bf16(T, D))
                .op("y", OpKind.ALLREDUCE, "x")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(k, 8);

        assertSame(k, r.kernel());
        assertEquals("dfk.tp-collective", r.diagnostics().get(0).code());
    }

    @Test
    void kernelThatDoesNotTypeCheckIsRejectedUnchanged() {
        Kernel broken = new Kernel("broken", "broken", List.of(param("x", ParamMode.IN, bf16(T, D))),
                List.of(new Operation(OpKind.MATMUL, List.of("x", "x"), List.of(new Value("y", bf16(T, D))),
                        OpAttributes.NONE, LOCATION)), KernelHints.NONE, LOCATION);

        TensorParallelism.Result r = TensorParallelism.split(broken, 8);

        assertSame(broken, r.kernel());
        assertEquals("dfk.shape-mismatch", r.diagnostics().get(0).code());
        assertTrue(r.diagnostics().get(0).message().startsWith("matmul: inner dimensions differ"));
    }

    @Test
    void insertedNamesAvoidExistingOnes() {
        Kernel k = new KernelBuilder("names")
                .in("x", bf16(T, D)).in("w1", bf16(D, F)).in("w2", bf16(F, D)).out("y", bf16(T, D))
                .op("d_allreduce", OpKind.NEG, "x")
                .op("h", OpKind.MATMUL, "d_allreduce", "w1")
                .op("d", OpKind.MATMUL, "h", "w2")
                .op("y", OpKind.ADD, "d", "x")
                .build();

        TensorParallelism.Result r = TensorParallelism.split(k, 8);

        assertTrue(listing(r.kernel()).contains("d_allreduce_2 = allreduce(d): bf16[16, 64]"));
        assertTrue(listing(r.kernel()).contains("y = add(d_allreduce_2, x): bf16[16, 64]"));
    }

    // ---- reshape rule

    @Test
    void reshapeKeepsAShardWhenItLeadsItsGroup() {
        assertEquals(OptionalInt.of(1), KernelSplitter.reshapedAxis(Shape.of(16, 64), Shape.of(16, 8, 8), 1, 8));
        assertEquals(OptionalInt.of(1), KernelSplitter.reshapedAxis(Shape.of(16, 8, 8), Shape.of(16, 64), 1, 8));
        assertEquals(OptionalInt.of(2), KernelSplitter.reshapedAxis(Shape.of(1, 64), Shape.of(1, 1, 8, 8), 1, 8));
        assertEquals(OptionalInt.of(0), KernelSplitter.reshapedAxis(Shape.of(8, 4, 2), Shape.of(8, 8), 0, 4));
    }

    @Test
    void reshapeLosesAShardThatDoesNotLeadOrDivide() {
        assertEquals(OptionalInt.empty(), KernelSplitter.reshapedAxis(Shape.of(2, 8), Shape.of(16), 1, 2));
        assertEquals(OptionalInt.empty(), KernelSplitter.reshapedAxis(Shape.of(16, 64), Shape.of(16, 4, 16), 1, 8));
    }

    // ---- fixtures

    private static final SourceLocation LOCATION = new SourceLocation("file:///k.dfk", 10, 5, 2, 3);

    /**
     * x[16, 64] -> q, k, v projections -> 8 heads of 8 -> rope -> heads first -> scores, scaled,
     * causal mask, softmax -> weighted values -> back to [16, 64] -> output projection.
     */
    private static Kernel attention(boolean transposeInMatmul) {
        List<Long> toHeads = List.of(T, 8L, 8L);
        List<Long> headsFirst = List.of(1L, 0L, 2L);
        KernelBuilder b = new KernelBuilder("attention")
                .in("x", bf16(T, D)).in("wq", bf16(D, D)).in("wk", bf16(D, D)).in("wv", bf16(D, D))
                .in("wo", bf16(D, D)).out("y", bf16(T, D))
                .op("q", OpKind.MATMUL, "x", "wq")
                .op("k", OpKind.MATMUL, "x", "wk")
                .op("v", OpKind.MATMUL, "x", "wv")
                .op("qh", OpKind.RESHAPE, attrs("shape", toHeads), "q")
                .op("kh", OpKind.RESHAPE, attrs("shape", toHeads), "k")
                .op("vh", OpKind.RESHAPE, attrs("shape", toHeads), "v")
                .op("qr", OpKind.ROPE, "qh")
                .op("kr", OpKind.ROPE, "kh")
                .op("qt", OpKind.PERMUTE, attrs("perm", headsFirst), "qr")
                .op("kt", OpKind.PERMUTE, attrs("perm", headsFirst), "kr")
                .op("vt", OpKind.PERMUTE, attrs("perm", headsFirst), "vh");
        if (transposeInMatmul) {
            b.op("s", OpKind.MATMUL, attrs("transpose_b", 1L), "qt", "kt");
        } else {
            b.op("ktt", OpKind.TRANSPOSE, "kt").op("s", OpKind.MATMUL, "qt", "ktt");
        }
        return b.op("scale", OpKind.CONST, attrs("value", 0.125))
                .op("ss", OpKind.MUL, "s", "scale")
                .op("m", OpKind.MASK, attrs("causal", 1L), "ss")
                .op("p", OpKind.SOFTMAX, "m")
                .op("o", OpKind.MATMUL, "p", "vt")
                .op("ot", OpKind.PERMUTE, attrs("perm", headsFirst), "o")
                .op("of", OpKind.RESHAPE, attrs("shape", List.of(T, -1L)), "ot")
                .op("y", OpKind.MATMUL, "of", "wo")
                .build();
    }

    /** Builds a whole-tensor kernel; each operation's result type comes from ShapeInference. */
    private static final class KernelBuilder {
        private final String name;
        private final List<KernelParam> params = new ArrayList<>();
        private final List<Operation> operations = new ArrayList<>();
        private final Map<String, TensorType> types = new HashMap<>();

        KernelBuilder(String name) {
            this.name = name;
        }

        KernelBuilder in(String param, TensorType type) {
            return param(param, ParamMode.IN, type);
        }

        KernelBuilder state(String param, TensorType type) {
            return param(param, ParamMode.STATE, type);
        }

        KernelBuilder out(String param, TensorType type) {
            return param(param, ParamMode.OUT, type);
        }

        private KernelBuilder param(String param, ParamMode mode, TensorType type) {
            params.add(TensorParallelismTest.param(param, mode, type));
            if (mode != ParamMode.OUT) {
                types.put(param, type);
            }
            return this;
        }

        KernelBuilder op(String result, OpKind kind, String... inputs) {
            return op(result, kind, OpAttributes.NONE, inputs);
        }

        KernelBuilder op(String result, OpKind kind, OpAttributes attributes, String... inputs) {
            List<TensorType> in = Arrays.stream(inputs).map(types::get).toList();
            TensorType type = ShapeInference.infer(kind, in, attributes).output();
            types.put(result, type);
            operations.add(new Operation(kind, List.of(inputs), List.of(new Value(result, type)), attributes, LOCATION));
            return this;
        }

        Kernel build() {
            return new Kernel(name, name + "<T=16>", params, operations, KernelHints.NONE, LOCATION);
        }
    }

    private static KernelParam param(String name, ParamMode mode, TensorType type) {
        return new KernelParam(name, mode, type, LOCATION);
    }

    /** One line per operation: {@code out = kind(inputs, attributes): type}. */
    private static List<String> listing(Kernel k) {
        List<String> lines = new ArrayList<>();
        for (Operation op : k.operations()) {
            List<String> args = new ArrayList<>(op.inputs());
            OpAttributes a = op.attributes();
            a.keys().stream().sorted().forEach(key -> args.add(key + "=" + (a.integer(key).isPresent()
                    ? a.integer(key).get() : a.integerList(key).isPresent() ? a.integerList(key).get()
                    : a.number(key).isPresent() ? a.number(key).get() : a.name(key).orElseThrow())));
            String outs = op.outputs().stream().map(Value::name).collect(Collectors.joining(", "));
            lines.add(outs + " = " + op.kind().keyword() + "(" + String.join(", ", args) + "): " + op.output().type());
        }
        return lines;
    }

    private static Map<String, String> paramTypes(Kernel k) {
        return k.params().stream().collect(Collectors.toMap(KernelParam::name, p -> p.type().toString()));
    }

    private static Map<String, String> valueTypes(Kernel k) {
        Map<String, String> types = new HashMap<>();
        k.values().forEach((n, v) -> types.put(n, v.type().toString()));
        return types;
    }

    private static long count(Kernel k, OpKind kind) {
        return k.operations().stream().filter(op -> op.kind() == kind).count();
    }

    private static Operation operation(Kernel k, String result) {
        return k.operations().stream().filter(op -> op.output().name().equals(result)).findFirst().orElseThrow();
    }
}
