package io.rdustudio.dfk.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.linking.ILinkingService;
import org.eclipse.xtext.util.CancelIndicator;
import org.junit.jupiter.api.Test;

import io.rdustudio.dfk.dfk.Kernel;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.Reference;
import io.rdustudio.dfk.lowering.DfkPrograms;
import io.rdustudio.dfk.tests.DfkTester;

/**
 * Unloading makes proxies of a file's objects exactly when another loaded file can refer to them;
 * lazy links are resolved once per state of a file, and again after it changes.
 */
class DfkResourceTest {

    private static final String LIBRARY = """
            let D = 64
            kernel proj(a: bf16[8, D], b: bf16[D, D]) -> (c: bf16[8, D]) {
              c = matmul(a, b)
            }
            """;

    private static final String MIDDLE = """
            import "lib.dfk"
            let E = D
            """;

    private static final String PROGRAM = """
            import "middle.dfk"
            input x: bf16[8, D]
            weight w: bf16[D, D]
            output y: bf16[8, D]
            schedule { y = proj(x, w) }
            """;

    @Test
    void aFileThatAnotherImportsTransitivelyBecomesProxiesSoItsImportersResolveAgain() {
        DfkTester files = new DfkTester().file("lib.dfk", LIBRARY).file("middle.dfk", MIDDLE).file("prog.dfk", PROGRAM);
        files.issues("prog.dfk"); // links the program to the library's kernel
        Resource library = files.resource("lib.dfk");
        EObject kernel = EcoreUtil2.getAllContentsOfType(library.getContents().get(0), Kernel.class).get(0);

        library.unload();

        assertTrue(kernel.eIsProxy(), "prog.dfk imports lib.dfk through middle.dfk and may refer to its kernel");
    }

    @Test
    void aFileNobodyImportsIsUnloadedWithoutProxies() {
        DfkTester files = new DfkTester().file("lib.dfk", LIBRARY).file("prog.dfk", PROGRAM.replace("middle", "lib"));
        files.issues("prog.dfk");
        Resource program = files.resource("prog.dfk");
        Model model = (Model) program.getContents().get(0);
        Resource library = files.resource("lib.dfk");
        EObject kernel = EcoreUtil2.getAllContentsOfType(library.getContents().get(0), Kernel.class).get(0);

        program.unload();

        assertFalse(model.eIsProxy(), "nothing can refer into prog.dfk");
        assertFalse(kernel.eIsProxy(), "the library stays as it was");
        assertSame(library, kernel.eResource());
        assertInstanceOf(DfkResource.class, program);
    }

    @Test
    void aFileUnloadedWithoutProxiesForgetsWhatItsCacheHeldAboutTheOldText() throws Exception {
        DfkTester files = new DfkTester().file("lib.dfk", LIBRARY);
        Resource library = files.resource("lib.dfk");
        DfkPrograms programs = DfkTester.instance(DfkPrograms.class);
        assertTrue(programs.of(library).program().kernels().containsKey("proj"));

        library.unload();
        assertTrue(programs.of(library).program() == null, "an unloaded file has no program");
        library.load(new java.io.ByteArrayInputStream(LIBRARY.replace("proj", "other").getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), java.util.Map.of());

        assertTrue(programs.of(library).program().kernels().containsKey("other"),
                "the lowering of the new text, not the cached one of the old");
    }

    @Test
    void linksAreResolvedOncePerStateOfTheFileAndAgainAfterItChanges() throws Exception {
        DfkTester files = new DfkTester().file("lib.dfk", LIBRARY.replace("matmul(a, b)", "matmul(a, bb)"));
        DfkResource library = (DfkResource) files.resource("lib.dfk");
        ILinkingService linking = library.getLinkingService();
        int[] lookups = {0};
        library.setLinkingService((context, reference, node) -> {
            lookups[0]++;
            return linking.getLinkedObjects(context, reference, node);
        });

        library.resolveLazyCrossReferences(CancelIndicator.NullImpl);
        int once = lookups[0];
        String errors = library.getErrors().toString();
        library.resolveLazyCrossReferences(CancelIndicator.NullImpl);
        library.resolveLazyCrossReferences(CancelIndicator.NullImpl);

        assertTrue(once > 0, "the first resolution looks the names up");
        assertEquals(once, lookups[0], "the same state is not looked up again");
        assertEquals(1, library.getErrors().size(), "'bb' is reported once: " + errors);
        assertEquals(errors, library.getErrors().toString());

        library.reparse(LIBRARY);
        library.resolveLazyCrossReferences(CancelIndicator.NullImpl);

        assertTrue(lookups[0] > once, "a new text has new links to resolve");
        assertTrue(library.getErrors().isEmpty(), library.getErrors().toString());
        for (Reference r : EcoreUtil2.getAllContentsOfType(library.getContents().get(0), Reference.class)) {
            assertFalse(((EObject) r.eGet(io.rdustudio.dfk.dfk.DfkPackage.Literals.REFERENCE__REF, false)).eIsProxy(),
                    "every link of the new text is resolved");
        }
    }

    @Test
    void inAResourceSetWhoseModelsChangeOnlyByNewTextTheCacheListensToTheResourceAlone() throws Exception {
        org.eclipse.xtext.resource.XtextResourceSet set = DfkTester.instance(org.eclipse.xtext.resource.XtextResourceSet.class);
        DfkResourceScopeCache.modelsChangeOnlyByNewText(set);
        DfkResource library = (DfkResource) set.createResource(org.eclipse.emf.common.util.URI.createURI("inmemory:/ws/lib.dfk"));
        library.load(new java.io.ByteArrayInputStream(LIBRARY.getBytes(java.nio.charset.StandardCharsets.UTF_8)), java.util.Map.of());
        DfkPrograms programs = DfkTester.instance(DfkPrograms.class);
        assertTrue(programs.of(library).program().kernels().containsKey("proj"));
        Model model = (Model) library.getContents().get(0);
        assertFalse(listened(model), "no object of the model carries the cache's listener");

        library.update(LIBRARY.indexOf("proj"), "proj".length(), "renamed"); // Xtext's partial reparse
        assertTrue(programs.of(library).program().kernels().containsKey("renamed"),
                "after a partial reparse: " + programs.of(library).program().kernels().keySet());

        library.reparse(LIBRARY.replace("proj", "again"));
        assertTrue(programs.of(library).program().kernels().containsKey("again"));
        library.unload();
        assertTrue(programs.of(library).program() == null, "an unloaded file has no program");
    }

    @Test
    void elsewhereAChangeThroughTheEmfApiEmptiesTheCacheAsInXtext() {
        DfkTester files = new DfkTester().file("lib.dfk", LIBRARY);
        Resource library = files.resource("lib.dfk");
        DfkPrograms programs = DfkTester.instance(DfkPrograms.class);
        assertTrue(programs.of(library).program().kernels().containsKey("proj"));
        Kernel kernel = EcoreUtil2.getAllContentsOfType(library.getContents().get(0), Kernel.class).get(0);
        assertTrue(listened(kernel), "Xtext's rename changes a model in place and needs the cache to see it");

        kernel.setName("renamed");

        assertTrue(programs.of(library).program().kernels().containsKey("renamed"));
    }

    private static boolean listened(EObject object) {
        return object.eAdapters().stream().anyMatch(org.eclipse.xtext.util.OnChangeEvictingCache.CacheAdapter.class::isInstance);
    }
}
