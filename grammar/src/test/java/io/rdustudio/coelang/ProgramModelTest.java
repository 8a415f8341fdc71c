package io.rdustudio.coelang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.emf.ecore.util.EcoreUtil;
import org.eclipse.xtext.EcoreUtil2;
import org.junit.jupiter.api.Test;

import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coelang.coe.Phase;
import io.rdustudio.coelang.coe.ProgramModel;
import io.rdustudio.coelang.tests.CoeTester;

/** Models written in DFK: phases resolve into the program their model names, and problems of the program surface. */
class ProgramModelTest {

    /** A one-socket "model": a prefill kernel over 64 tokens and a decode kernel over one. */
    static final String TINY = """
            let D = 64
            input prompt: bf16[64, D]
            input token: bf16[1, D]
            weight w: bf16[D, D]
            output h: bf16[64, D]
            output y: bf16[1, D]
            kernel embed(a: bf16[64, D], b: bf16[D, D]) -> (c: bf16[64, D]) { c = matmul(a, b) }
            kernel step(a: bf16[1, D], b: bf16[D, D]) -> (c: bf16[1, D]) { c = matmul(a, b) }
            schedule serve with sockets = 1 {
              h = embed(prompt, w)
              y = step(token, w)
            }
            """;

    /** Another program that also has a kernel named embed. */
    static final String OTHER = """
            input x: bf16[8, 8]
            weight w: bf16[8, 8]
            output y: bf16[8, 8]
            kernel embed(a: bf16[8, 8], b: bf16[8, 8]) -> (c: bf16[8, 8]) { c = matmul(a, b) }
            schedule { y = embed(x, w) }
            """;

    static final String DESCRIPTOR = """
            model tiny: program "tiny.dfk" {
                prefill kernel embed
                decode kernel step
            }
            model other: program "lib/other.dfk" { prefill kernel embed }
            router: other
            expert a: tiny
            """;

    private static CoeTester tester(String coe) {
        return CoeTester.of(coe).file("tiny.dfk", TINY).file("lib/other.dfk", OTHER);
    }

    @Test
    void phasesResolveInTheirOwnProgramAndLowerToReferences() {
        CoeTester t = tester(DESCRIPTOR);
        assertEquals(List.of(), t.issues());
        List<ProgramModel> programs = EcoreUtil2.getAllContentsOfType(t.descriptor(), ProgramModel.class);
        Phase tinyEmbed = programs.get(0).getPhases().get(0);
        Phase otherEmbed = programs.get(1).getPhases().get(0);
        assertEquals("inmemory:/ws/tiny.dfk", EcoreUtil.getURI(tinyEmbed.getKernel()).trimFragment().toString());
        assertEquals("inmemory:/ws/lib/other.dfk", EcoreUtil.getURI(otherEmbed.getKernel()).trimFragment().toString());

        var deployment = t.analysis().deployment();
        assertEquals(new ModelSpec.Reference("inmemory:/ws/lib/other.dfk", "embed", ""), deployment.router().model());
        assertEquals(new ModelSpec.Reference("inmemory:/ws/tiny.dfk", "embed", "step"), deployment.experts().get(0).model());
    }

    @Test
    void theWholeScheduleByNameOrWithoutOne() {
        CoeTester t = tester(DESCRIPTOR.replace("prefill kernel embed\n    decode kernel step",
                "prefill schedule serve\n    decode kernel step").replace("{ prefill kernel embed }", "{ prefill schedule }"));
        assertEquals(List.of(), t.issues());
        var deployment = t.analysis().deployment();
        assertEquals("schedule", ((ModelSpec.Reference) deployment.router().model()).prefill());
        assertEquals("serve", ((ModelSpec.Reference) deployment.experts().get(0).model()).prefill());
    }

    @Test
    void anUnknownKernelListsTheProgramsKernels() {
        assertEquals(List.of("2:20 error: no kernel named 'embd' in tiny.dfk (or the files it imports); its kernels: embed, "
                + "step"), tester(DESCRIPTOR.replace("prefill kernel embed\n", "prefill kernel embd\n")).issues());
    }

    @Test
    void aKernelOfAnotherModelsProgramIsNotVisible() {
        assertEquals(List.of("5:55 error: no kernel named 'step' in lib/other.dfk (or the files it imports); its kernels: "
                + "embed"), tester(DESCRIPTOR.replace("{ prefill kernel embed }", "{ prefill kernel step }")).issues());
    }

    @Test
    void anExpertNeedsADecodePhase() {
        assertEquals(List.of("1:7 warning: model tiny is never used; give it to the router or an expert, or remove it",
                "7:11 error: model other has no decode phase, and an expert generates tokens; add 'decode kernel NAME' or "
                        + "'decode schedule NAME' to it"), tester(DESCRIPTOR.replace("expert a: tiny", "expert a: other"))
                .issues());
    }

    @Test
    void aProgramWithErrorsIsReportedAtItsName() {
        CoeTester t = CoeTester.of(DESCRIPTOR).file("tiny.dfk", TINY.replace("c = matmul(a, b) }\nkernel step",
                "c = matmul(a, q) }\nkernel step")).file("lib/other.dfk", OTHER);
        List<String> found = t.issues();
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("1:21 error: tiny.dfk has 1 error; the first, at 7:"), found.get(0));
        assertTrue(found.get(0).endsWith("run dfk check on it"), found.get(0));
    }

    @Test
    void aDegreeOtherThanTheProgramsIsReportedByTheResolver() {
        List<String> found = tester(DESCRIPTOR.replace("router: other", "router: other, tp 8")).issues();
        assertEquals(List.of("6:1 error: router: other.dfk splits its kernels over 1 socket (tp = 1), but the model is "
                + "declared with tp 8; declare tp 1 or change the program's tp hints"), found);
    }
}
