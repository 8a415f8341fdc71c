package io.rdustudio.coelang.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rdustudio.coe.model.ModelResolutionException;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.ModelTiming;
import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.coelang.tests.CoeTester;
import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.emulator.steps.StepModel;
import io.rdustudio.emulator.timing.TimingEmulator;
import io.rdustudio.emulator.timing.TimingOptions;

/** The emulator-backed resolver: the Llama template's size, its timings on the SN40L and the GPUs, and DFK references. */
class EmulatorModelResolverTest {

    static {
        // DFK registered first, as dfk check and the language server do: the template parses with it
        // (a test run of this class alone would otherwise parse the template before anything registered)
        CoeTester.instance(io.rdustudio.coelang.lowering.DescriptorWriter.class);
    }

    private static final TargetProfile NODE = TargetProfiles.load("sn40l-node");
    private static final ModelSpec.Parametric LLAMA = ModelSpec.Parametric.llama2_7b();
    private static final EmulatorModelResolver RESOLVER = new EmulatorModelResolver(uri -> null);

    @Test
    void theTemplateAtLlama2FiguresHasLlama2sParameters() {
        Program program = LlamaTemplate.lower(LLAMA, 8, 128, 128, 1);
        assertEquals(6_738_415_616L, program.parameterCount(), "DOMAIN.md: Llama2-7B has 6,738,415,616 parameters");
        assertEquals(LLAMA.parameters(), program.parameterCount(), 0.0, "the template declares exactly the shape's weights");
    }

    @Test
    void groupedQueryAttentionAndAnotherDtypeLowerToo() {
        ModelSpec.Parametric mistral = new ModelSpec.Parametric("Mistral-7B class", 32, 4096, 32, 8, 14336, 32000,
                DType.FP8E4M3, 8192);
        Program program = LlamaTemplate.lower(mistral, 8, 64, 64, 2);
        assertEquals((long) mistral.parameters(), program.parameterCount(), "DOMAIN.md section 9: Mistral-7B's shape");
        assertEquals(DType.FP8E4M3, program.tensor("wq").orElseThrow().type().dtype());
    }

    @Test
    void decodeStepTimeGrowsWithTheKvLengthAndShrinksWithMoreSockets() {
        ModelTiming tp8 = RESOLVER.resolve(LLAMA, 8, NODE).timing();
        ModelTiming tp1 = RESOLVER.resolve(LLAMA, 1, NODE).timing();
        double short8 = tp8.decodeStepSeconds(127, 1);
        double long8 = tp8.decodeStepSeconds(4095, 1);
        System.out.printf("Llama2-7B decode step on sn40l-node: tp8 %.3g s at KV 128, %.3g s at KV 4096; tp1 %.3g s%n",
                short8, long8, tp1.decodeStepSeconds(127, 1));
        assertTrue(long8 > short8, long8 + " vs " + short8);
        assertTrue(tp1.decodeStepSeconds(127, 1) > short8, "8 sockets share the weight reads of a decode step");
    }

    @Test
    void decodeStepsFollowTheEmulatorsFittedStepModel() {
        ModelTiming timing = RESOLVER.resolve(LLAMA, 8, NODE).timing();
        for (int k : new int[] {256, 320, 4000}) {
            double emulated = PhaseRun.seconds(LlamaTemplate.lower(LLAMA, 8, 1, k, 1), LlamaTemplate.DECODE, NODE);
            assertEquals(emulated, timing.decodeStepSeconds(k - 1, 1), emulated * 2 * StepModel.DEFAULT_TOLERANCE,
                    "the step attending over " + k + " positions, within twice the fit's tolerance");
        }
        ModelResolutionException beyond = assertThrows(ModelResolutionException.class,
                () -> timing.decodeStepSeconds(4096, 1));
        assertTrue(beyond.getMessage().contains("context of 4096 tokens"), beyond.getMessage());
    }

