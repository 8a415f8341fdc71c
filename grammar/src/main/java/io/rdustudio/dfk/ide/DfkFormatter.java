package io.rdustudio.dfk.ide;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.Keyword;
import org.eclipse.xtext.RuleCall;
import org.eclipse.xtext.TerminalRule;
import org.eclipse.xtext.formatting2.FormatterPreferenceKeys;
import org.eclipse.xtext.formatting2.FormatterRequest;
import org.eclipse.xtext.formatting2.IFormatter2;
import org.eclipse.xtext.formatting2.regionaccess.ITextRegionAccess;
import org.eclipse.xtext.formatting2.regionaccess.ITextReplacement;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.ITextRegion;

import io.rdustudio.dfk.dfk.DType;
import io.rdustudio.dfk.dfk.Import;
import io.rdustudio.dfk.dfk.Statement;
import io.rdustudio.dfk.dfk.Step;
import io.rdustudio.dfk.dfk.TopElement;

/**
 * The DFK formatter. It changes whitespace only, and keeps the lines as written:
 * <ul>
 * <li>a line that starts a declaration, statement or step is indented by its block depth; a
 *     continuation line (inside parentheses, or the rest of a signature) keeps its indentation
 *     relative to the line it continues, at least one level deeper, so that aligned parameter lists
 *     stay aligned;</li>
 * <li>one space around {@code =} (none in a named argument, {@code axis=-1}), around binary
 *     operators and {@code ->}, after commas and colons, none inside brackets, before {@code (} of a
 *     call or {@code [} of a shape or index, around {@code ..} or after {@code @} and unary minus;</li>
 * <li>no trailing whitespace, at most one blank line in a row and none after {@code {} or before
 *     {@code }}, one newline at the end of the file;</li>
 * <li>comments are kept; the spaces before a comment at the end of a line are kept too (comments
 *     aligned in a column stay aligned).</li>
 * </ul>
 * Formatting is idempotent. A document with syntax errors is not formatted: the request fails with
 * a message naming the first error, so that nothing half-understood is rewritten.
 */
public class DfkFormatter implements IFormatter2 {

    private static final Set<String> BINARY = Set.of("+", "-", "*", "/", "%");

    /** A replacement of {@code length} characters at {@code offset} by {@code text}. */
    public record Edit(int offset, int length, String text) {
    }

    /** A token the layout sees: code or a comment, with its extent without trailing whitespace. */
    private record Token(ILeafNode leaf, int start, int end, String text, Kind kind) {
    }

    private enum Kind {
        CODE, LINE_COMMENT, BLOCK_COMMENT
    }

    @Override
    public List<ITextReplacement> format(FormatterRequest request) {
        ITextRegionAccess access = request.getTextRegionAccess();
        String indent = request.getPreferences() == null ? "    "
                : request.getPreferences().getPreference(FormatterPreferenceKeys.indentation);
        List<ITextReplacement> replacements = new ArrayList<>();
        for (Edit edit : edits(access.getResource(), indent)) {
            if (inside(edit, request.getRegions())) {
                replacements.add(access.getRewriter().createReplacement(edit.offset(), edit.length(), edit.text()));
            }
        }
        return replacements;
    }

    private static boolean inside(Edit edit, Collection<ITextRegion> regions) {
        if (regions == null || regions.isEmpty()) {
            return true;
        }
        for (ITextRegion r : regions) {
            if (edit.offset() <= r.getOffset() + r.getLength() && r.getOffset() <= edit.offset() + edit.length()) {
                return true;
            }
        }
        return false;
    }

    /** The whitespace changes that format {@code resource}; none when it is formatted already. */
    public static List<Edit> edits(XtextResource resource, String indent) {
        if (resource.getParseResult() == null) {
            return List.of();
        }
        var errors = resource.getParseResult().getSyntaxErrors().iterator();
        if (errors.hasNext()) {
            INode error = errors.next();
            int line = NodeModelUtils.getLineAndColumn(error, error.getOffset()).getLine();
            throw new ResponseErrorException(new ResponseError(ResponseErrorCode.RequestFailed,
                    "not formatted: line " + line + " has a syntax error (" + error.getSyntaxErrorMessage().getMessage()
                            + "); fix it first", null));
        }
        String text = resource.getParseResult().getRootNode().getText();
        return new Layout(text, indent).edits(tokens(resource, text));
    }

    private static List<Token> tokens(XtextResource resource, String text) {
        List<Token> tokens = new ArrayList<>();
        for (ILeafNode leaf : resource.getParseResult().getRootNode().getLeafNodes()) {
            String rule = leaf.getGrammarElement() instanceof TerminalRule terminal ? terminal.getName() : "";
            if (leaf.isHidden() && rule.equals("WS") || leaf.getLength() == 0) {
                continue;
            }
            Kind kind = rule.equals("SL_COMMENT") ? Kind.LINE_COMMENT
                    : rule.equals("ML_COMMENT") ? Kind.BLOCK_COMMENT : Kind.CODE;
            String written = leaf.getText();
            int end = leaf.getOffset() + (kind == Kind.LINE_COMMENT ? written.stripTrailing().length() : written.length());
            tokens.add(new Token(leaf, leaf.getOffset(), end, text.substring(leaf.getOffset(), end), kind));
        }
        return tokens;
    }

    /** The walk over the tokens, with the block and bracket depths and the line being continued. */
    private static final class Layout {
        private final String text;
        private final String indent;
        private final String newline;
        private final List<Edit> edits = new ArrayList<>();
        private int braces;
        private int brackets;
        private int anchorWritten;
        private int anchorFormatted;

        Layout(String text, String indent) {
            this.text = text;
            this.indent = indent;
            this.newline = text.contains("\r\n") ? "\r\n" : "\n";
        }

