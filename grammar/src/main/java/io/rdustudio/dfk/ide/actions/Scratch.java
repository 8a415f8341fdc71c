package io.rdustudio.dfk.ide.actions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;

import com.google.inject.Inject;
import com.google.inject.Provider;

import io.rdustudio.dfk.dfk.Import;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.lowering.DfkLowering;
import io.rdustudio.dfk.lowering.LoweringResult;
import io.rdustudio.dfk.scoping.DfkImportUriGlobalScopeProvider;

/**
 * Lowers a variant of a document without touching the editor's state: the document's text (or a
 * replacement for it) and the current texts of the files it imports, copied into a resource set of
 * their own. A refactoring asks it what the program would be after its edit.
 */
final class Scratch {

    @Inject
    private Provider<XtextResourceSet> resourceSets;

    /** The lowering of {@code file} with its text replaced by {@code text}. */
    LoweringResult lower(XtextResource file, String text) {
        XtextResourceSet set = resourceSets.get();
        Set<Resource> imported = new LinkedHashSet<>();
        collectImports(file, imported);
        imported.remove(file);
        for (Resource r : imported) {
            load(set, r.getURI(), SourceEdits.text(r));
        }
        Resource variant = load(set, file.getURI(), text);
        if (variant.getContents().isEmpty() || !(variant.getContents().get(0) instanceof Model model)) {
            return new LoweringResult(null, java.util.List.of());
        }
        return DfkLowering.lower(model);
    }

    private static void collectImports(Resource resource, Set<Resource> into) {
        if (!into.add(resource) || resource.getContents().isEmpty() || !(resource.getContents().get(0) instanceof Model m)) {
            return;
        }
        for (Import i : m.getImports()) {
            URI uri = DfkImportUriGlobalScopeProvider.resolve(resource, i.getImportURI());
            Resource imported = uri == null ? null : resource.getResourceSet().getResource(uri, false);
            if (imported instanceof XtextResource) {
                collectImports(imported, into);
            }
        }
    }

    private static Resource load(XtextResourceSet set, URI uri, String text) {
        Resource r = set.createResource(uri);
        try {
            r.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Map.of());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read back " + uri + " from memory", e);
        }
        return r;
    }
}