    @Test
    void aPrefillOnTheGridIsTheEmulatedTime() {
        ModelTiming timing = RESOLVER.resolve(LLAMA, 8, NODE).timing();
        double emulated = PhaseRun.seconds(LlamaTemplate.lower(LLAMA, 8, 128, 128, 1), LlamaTemplate.PREFILL, NODE);
        assertEquals(emulated, timing.prefillSeconds(128, 1), 0.0, "128 tokens is on the grid");
    }

    @Test
    void prefillGrowsWithThePromptAndTheBatch() {
        ModelTiming timing = RESOLVER.resolve(LLAMA, 8, NODE).timing();
        double one = timing.prefillSeconds(128, 1);
        assertTrue(timing.prefillSeconds(512, 1) > one);
        assertTrue(timing.prefillSeconds(128, 8) > one);
    }

    @Test
    void theGpuBaselinesResolveTheSameShape() {
        ResolvedModel h100 = RESOLVER.resolve(LLAMA, 8, TargetProfiles.load("dgx-h100"));
        ResolvedModel a100 = RESOLVER.resolve(LLAMA, 8, TargetProfiles.load("dgx-a100"));
        double h = h100.timing().decodeStepSeconds(127, 1);
        double a = a100.timing().decodeStepSeconds(127, 1);
        System.out.printf("Llama2-7B decode step, tp8: dgx-a100 %.3g s, dgx-h100 %.3g s%n", a, h);
        assertTrue(h > 0 && a > h, "an H100 reads HBM faster than an A100: " + a + " vs " + h);
        assertEquals(LLAMA.weightBytes(), h100.footprint().weightBytes());
    }

    @Test
    void degreesTheShapeOrTheNodeCannotTakeAreRefusedWithTheReason() {
        ModelResolutionException split = assertThrows(ModelResolutionException.class, () -> RESOLVER.resolve(LLAMA, 3, NODE));
        assertTrue(split.getMessage().startsWith("Llama2-7B class cannot run at tensor-parallel degree 3"), split.getMessage());
        ModelResolutionException wide = assertThrows(ModelResolutionException.class, () -> RESOLVER.resolve(LLAMA, 16, NODE));
        assertEquals("tensor-parallel degree 16 is not possible on sn40l-node, which has 8 sockets per node; use 1 to 8",
                wide.getMessage());
    }

    @Test
    void aReferenceIsTheProgramAsWrittenTimedOnce() {
        Path router = Path.of("..", "examples", "router.dfk");
        CoeTester tester = new CoeTester().disk(router);
        String uri = CoeTester.fileUri(router).toString();
        EmulatorModelResolver resolver = new EmulatorModelResolver(u -> (io.rdustudio.dfk.dfk.Model) tester
                .resource(org.eclipse.emf.common.util.URI.createURI(u)).getContents().get(0));
        ResolvedModel model = resolver.resolve(new ModelSpec.Reference(uri, "schedule", ""), 1, NODE);

        Program program = io.rdustudio.dfk.lowering.DfkLowering.lower((io.rdustudio.dfk.dfk.Model) tester
                .resource(CoeTester.fileUri(router)).getContents().get(0)).program();
        double expected = TimingEmulator.run(program, NODE, TimingOptions.DEFAULT).totalSeconds();
        assertEquals(expected, model.timing().prefillSeconds(512, 8), 0.0);
        assertEquals(expected, model.timing().prefillSeconds(100, 1), 0.0, "a program fixes its own lengths");
        long weights = program.tensors().stream().filter(t -> t.role() == io.rdustudio.core.ir.Role.WEIGHT)
                .mapToLong(t -> t.type().bytes()).sum();
        assertEquals(weights, model.footprint().weightBytes());
        ModelResolutionException noDecode = assertThrows(ModelResolutionException.class,
                () -> model.timing().decodeStepSeconds(1, 1));
        assertTrue(noDecode.getMessage().contains("names no decode phase"), noDecode.getMessage());
    }