        List<Edit> edits(List<Token> tokens) {
            if (tokens.isEmpty()) {
                replace(0, text.length(), "");
                return edits;
            }
            Token previous = null;
            for (Token token : tokens) {
                int gapStart = previous == null ? 0 : previous.end();
                String gap = text.substring(gapStart, token.start());
                String layout = previous == null ? firstLine(gap) : between(previous, token, gap);
                replace(gapStart, token.start() - gapStart, layout);
                if (token.kind() == Kind.BLOCK_COMMENT) {
                    String stripped = token.text().lines().map(String::stripTrailing)
                            .reduce((a, b) -> a + newline + b).orElse("");
                    replace(token.start(), token.end() - token.start(), stripped);
                }
                track(token);
                previous = token;
            }
            replace(previous.end(), text.length() - previous.end(), newline);
            return edits;
        }

        private String firstLine(String gap) {
            anchorWritten = column(gap);
            anchorFormatted = 0;
            return "";
        }

        private void track(Token token) {
            if (token.kind() != Kind.CODE) {
                return;
            }
            switch (token.text()) {
                case "{" -> braces++;
                case "}" -> braces = Math.max(0, braces - 1);
                case "(", "[", "<" -> brackets++;
                case ")", "]", ">" -> brackets = Math.max(0, brackets - 1);
                default -> {
                }
            }
        }

        private String between(Token previous, Token token, String gap) {
            long lines = gap.chars().filter(c -> c == '\n').count();
            if (lines == 0) {
                return space(previous, token, gap);
            }
            boolean tight = previous.text().equals("{") || token.text().equals("}");
            String breaks = newline.repeat(lines > 1 && !tight ? 2 : 1);
            int written = column(gap.substring(gap.lastIndexOf('\n') + 1));
            int depth = token.text().equals("}") && token.kind() == Kind.CODE ? braces - 1 : braces;
            int block = Math.max(0, depth) * indent.length();
            int column;
            if (startsLine(token)) {
                column = block;
                anchorWritten = written;
                anchorFormatted = block;
            } else if (token.text().equals(")") || token.text().equals("]")) {
                column = Math.max(anchorFormatted, anchorFormatted + written - anchorWritten);
            } else {
                column = anchorFormatted + written - anchorWritten;
                if (column < anchorFormatted + indent.length()) {
                    column = anchorFormatted + 2 * indent.length();
                }
            }
            return breaks + " ".repeat(column);
        }

        /** Whether {@code token} begins a declaration, statement, step or block end: a line of its own. */
        private boolean startsLine(Token token) {
            if (token.kind() != Kind.CODE) {
                return brackets == 0;
            }
            if (token.text().equals("}")) {
                return true;
            }
            for (EObject e = NodeModelUtils.findActualSemanticObjectFor(token.leaf()); e != null; e = e.eContainer()) {
                if (e instanceof TopElement || e instanceof Import || e instanceof Statement || e instanceof Step) {
                    INode node = NodeModelUtils.findActualNodeFor(e);
                    if (node != null && node.getOffset() == token.start()) {
                        return true;
                    }
                }
            }
            return token.leaf().getGrammarElement() instanceof Keyword k && k.getValue().equals("program");
        }

        /** The spaces between two tokens on one line. */
        private String space(Token previous, Token token, String gap) {
            if (token.kind() != Kind.CODE) {
                return gap.isEmpty() ? " " : gap.replace('\t', ' ');
            }
            if (previous.kind() == Kind.BLOCK_COMMENT) {
                return gap;
            }
            String p = previous.text();
            String n = token.text();
            if (unaryMinus(previous) || p.equals("(") || p.equals("[") || p.equals("<") || p.equals("@")
                    || p.equals("..") || n.equals("..") || p.equals(".") || n.equals(".")) {
                return "";
            }
            if (n.equals(",") || n.equals(")") || n.equals("]") || n.equals(">") || n.equals(":")) {
                return "";
            }
            if (p.equals("{") && n.equals("}")) {
                return "";
            }
            if (namedArgument(previous) || namedArgument(token)) {
                return "";
            }
            boolean name = identifier(previous);
            if (n.equals("(") && (name || p.equals(">")) || n.equals("<") && name) {
                return "";
            }
            if (n.equals("[") && (name || DType.get(p) != null || p.equals("]"))) {
                return "";
            }
            return " ";
        }

        private static boolean identifier(Token token) {
            return token.leaf().getGrammarElement() instanceof RuleCall call && call.getRule().getName().equals("ID")
                    || token.leaf().getGrammarElement() instanceof org.eclipse.xtext.CrossReference;
        }

        private static boolean unaryMinus(Token token) {
            return keywordOf(token, "-", "Unary");
        }

        private static boolean namedArgument(Token token) {
            return keywordOf(token, "=", "Argument");
        }

        /** Whether the token is keyword {@code value} of grammar rule {@code rule}. */
        private static boolean keywordOf(Token token, String value, String rule) {
            return token.leaf().getGrammarElement() instanceof Keyword k && k.getValue().equals(value)
                    && GrammarUtil.containingRule(k).getName().equals(rule);
        }

        /** The width of the indentation at the end of {@code gap}, tabs counted as one level. */
        private int column(String gap) {
            int column = 0;
            for (int i = gap.lastIndexOf('\n') + 1; i < gap.length(); i++) {
                column += gap.charAt(i) == '\t' ? indent.length() : gap.charAt(i) == ' ' ? 1 : 0;
            }
            return column;
        }

        private void replace(int offset, int length, String replacement) {
            if (!text.substring(offset, offset + length).equals(replacement)) {
                edits.add(new Edit(offset, length, replacement));
            }
        }
    }
}
