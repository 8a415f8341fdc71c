package io.rdustudio.dfk.ide;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.AbstractRule;
import org.eclipse.xtext.Assignment;
import org.eclipse.xtext.CrossReference;
import org.eclipse.xtext.EnumLiteralDeclaration;
import org.eclipse.xtext.EnumRule;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.Keyword;
import org.eclipse.xtext.RuleCall;
import org.eclipse.xtext.TerminalRule;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;

import io.rdustudio.core.ir.OpKind;
import io.rdustudio.dfk.dfk.Argument;
import io.rdustudio.dfk.dfk.Call;
import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.Constant;
import io.rdustudio.dfk.dfk.DType;
import io.rdustudio.dfk.dfk.DfkPackage;
import io.rdustudio.dfk.dfk.Function;
import io.rdustudio.dfk.dfk.Hint;
import io.rdustudio.dfk.dfk.Kernel;
import io.rdustudio.dfk.dfk.LoopVar;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.Orchestration;
import io.rdustudio.dfk.dfk.Param;
import io.rdustudio.dfk.dfk.Role;
import io.rdustudio.dfk.dfk.Schedule;
import io.rdustudio.dfk.dfk.ShapeParam;
import io.rdustudio.dfk.dfk.TensorDecl;
import io.rdustudio.dfk.dfk.Tier;
import io.rdustudio.dfk.dfk.ValueDef;
import io.rdustudio.dfk.dfk.ValueSetting;
import io.rdustudio.dfk.lowering.Signatures;
import io.rdustudio.ide.SemanticTokenLegend.Modifier;
import io.rdustudio.ide.SemanticTokenLegend.Type;
import io.rdustudio.ide.SemanticTokensProvider;

/**
 * Semantic tokens of a DFK document, from its node model: what every name is (a tensor with its
 * role, a constant, a kernel, a fn, a built-in operator, a parameter, a shape parameter, a loop
 * variable, a value), where it is declared and where it is written, plus keywords, element types,
 * tiers, attribute names, numbers, strings, comments and arithmetic operators.
 */
public class DfkSemanticTokens implements SemanticTokensProvider {

    private static final Set<String> OPERATORS = Set.of("+", "-", "*", "/", "%", "->", "..", "=", "@");

    /** A classified span of the text. */
    record Token(int offset, int length, Type type, int modifiers) {
    }

    @Override
    public List<Integer> tokens(Document document, XtextResource resource, CancelIndicator cancelIndicator) {
        if (resource.getParseResult() == null) {
            return List.of();
        }
        List<Token> tokens = new ArrayList<>();
        String text = document.getContents();
        for (ILeafNode leaf : resource.getParseResult().getRootNode().getLeafNodes()) {
            if (cancelIndicator.isCanceled()) {
                return List.of();
            }
            classify(leaf, tokens);
        }
        return encode(text, tokens);
    }

    /** The tokens of a leaf, in text order (a block comment over several lines is one token per line). */
    static void classify(ILeafNode leaf, List<Token> out) {
        EObject element = leaf.getGrammarElement();
        if (leaf.isHidden()) {
            String rule = element instanceof TerminalRule terminal ? terminal.getName() : "";
            if (rule.equals("SL_COMMENT") || rule.equals("ML_COMMENT")) {
                perLine(leaf.getOffset(), leaf.getText(), Type.COMMENT, out);
            }
            return;
        }
        if (element instanceof Keyword k && k.getValue().equals(".")) {
            out.add(token(leaf, Type.NUMBER, 0)); // the point of a decimal, the only place '.' appears
            return;
        }
        if (element instanceof Keyword || element instanceof EnumLiteralDeclaration) {
            keyword(leaf, leaf.getText(), out);
            return;
        }
        if (element instanceof CrossReference reference) {
            reference(leaf, reference, out);
            return;
        }
        if (element instanceof RuleCall call) {
            AbstractRule rule = call.getRule();
            switch (rule.getName()) {
                case "NUMBER", "EXPONENT" -> out.add(token(leaf, Type.NUMBER, 0));
                case "STRING" -> out.add(token(leaf, Type.STRING, 0));
                case "ID" -> name(leaf, GrammarUtil.containingAssignment(call), out);
                default -> {
                    if (rule instanceof EnumRule) {
                        keyword(leaf, leaf.getText(), out);
                    }
                }
            }
        }
    }

    private static void keyword(ILeafNode leaf, String word, List<Token> out) {
        if (DType.get(word) != null) {
            out.add(token(leaf, Type.TYPE, 0));
        } else if (Tier.get(word) != null || Orchestration.get(word) != null) {
            out.add(token(leaf, Type.ENUM_MEMBER, 0));
        } else if (Character.isLetter(word.charAt(0))) {
            out.add(token(leaf, Type.KEYWORD, 0));
        } else if (OPERATORS.contains(word)) {
            out.add(token(leaf, Type.OPERATOR, 0));
        }
    }

