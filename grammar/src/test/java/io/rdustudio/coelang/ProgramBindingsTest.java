package io.rdustudio.coelang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.util.EcoreUtil;
import org.eclipse.xtext.EcoreUtil2;
import org.junit.jupiter.api.Test;

import io.rdustudio.coe.model.ModelFootprint;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.ModelTiming;
import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.coelang.coe.ProgramModel;
import io.rdustudio.coelang.tests.CoeTester;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.dfk.lowering.DfkLowering;
import io.rdustudio.emulator.steps.StepModel;
import io.rdustudio.emulator.timing.TimingEmulator;
import io.rdustudio.emulator.timing.TimingOptions;

/**
 * A model given by reference follows the workload's lengths and batch through the constants its
 * bindings name: {@code prompt length T}, {@code kv length K}, {@code batch B}; checked against the
 * programs, resolved as references into them, and used by the resolver.
 */
public class ProgramBindingsTest {

    private static final TargetProfile SOCKET = TargetProfiles.load("sn40l-node");

    /** One socket: a prefill kernel over B prompts of T tokens, a decode step attending over K cached positions. */
    public static final String SERVING = """
            let T = 128
            let K = 256
            let B = 2
            let D = 512
            let BT = B * T
            let SCALE = 0.125
            input prompt: bf16[BT, D]
            input token: bf16[B, D]
            weight w: bf16[D, D]
            state cache: bf16[B, K, D]
            output h: bf16[BT, D]
            output y: bf16[B, D]
            kernel fill(a: bf16[BT, D], b: bf16[D, D]) -> (c: bf16[BT, D]) { c = matmul(a, b) }
            kernel step(a: bf16[B, D], b: bf16[D, D], state kv: bf16[B, K, D]) -> (c: bf16[B, D]) {
              q = reshape(matmul(a, b), shape=[B, 1, D])
              p = softmax(matmul(q, kv, transpose_b=1) * SCALE)
              c = reshape(matmul(p, kv), shape=[B, D])
            }
            schedule serve with sockets = 1 {
              h = fill(prompt, w)
              y = step(token, w, cache)
            }
            """;

    /** A prefill of its own, without a batch constant. */
    static final String PREFILL_ONLY = """
            let S = 64
            let D = 512
            input prompt: bf16[S, D]
            weight w: bf16[D, D]
            output h: bf16[S, D]
            kernel fill(a: bf16[S, D], b: bf16[D, D]) -> (c: bf16[S, D]) { c = matmul(a, b) }
            schedule { h = fill(prompt, w) }
            """;

    public static final String DESCRIPTOR = """
            model serving: program "serving.dfk" {
                prefill kernel fill
                decode kernel step
                prompt length T
                kv length K
                batch B
            }
            router: serving
            expert a: serving
            """;

    private static CoeTester tester(String coe) {
        return CoeTester.of(coe).file("serving.dfk", SERVING).file("prefill.dfk", PREFILL_ONLY);
    }

    private static ModelSpec.Reference expertModel(CoeTester t) {
        return (ModelSpec.Reference) t.analysis().deployment().experts().get(0).model();
    }

    @Test
    void bindingsResolveIntoTheProgramAndLowerToTheReference() {
        CoeTester t = tester(DESCRIPTOR);
        assertEquals(List.of(), t.issues());
        ProgramModel model = EcoreUtil2.getAllContentsOfType(t.descriptor(), ProgramModel.class).get(0);
        assertEquals("inmemory:/ws/serving.dfk#//@elements.1", EcoreUtil.getURI(model.getKvLength()).toString(),
                "K, the program's second declaration: go to definition and rename follow it");

        assertEquals(new ModelSpec.Reference("inmemory:/ws/serving.dfk", "fill", "step", "inmemory:/ws/serving.dfk",
                new ModelSpec.Reference.Bindings("T", "K", "B")), expertModel(t));
    }

    @Test
    void aConstantTheProgramLacksListsItsConstants() {
        assertEquals(List.of("4:19 error: no constant named 'Q' in serving.dfk (or the files it imports) to hold the prompt "
                + "length; its constants: B, BT, D, K, SCALE, T"), tester(DESCRIPTOR.replace("prompt length T", "prompt length Q"))
                .issues());
    }

    @Test
    void aDecimalConstantCannotHoldALength() {
        assertEquals(List.of("6:11 error: serving.dfk has no integer constant SCALE to hold the batch (a length or a batch is a "
                + "whole number); its integer constants: B, BT, D, K, T"), tester(DESCRIPTOR.replace("batch B", "batch SCALE"))
                .issues());
    }