    /**
     * examples/llama_by_reference.coe declares Llama2-7B twice: the parametric class (the template)
     * and by reference to llama2_7b_prefill.dfk and llama2_7b_decode.dfk with their lengths bound.
     * Same weights, KV cache and context. Decode steps agree on the SN40L within twice the step
     * model's tolerance, and within 5% on the GPUs (the example masks its scores, one more pass of
     * the per-operator GPU baseline). Prefill agrees on the GPUs (per-operator: the same arithmetic),
     * but the example's SN40L prefill is 1.05 to 2 times the template's: it splits each layer into
     * two kernels (attention and feed-forward, its header says why) where the template fuses a layer
     * into one, so the residual stream leaves the chip between them. A chatbot request (128 prompt
     * tokens, 20 generated) differs by 3% on the node.
     */
    @Test
    void anExpertWrittenInDfkTimesLikeTheParametricClass() {
        Path example = Path.of("..", "examples", "llama_by_reference.coe");
        io.rdustudio.coelang.lowering.CoeAnalysis analysis = new CoeTester().disk(example).analysis(CoeTester.fileUri(example));
        assertEquals(List.of(), analysis.diagnostics());
        var experts = analysis.deployment().experts();
        assertEquals(LLAMA, experts.get(0).model());
        for (String platform : List.of("sn40l-node", "dgx-a100", "dgx-h100")) {
            TargetProfile profile = TargetProfiles.load(platform);
            ResolvedModel template = analysis.resolver().resolve(experts.get(0).effectiveModel(), 8, profile);
            ResolvedModel written = analysis.resolver().resolve(experts.get(1).effectiveModel(), 8, profile);
            assertEquals(template.footprint().weightBytes(), written.footprint().weightBytes(), "6,738,415,616 parameters");
            assertEquals(template.footprint().kvCacheBytesPerToken(), written.footprint().kvCacheBytesPerToken());
            assertEquals(4096, written.footprint().maxContextTokens(), "llama2_7b_decode.dfk's own S");
            boolean gpu = !platform.equals("sn40l-node");
            for (int kv : new int[] {0, 127, 1000, 4095}) {
                double t = template.timing().decodeStepSeconds(kv, 1);
                assertEquals(t, written.timing().decodeStepSeconds(kv, 1), t * (gpu ? 0.05 : 2 * StepModel.DEFAULT_TOLERANCE),
                        platform + ": decode step after " + kv + " tokens");
            }
            for (int prompt : new int[] {1, 128, 1000, 4096}) {
                double t = template.timing().prefillSeconds(prompt, 1);
                double w = written.timing().prefillSeconds(prompt, 1);
                if (gpu) {
                    assertEquals(t, w, t * 1e-3, platform + ": prefill of " + prompt);
                } else {
                    assertTrue(w >= t && w <= 2 * t, "sn40l-node: prefill of " + prompt + ": " + w + " vs " + t);
                }
            }
            double chat = template.timing().generationSeconds(128, 20, 1);
            assertEquals(chat, written.timing().generationSeconds(128, 20, 1), chat * 0.05, platform + ": a chat turn");
        }
    }

    @Test
    void theGridHasPowersOfTwoAndOneAndAHalfTimesThem() {
        List<Long> grid = new ArrayList<>();
        for (long g = 1; g <= 64; g = StepCurve.gridAbove(g)) {
            grid.add(g);
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 6L, 8L, 12L, 16L, 24L, 32L, 48L, 64L), grid);
        assertEquals(48L, StepCurve.gridAtOrBelow(63));
        assertEquals(64L, StepCurve.gridAtOrBelow(64));
        List<Long> asked = new ArrayList<>();
        StepCurve curve = new StepCurve(x -> {
            asked.add(x);
            return 10.0 * x;
        });
        assertEquals(500.0, curve.seconds(50), 1e-9, "linear between 48 and 64");
        assertEquals(List.of(48L, 64L), asked);
        curve.seconds(56);
        assertEquals(List.of(48L, 64L), asked, "each grid point is emulated once");
    }
}
