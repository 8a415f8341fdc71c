package io.rdustudio.dfk.ide;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.lsp4j.DocumentHighlight;
import org.eclipse.lsp4j.DocumentHighlightKind;
import org.eclipse.lsp4j.DocumentHighlightParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.occurrences.IDocumentHighlightService;
import org.eclipse.xtext.resource.EObjectAtOffsetHelper;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;

import com.google.inject.Inject;

import io.rdustudio.dfk.dfk.DfkPackage;

/**
 * Highlights every occurrence in the document of the name under the cursor: its declarations
 * (the names tied to it by {@link DfkNames} too) and the statements and steps that assign it as
 * writes, every other use as a read.
 */
public class DfkDocumentHighlightService implements IDocumentHighlightService {

    @Inject
    private EObjectAtOffsetHelper offsets;

    @Inject
    private DfkReferences references;

    @Override
    public List<? extends DocumentHighlight> getDocumentHighlights(Document document, XtextResource resource,
            DocumentHighlightParams params, CancelIndicator cancelIndicator) {
        int offset = document.getOffSet(params.getPosition());
        EObject element = offsets.resolveElementAt(resource, offset);
        if (element == null || element.eResource() == null) {
            return List.of();
        }
        List<EObject> group = DfkNames.sameName(element);
        List<DocumentHighlight> highlights = new ArrayList<>();
        for (Location at : references.names(group.stream().filter(d -> d.eResource() == resource).toList())) {
            highlights.add(new DocumentHighlight(at.getRange(), DocumentHighlightKind.Write));
        }
        for (DfkReferences.Use use : references.usesIn(group, resource, cancelIndicator)) {
            boolean write = use.reference() == DfkPackage.Literals.TARGET__TENSOR;
            highlights.add(new DocumentHighlight(use.location().getRange(),
                    write ? DocumentHighlightKind.Write : DocumentHighlightKind.Read));
        }
        highlights.sort(Comparator.comparing((DocumentHighlight h) -> h.getRange().getStart().getLine())
                .thenComparing(h -> h.getRange().getStart().getCharacter()));
        return highlights;
    }
}