    @Test
    void aKvLengthNeedsADecodePhase() {
        String router = DESCRIPTOR.replace("    decode kernel step\n", "").replace("expert a: serving",
                "expert a: \"Llama2-7B class\" { layers 32 hidden 4096 heads 32 ffn 11008 vocab 32000 context 4096 }");
        assertEquals(List.of("4:15 error: kv length names a constant of the decode step's program, and this model has no "
                + "decode phase; remove it, or add 'decode kernel NAME' or 'decode schedule NAME'"), tester(router).issues());
    }

    @Test
    void aBindingGivenTwiceIsRefused() {
        assertEquals(List.of("4:19 error: prompt length is bound twice; keep one"),
                tester(DESCRIPTOR.replace("prompt length T", "prompt length T\n    prompt length BT")).issues());
    }

    @Test
    void theBatchIsAConstantOfBothPrograms() {
        String split = DESCRIPTOR.replace("prefill kernel fill", "prefill schedule in \"prefill.dfk\"")
                .replace("prompt length T", "prompt length S");
        assertEquals(List.of("6:11 error: the batch is set in both phases' programs, and prefill.dfk has no integer constant B "
                + "to hold the batch (a length or a batch is a whole number); its integer constants: D, S"),
                tester(split).issues());

        CoeTester ok = tester(split.replace("    batch B\n", ""));
        assertEquals(List.of(), ok.issues());
        assertEquals(new ModelSpec.Reference("inmemory:/ws/serving.dfk", "schedule", "step", "inmemory:/ws/prefill.dfk",
                new ModelSpec.Reference.Bindings("S", "K", "")), expertModel(ok));
    }

    @Test
    void thePromptLengthIsAConstantOfThePrefillsProgram() {
        String split = DESCRIPTOR.replace("prefill kernel fill", "prefill schedule in \"prefill.dfk\"").replace("    batch B\n", "");
        assertEquals(List.of("4:19 error: no constant named 'T' in prefill.dfk (or the files it imports) to hold the prompt "
                + "length; its constants: D, S"), tester(split).issues());
    }

    /** The resolver sets the bound constants: its times are the emulator's at the lengths and batch asked for. */
    @Test
    void theResolverTimesTheProgramAtTheServedLengthsAndBatch() {
        CoeTester t = tester(DESCRIPTOR);
        ResolvedModel model = t.analysis().resolver().resolve(expertModel(t), 1, SOCKET);
        ModelTiming timing = model.timing();
        io.rdustudio.dfk.dfk.Model program = (io.rdustudio.dfk.dfk.Model) t.resource(CoeTester.uri("serving.dfk"))
                .getContents().get(0);

        double prefill = seconds(program, Map.of("T", 512L, "K", 512L, "B", 4L), "fill");
        assertEquals(prefill, timing.prefillSeconds(512, 4), 0.0, "512 tokens is on the grid: emulated exactly");
        assertTrue(timing.prefillSeconds(512, 4) > timing.prefillSeconds(64, 1), "longer prompts and more of them take longer");
        double step = seconds(program, Map.of("T", 1L, "K", 200L, "B", 3L), "step");
        assertEquals(step, timing.decodeStepSeconds(199, 3), step * 2 * StepModel.DEFAULT_TOLERANCE,
                "the step after 199 cached tokens attends over 200 positions, from the fitted step model");
        assertTrue(timing.decodeStepSeconds(255, 1) > timing.decodeStepSeconds(10, 1), "a longer cache takes longer");

        ModelFootprint f = model.footprint();
        assertEquals(512 * 512 * 2, f.weightBytes());
        assertEquals(512 * 2, f.kvCacheBytesPerToken(), "the state that grows with K, for one sequence: D bf16 values");
        assertEquals(256, f.maxContextTokens(), "the program's own K");
        assertTrue(f.workspaceBytesPerSequence() > 0, "the activations grow with the batch: " + f);
    }

    private static double seconds(io.rdustudio.dfk.dfk.Model program, Map<String, Long> constants, String kernel) {
        Program lowered = DfkLowering.lower(program, constants).program();
        Program cut = lowered.withSchedule(new io.rdustudio.core.ir.Schedule(lowered.schedule().orElseThrow().sockets(),
                lowered.schedule().orElseThrow().orchestration(), lowered.schedule().orElseThrow().steps().stream()
                        .filter(s -> s instanceof io.rdustudio.core.ir.Step.KernelCall c
                                && Set.of(kernel).contains(lowered.kernels().get(c.kernel()).name())).toList(),
                lowered.schedule().orElseThrow().location()));
        return TimingEmulator.run(cut, SOCKET, TimingOptions.DEFAULT).totalSeconds();
    }
}
