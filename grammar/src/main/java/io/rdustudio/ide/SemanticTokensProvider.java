package io.rdustudio.ide;

import java.util.List;

import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;

import com.google.inject.ImplementedBy;

/**
 * A language's semantic tokens for {@code textDocument/semanticTokens/full}, encoded as the LSP
 * wants them (five integers per token, positions relative to the previous token) against
 * {@link SemanticTokenLegend}. Each language binds its own in its IDE module; the language server
 * asks the one of the document's language, and a language that binds none has no tokens.
 */
@ImplementedBy(SemanticTokensProvider.None.class)
public interface SemanticTokensProvider {

    List<Integer> tokens(Document document, XtextResource resource, CancelIndicator cancelIndicator);

    /** No semantic tokens. */
    final class None implements SemanticTokensProvider {
        @Override
        public List<Integer> tokens(Document document, XtextResource resource, CancelIndicator cancelIndicator) {
            return List.of();
        }
    }
}
