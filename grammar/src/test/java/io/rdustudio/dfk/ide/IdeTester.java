package io.rdustudio.dfk.ide;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.resource.IResourceFactory;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;

import com.google.inject.Injector;

/**
 * Inline DFK files loaded with the language server's injector (runtime plus IDE services) into one
 * resource set, so that the IDE services can be asked directly, without a server. A file's text may
 * mark one cursor with {@code <|>}.
 */
public final class IdeTester {

    static final Injector INJECTOR = new DfkIdeSetup().createInjectorAndDoEMFRegistration();

    private static final String CURSOR = "<|>";

    private final XtextResourceSet resourceSet = INJECTOR.getInstance(XtextResourceSet.class);
    private int cursor = -1;

    private IdeTester() {
        // this set's resources get the IDE services whatever another test registered globally
        resourceSet.getResourceFactoryRegistry().getExtensionToFactoryMap().put("dfk",
                INJECTOR.getInstance(IResourceFactory.class));
    }

    /** A tester holding {@code main.dfk}. */
    public static IdeTester of(String text) {
        return new IdeTester().file("main.dfk", text);
    }

    public static IdeTester empty() {
        return new IdeTester();
    }

    /** Adds a file; a {@code <|>} in it marks the cursor. */
    public IdeTester file(String path, String marked) {
        int at = marked.indexOf(CURSOR);
        if (at >= 0) {
            cursor = at;
        }
        String text = marked.replace(CURSOR, "");
        Resource r = resourceSet.createResource(uri(path));
        try {
            r.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Map.of());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public static URI uri(String path) {
        return URI.createURI("inmemory:/ws/" + path);
    }

    public XtextResource resource(String path) {
        return (XtextResource) resourceSet.getResource(uri(path), true);
    }

    public XtextResource resource() {
        return resource("main.dfk");
    }

    public Document document() {
        return new Document(1, resource().getParseResult().getRootNode().getText());
    }

    public String text() {
        return document().getContents();
    }

    /** The position of the {@code <|>} mark. */
    public Position cursor() {
        if (cursor < 0) {
            throw new IllegalStateException("the snippet marks no cursor with <|>");
        }
        return document().getPosition(cursor);
    }

    /** {@code document}'s text with {@code edits} applied (LSP edits do not overlap; applied last first). */
    public static String apply(Document document, List<TextEdit> edits) {
        List<TextEdit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparing((TextEdit e) -> document.getOffSet(e.getRange().getStart())).reversed());
        StringBuilder text = new StringBuilder(document.getContents());
        for (TextEdit e : sorted) {
            text.replace(document.getOffSet(e.getRange().getStart()), document.getOffSet(e.getRange().getEnd()),
                    e.getNewText());
        }
        return text.toString();
    }

    public static <T> T service(Class<T> type) {
        return INJECTOR.getInstance(type);
    }
}
