package io.rdustudio.dfk.ide;

import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.contentassist.ContentAssistService;

import io.rdustudio.core.ir.OpSignature;
import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.Constant;
import io.rdustudio.dfk.dfk.ShapeParam;

/**
 * Xtext's completion service with DFK's items shown as editors expect: documentation in Markdown
 * (operator signatures, declaration comments) and the LSP kind that fits what an item names
 * (operators and kernels as functions, constants as constants, shape parameters as type parameters).
 */
public class DfkContentAssistService extends ContentAssistService {

    @Override
    protected CompletionItem toCompletionItem(ContentAssistEntry entry, int caretOffset, Position caretPosition,
            Document document) {
        CompletionItem item = super.toCompletionItem(entry, caretOffset, caretPosition, document);
        if (entry.getDocumentation() != null) {
            item.setDocumentation(new MarkupContent(MarkupKind.MARKDOWN, entry.getDocumentation()));
        }
        Object source = entry.getSource();
        if (source instanceof OpSignature || source instanceof Callable) {
            item.setKind(CompletionItemKind.Function);
        } else if (source instanceof Constant) {
            item.setKind(CompletionItemKind.Constant);
        } else if (source instanceof ShapeParam) {
            item.setKind(CompletionItemKind.TypeParameter);
        }
        return item;
    }
}
