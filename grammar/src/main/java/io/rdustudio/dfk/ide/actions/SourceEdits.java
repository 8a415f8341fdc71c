package io.rdustudio.dfk.ide.actions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.xtext.ide.server.DocumentExtensions;
import org.eclipse.xtext.ide.server.UriExtensions;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;

/**
 * The text edits of one refactoring, file by file, built from offsets in the files' parse trees and
 * turned into an LSP {@link WorkspaceEdit}. Edits of one file must not overlap.
 */
final class SourceEdits {

    private final DocumentExtensions positions;
    private final UriExtensions uris;
    private final Map<Resource, List<TextEdit>> edits = new LinkedHashMap<>();
    /** The same edits as offsets, to apply them to the text here. */
    private final Map<Resource, List<int[]>> spans = new LinkedHashMap<>();
    private final Map<Resource, List<String>> texts = new LinkedHashMap<>();

    SourceEdits(DocumentExtensions positions, UriExtensions uris) {
        this.positions = positions;
        this.uris = uris;
    }

    void replace(Resource file, int offset, int length, String text) {
        Range range = positions.newRange(file, offset, offset + length);
        edits.computeIfAbsent(file, f -> new ArrayList<>()).add(new TextEdit(range, text));
        spans.computeIfAbsent(file, f -> new ArrayList<>()).add(new int[] { offset, length });
        texts.computeIfAbsent(file, f -> new ArrayList<>()).add(text);
    }

    /** The text of {@code file} with these edits applied. */
    String applied(Resource file) {
        StringBuilder out = new StringBuilder(text(file));
        List<int[]> at = spans.getOrDefault(file, List.of());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < at.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Integer.compare(at.get(b)[0], at.get(a)[0]));
        for (int i : order) {
            out.replace(at.get(i)[0], at.get(i)[0] + at.get(i)[1], texts.get(file).get(i));
        }
        return out.toString();
    }

    void insert(Resource file, int offset, String text) {
        replace(file, offset, 0, text);
    }

    /** Replaces the whole text of {@code object} (its first to last token). */
    void replace(EObject object, String text) {
        INode node = NodeModelUtils.findActualNodeFor(object);
        replace(object.eResource(), node.getOffset(), node.getLength(), text);
    }

    /** Deletes the lines {@code object} stands on, with the comment that ends its last line. */
    void deleteLines(EObject object) {
        INode node = NodeModelUtils.findActualNodeFor(object);
        String text = text(object.eResource());
        int start = lineStart(text, node.getOffset());
        int end = text.indexOf('\n', node.getEndOffset());
        replace(object.eResource(), start, (end < 0 ? text.length() : end + 1) - start, "");
    }

    /**
     * Replaces a top-level declaration, with the comment lines right above it, by {@code text} (whole
     * lines, ending with a newline).
     */
    void replaceDeclaration(EObject declaration, String text) {
        int[] lines = declarationLines(declaration);
        replace(declaration.eResource(), lines[0], lines[1] - lines[0], text);
    }

    /** Deletes a top-level declaration with the comment lines right above it, and a blank line after it. */
    void deleteDeclaration(EObject declaration) {
        int[] lines = declarationLines(declaration);
        String text = text(declaration.eResource());
        int end = lines[1];
        boolean blankBefore = lines[0] == 0 || text.substring(lineStart(text, lines[0] - 1), lines[0]).isBlank();
        int next = text.indexOf('\n', end);
        if (blankBefore && next >= 0 && text.substring(end, next).isBlank()) {
            end = next + 1;
        }
        replace(declaration.eResource(), lines[0], end - lines[0], "");
    }

    /** The start of the first comment line above {@code declaration} and the end of its last line. */
    private static int[] declarationLines(EObject declaration) {
        INode node = NodeModelUtils.findActualNodeFor(declaration);
        String text = text(declaration.eResource());
        int start = lineStart(text, node.getOffset());
        while (start > 0) {
            int previous = lineStart(text, start - 1);
            String line = text.substring(previous, start).strip();
            if (!line.startsWith("//") && !line.startsWith("#")) {
                break;
            }
            start = previous;
        }
        int end = text.indexOf('\n', node.getEndOffset());
        return new int[] { start, end < 0 ? text.length() : end + 1 };
    }

    /** Inserts {@code lines} (each ending with a newline) before the line {@code object} starts on. */
    void insertLinesBefore(EObject object, String lines) {
        INode node = NodeModelUtils.findActualNodeFor(object);
        insert(object.eResource(), lineStart(text(object.eResource()), node.getOffset()), lines);
    }

    /** Inserts {@code lines} after the line {@code object} ends on. */
    void insertLinesAfter(EObject object, String lines) {
        INode node = NodeModelUtils.findActualNodeFor(object);
        String text = text(object.eResource());
        int end = text.indexOf('\n', node.getEndOffset());
        insert(object.eResource(), end < 0 ? text.length() : end + 1, end < 0 ? "\n" + lines : lines);
    }

    WorkspaceEdit build() {
        Map<String, List<TextEdit>> changes = new LinkedHashMap<>();
        edits.forEach((file, list) -> changes.put(uris.toUriString(file.getURI()), list));
        return new WorkspaceEdit(changes);
    }

    static String text(Resource file) {
        return ((XtextResource) file).getParseResult().getRootNode().getText();
    }

    /** The indentation of the line {@code object} starts on. */
    static String indentation(EObject object) {
        INode node = NodeModelUtils.findActualNodeFor(object);
        String text = text(object.eResource());
        String before = text.substring(lineStart(text, node.getOffset()), node.getOffset());
        return before.substring(0, before.length() - before.stripLeading().length());
    }

    static int lineStart(String text, int offset) {
        return text.lastIndexOf('\n', offset - 1) + 1;
    }
}