    /** A name where it is declared, or the name of an attribute, hint or setting. */
    private static void name(ILeafNode leaf, Assignment assignment, List<Token> out) {
        EObject owner = NodeModelUtils.findActualSemanticObjectFor(leaf);
        if (assignment == null || !"name".equals(assignment.getFeature()) || owner == null) {
            return;
        }
        if (owner instanceof Argument || owner instanceof Hint || owner instanceof ValueSetting) {
            out.add(token(leaf, Type.PROPERTY, 0));
            return;
        }
        Token declared = declared(leaf, owner);
        if (declared != null) {
            out.add(new Token(declared.offset(), declared.length(), declared.type(),
                    declared.modifiers() | Modifier.DECLARATION.bit()));
        }
    }

    /** A reference: what it refers to, a write when it is a step's target, or a built-in operator. */
    private static void reference(ILeafNode leaf, CrossReference grammar, List<Token> out) {
        EObject holder = NodeModelUtils.findActualSemanticObjectFor(leaf);
        EReference reference = GrammarUtil.getReference(grammar);
        if (holder == null || reference == null) {
            return;
        }
        Object target = holder.eGet(reference, true);
        if (target instanceof EObject resolved && !resolved.eIsProxy()) {
            Token token = declared(leaf, resolved);
            if (token != null) {
                int write = reference == DfkPackage.Literals.TARGET__TENSOR ? Modifier.MODIFICATION.bit() : 0;
                out.add(new Token(token.offset(), token.length(), token.type(), token.modifiers() | write));
            }
        } else if (holder instanceof Call && OpKind.fromKeyword(leaf.getText()).isPresent()) {
            out.add(token(leaf, Type.FUNCTION, Modifier.DEFAULT_LIBRARY.bit()));
        }
    }

    /** The token for {@code leaf} naming {@code declaration}, or null for a declaration without one. */
    private static Token declared(ILeafNode leaf, EObject declaration) {
        if (declaration instanceof TensorDecl t) {
            int modifiers = role(t.getRole());
            if (t.getRole() == Role.INPUT || t.getRole() == Role.WEIGHT) {
                modifiers |= Modifier.READONLY.bit();
            }
            return token(leaf, Type.VARIABLE, modifiers);
        }
        if (declaration instanceof Constant) {
            return token(leaf, Type.VARIABLE, Modifier.READONLY.bit() | Modifier.STATIC.bit());
        }
        if (declaration instanceof Kernel) {
            return token(leaf, Type.CLASS, 0);
        }
        if (declaration instanceof Function) {
            return token(leaf, Type.FUNCTION, 0);
        }
        if (declaration instanceof Param p) {
            return token(leaf, Type.PARAMETER, paramModifiers(p));
        }
        if (declaration instanceof ShapeParam) {
            return token(leaf, Type.TYPE_PARAMETER, Modifier.READONLY.bit());
        }
        if (declaration instanceof LoopVar) {
            return token(leaf, Type.VARIABLE, Modifier.LOOP.bit() | Modifier.READONLY.bit());
        }
        if (declaration instanceof ValueDef v) {
            List<EObject> group = DfkNames.sameName(v);
            int writes = group.size() > 1 && group.get(1) instanceof Param p
                    ? Modifier.MODIFICATION.bit() | paramModifiers(p) : 0;
            return token(leaf, Type.VARIABLE, writes);
        }
        if (declaration instanceof Schedule || declaration instanceof Model) {
            return token(leaf, Type.NAMESPACE, 0);
        }
        return null;
    }

    private static int paramModifiers(Param p) {
        Callable owner = org.eclipse.xtext.EcoreUtil2.getContainerOfType(p, Callable.class);
        if (owner != null && Signatures.outputs(owner).contains(p)) {
            return Modifier.OUTPUT.bit();
        }
        return p.isState() ? Modifier.STATE.bit() : Modifier.READONLY.bit();
    }

    private static int role(Role role) {
        return switch (role) {
            case INPUT -> Modifier.INPUT.bit();
            case WEIGHT -> Modifier.WEIGHT.bit();
            case STATE -> Modifier.STATE.bit();
            case OUTPUT -> Modifier.OUTPUT.bit();
            case LOCAL -> Modifier.LOCAL.bit();
        };
    }

    private static Token token(ILeafNode leaf, Type type, int modifiers) {
        return new Token(leaf.getOffset(), leaf.getLength(), type, modifiers);
    }

    /** One token per line of {@code text} (no token may span lines), without line ends. */
    private static void perLine(int offset, String text, Type type, List<Token> out) {
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline;
            int visible = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            if (visible > start) {
                out.add(new Token(offset + start, visible - start, type, 0));
            }
            start = end + 1;
        }
    }

    /** The LSP encoding: per token, line and start relative to the previous token, length, type, modifiers. */
    static List<Integer> encode(String text, List<Token> tokens) {
        int[] lineStarts = lineStarts(text);
        List<Integer> data = new ArrayList<>(tokens.size() * 5);
        int lastLine = 0;
        int lastStart = 0;
        for (Token t : tokens) {
            int line = lineOf(lineStarts, t.offset());
            int start = t.offset() - lineStarts[line];
            data.add(line - lastLine);
            data.add(line == lastLine ? start - lastStart : start);
            data.add(t.length());
            data.add(t.type().ordinal());
            data.add(t.modifiers());
            lastLine = line;
            lastStart = start;
        }
        return data;
    }

    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int lineOf(int[] lineStarts, int offset) {
        int low = 0;
        int high = lineStarts.length - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }
}
