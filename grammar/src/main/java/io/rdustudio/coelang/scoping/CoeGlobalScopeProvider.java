package io.rdustudio.coelang.scoping;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.scoping.impl.ImportUriGlobalScopeProvider;
import org.eclipse.xtext.util.IResourceScopeCache;

import com.google.inject.Inject;

import io.rdustudio.coelang.coe.CoePackage;
import io.rdustudio.coelang.coe.Descriptor;
import io.rdustudio.coelang.coe.Phase;
import io.rdustudio.coelang.coe.PhaseKind;
import io.rdustudio.coelang.coe.ProgramModel;
import io.rdustudio.dfk.scoping.DfkImportUriGlobalScopeProvider;

/**
 * What a descriptor sees of other files: the .dfk programs its models name ({@code program
 * "router.dfk" { ... }}) and the files those import, transitively, with paths relative to the
 * descriptor. Other descriptors are never visible. {@link CoeScopeProvider} narrows this to the
 * one program a phase's model names.
 */
public class CoeGlobalScopeProvider extends ImportUriGlobalScopeProvider {

    @Inject
    private IResourceScopeCache cache;

    @Override
    protected LinkedHashSet<URI> getImportedUris(Resource resource) {
        return cache.get(CoeGlobalScopeProvider.class, resource, () -> {
            LinkedHashSet<URI> uris = new LinkedHashSet<>();
            if (resource.getContents().isEmpty() || !(resource.getContents().get(0) instanceof Descriptor descriptor)) {
                return uris;
            }
            for (ProgramModel program : EcoreUtil2.getAllContentsOfType(descriptor, ProgramModel.class)) {
                closure(resource, program.getProgram(), uris);
                for (Phase phase : program.getPhases()) {
                    if (phase.getProgram() != null) {
                        closure(resource, phase.getProgram(), uris);
                    }
                }
            }
            return uris;
        });
    }

    /** The program file a phase refers to, as written: its own ({@code in "..."}) or its model's; null when not written. */
    public static String programOf(Phase phase) {
        if (phase.getProgram() != null) {
            return phase.getProgram();
        }
        return phase.eContainer() instanceof ProgramModel model ? model.getProgram() : null;
    }

    /**
     * The program files, as written, whose constants a binding of {@code model} names: for the prompt
     * length the prefill's program, for the KV length the decode step's, for the batch both (the
     * model's own program for a phase not declared).
     */
    public static List<String> programsOf(ProgramModel model, EReference binding) {
        List<PhaseKind> kinds = binding == CoePackage.Literals.PROGRAM_MODEL__PROMPT_LENGTH ? List.of(PhaseKind.PREFILL)
                : binding == CoePackage.Literals.PROGRAM_MODEL__KV_LENGTH ? List.of(PhaseKind.DECODE)
                : List.of(PhaseKind.PREFILL, PhaseKind.DECODE);
        Set<String> files = new LinkedHashSet<>();
        for (PhaseKind kind : kinds) {
            files.add(model.getPhases().stream().filter(p -> p.getKind() == kind).findFirst()
                    .map(CoeGlobalScopeProvider::programOf).orElse(model.getProgram()));
        }
        files.remove(null);
        return List.copyOf(files);
    }

    /**
     * The program file {@code written} in {@code descriptor}'s resource names and every file it
     * imports, transitively; empty when the name is not a usable path.
     */
    public static LinkedHashSet<URI> programFiles(Resource descriptor, String written) {
        LinkedHashSet<URI> uris = new LinkedHashSet<>();
        closure(descriptor, written, uris);
        return uris;
    }

    private static void closure(Resource descriptor, String written, LinkedHashSet<URI> uris) {
        URI uri = DfkImportUriGlobalScopeProvider.resolve(descriptor, written);
        if (uri == null || !uris.add(uri)) {
            return;
        }
        DfkImportUriGlobalScopeProvider.collect(DfkImportUriGlobalScopeProvider.load(descriptor, uri), uris);
    }
}
