package io.rdustudio.dfk.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.Reference;
import io.rdustudio.dfk.tests.DfkTester;

/** The usage checks' walk of a kernel or fn sees every reference EMF's generic walk sees. */
class UsageChecksTest {

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("..", "examples"))) {
            return files.filter(p -> p.toString().endsWith(".dfk")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void readsAreThoseOfEveryReferenceInTheCallable(Path example) {
        Model model = new DfkTester().disk(example).model(example);
        List<Callable> callables = EcoreUtil2.typeSelect(model.getElements(), Callable.class);
        assertFalse(callables.isEmpty(), example + " declares kernels");
        for (Callable callable : callables) {
            Set<EObject> generic = new HashSet<>();
            EcoreUtil2.getAllContentsOfType(callable, Reference.class).forEach(r -> generic.add(r.getRef()));
            assertEquals(generic, UsageChecks.reads(callable), Signatures.name(callable) + " in " + example);
        }
    }

    @org.junit.jupiter.api.Test
    void readsInTypesHintsIndicesListsAndNestedCallsCount() {
        Model model = DfkTester.of("""
                let N = 4
                fn f<S>(a: bf16[S, N], b: bf16[S, N], c: bf16[S, N]) -> (d: bf16[S, N]) {
                  d = -(a + transpose(b, perm=[0, N - 3])[0] * 2) + slice(c, axis=0, start=0, end=N)
                }
                """).model();
        Callable f = (Callable) model.getElements().get(1);
        Set<String> names = new HashSet<>();
        UsageChecks.reads(f).forEach(o -> names.add(EcoreUtil2.getContainerOfType(o, Model.class) == null ? "?"
                : o.eGet(o.eClass().getEStructuralFeature("name")).toString()));
        assertEquals(Set.of("N", "S", "a", "b", "c"), names);
    }
}
