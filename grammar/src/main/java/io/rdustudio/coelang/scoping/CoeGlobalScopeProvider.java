package io.rdustudio.coelang.scoping;

import java.util.LinkedHashSet;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.scoping.impl.ImportUriGlobalScopeProvider;
import org.eclipse.xtext.util.IResourceScopeCache;

import com.google.inject.Inject;

import io.rdustudio.coelang.coe.Descriptor;
import io.rdustudio.coelang.coe.Phase;
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
            }
            return uris;
        });
    }

    /** The program file a phase refers to, as its model writes it; null when not written. */
    public static String programOf(Phase phase) {
        return phase.eContainer() instanceof ProgramModel model ? model.getProgram() : null;
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
