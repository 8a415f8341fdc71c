package io.rdustudio.coelang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.emf.common.util.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rdustudio.coe.DeploymentJson;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coelang.lowering.DescriptorWriter;
import io.rdustudio.coelang.tests.CoeTester;

/** A deployment written as a descriptor lowers to the same deployment (compared as the simulator's JSON). */
class DescriptorWriterTest {

    private static final DescriptorWriter WRITER = CoeTester.instance(DescriptorWriter.class);

    @TempDir
    Path folder;

    private Deployment roundTrip(Deployment d) throws IOException {
        String text = WRITER.write(d, List.of("written by a test"), p -> p.startsWith("file:") ? URI.createURI(p).toFileString() : p,
                (uri, name) -> name.equals("serve"));
        Path file = folder.resolve("written.coe");
        Files.writeString(file, text);
        CoeTester again = new CoeTester().disk(file);
        assertEquals(List.of(), again.issues(CoeTester.fileUri(file)), text);
        return again.analysis(CoeTester.fileUri(file)).deployment();
    }

    @Test
    void sambaCoeRoundTrips() throws IOException {
        Deployment samba = new CoeTester().disk(CoeExamplesTest.SAMBA).analysis(CoeTester.fileUri(CoeExamplesTest.SAMBA))
                .deployment();
        assertEquals(DeploymentJson.write(samba), DeploymentJson.write(roundTrip(samba)));
    }

    @Test
    void everyConstructRoundTrips() throws IOException {
        Path tiny = folder.resolve("tiny.dfk");
        Files.writeString(tiny, ProgramModelTest.TINY);
        Files.writeString(folder.resolve("serving.dfk"), ProgramBindingsTest.SERVING);
        Files.writeString(folder.resolve("prefill.dfk"), ProgramBindingsTest.PREFILL_ONLY);
        Files.writeString(folder.resolve("trace.jsonl"), "{\"arrivalSeconds\": 0, \"expert\": \"a\"}\n");
        Files.writeString(folder.resolve("source.coe"), """
                deployment ^policy
                hardware: sn40l-node, nodes 2
                model tiny: program "tiny.dfk" { prefill schedule serve  decode kernel step }
                model bound: program "serving.dfk" { prefill schedule in "prefill.dfk"  decode kernel step
                                                     prompt length S  kv length K }
                model big: "Big class" { layers 4 hidden 512 heads 8 kv heads 2 ffn 1024 vocab 1000 dtype fp32 context 512 }
                router: tiny, weights in ddr, tp 1
                expert a: tiny
                expert b: bound
                expert ^node: big, domain "q\\"uote", dtype fp8e4m3, tp 2, pinned
                10 experts c: big, domain "c", tp 2
                policy { batch 4  wait 2.5 ms  max output 64 tokens  prefetch on }
                workload w1 { prompt 16 tokens output 8 tokens arrivals 0.25 per second requests 10 seed 7
                              mix weights { a 1, c_003 2.5, "c" 0 } }
                workload w2 { prompt 32 tokens output 4 tokens mix trace "trace.jsonl" }
                workload w3 { prompt 16 tokens output 8 tokens arrivals 3 per minute batch 2 mix zipf 1.25 }
                spread { node 0: a, ^node, c[0..4], c[7]  node 1: c[4..7], c[8..10] }
                """);
        CoeTester source = new CoeTester().disk(folder.resolve("source.coe"));
        assertEquals(List.of(), source.issues(CoeTester.fileUri(folder.resolve("source.coe"))));
        Deployment d = source.analysis(CoeTester.fileUri(folder.resolve("source.coe"))).deployment();
        assertEquals(DeploymentJson.write(d), DeploymentJson.write(roundTrip(d)));
    }

    @Test
    void aNameTheLanguageCannotSpellIsRefused() {
        Deployment samba = new CoeTester().disk(CoeExamplesTest.SAMBA).analysis(CoeTester.fileUri(CoeExamplesTest.SAMBA))
                .deployment();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WRITER.write(samba.withExperts(List.of(renamed(samba.experts().get(0), "a-b"))), List.of(),
                        p -> p, (u, n) -> false));
        assertTrue(e.getMessage().startsWith("the name 'a-b' cannot be written in a descriptor"), e.getMessage());
    }

    private static ExpertDecl renamed(ExpertDecl e, String name) {
        return new ExpertDecl(name, e.model(), e.domain(), e.dtype(), e.tensorParallel(), e.pinned(), e.count(), e.location());
    }
}
