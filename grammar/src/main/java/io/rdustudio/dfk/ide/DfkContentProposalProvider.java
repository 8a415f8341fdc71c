package io.rdustudio.dfk.ide;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.eclipse.xtext.Assignment;
import org.eclipse.xtext.CrossReference;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.Keyword;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistContext;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.eclipse.xtext.ide.editor.contentassist.IIdeContentProposalAcceptor;
import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.IEObjectDescription;

import io.rdustudio.core.ir.OpCategory;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.OpSignature;
import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.Constant;
import io.rdustudio.dfk.dfk.DType;
import io.rdustudio.dfk.dfk.DfkPackage;
import io.rdustudio.dfk.dfk.Function;
import io.rdustudio.dfk.dfk.Kernel;
import io.rdustudio.dfk.dfk.LoopVar;
import io.rdustudio.dfk.dfk.Param;
import io.rdustudio.dfk.dfk.Role;
import io.rdustudio.dfk.dfk.Schedule;
import io.rdustudio.dfk.dfk.ShapeParam;
import io.rdustudio.dfk.dfk.Statement;
import io.rdustudio.dfk.dfk.TensorDecl;
import io.rdustudio.dfk.dfk.Tier;
import io.rdustudio.dfk.dfk.TypeRef;
import io.rdustudio.dfk.dfk.ValueDef;
import io.rdustudio.dfk.lowering.Locations;
import io.rdustudio.dfk.lowering.Signatures;

/**
 * Completion for DFK, most relevant first. Inside a kernel or fn body: the values defined so far
 * (the latest first), the parameters, then the operators with their signatures and the fns, then
 * constants; at the start of a statement, the outputs and state parameters not written yet; inside an
 * operator call, the attributes it takes and has not been given. In the schedule: the kernels; at a
 * kernel call's argument, the tensors whose type fits that parameter first; inside an index, the
 * loop variables. After {@code @}, the memory tiers; after {@code :}, the element types; after
 * {@code with}, the kernel hints or schedule settings. Every item carries a one-line detail and its
 * documentation.
 */
public class DfkContentProposalProvider extends IdeContentProposalProvider {

    static final int BEST = 900;
    static final int HIGH = 800;
    static final int OPERATOR = 650;
    static final int GLOBAL = 600;
    static final int LOW = 500;
    static final int KEYWORD = 300;

    private static final Set<String> TIERS = literals(Tier.VALUES);
    private static final Set<String> DTYPES = literals(DType.VALUES);

    private static Set<String> literals(List<? extends org.eclipse.emf.common.util.Enumerator> values) {
        Set<String> words = new HashSet<>();
        values.forEach(v -> words.add(v.getLiteral()));
        return words;
    }

    @Override
    protected void _createProposals(Keyword keyword, ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
        String word = keyword.getValue();
        if (!Character.isLetter(word.charAt(0))) {
            return;
        }
        String previous = previousToken(context);
        Optional<CallAtCursor> call = CallAtCursor.find(text(context), context.getOffset());
        String attribute = call.map(c -> c.current().attribute()).orElse(null);
        int priority;
        if ("to".equals(attribute) && !call.get().insideBrackets()) {
            boolean cast = call.get().callee().equals(OpKind.CAST.keyword());
            priority = (cast ? DTYPES : TIERS).contains(word) ? BEST : -1;
        } else if ("@".equals(previous)) {
            priority = TIERS.contains(word) ? BEST : -1;
        } else if (":".equals(previous)) {
            priority = DTYPES.contains(word) ? BEST : -1;
        } else {
            priority = TIERS.contains(word) || DTYPES.contains(word) ? -1 : KEYWORD;
        }
        if (priority < 0) {
            return;
        }
        ContentAssistEntry entry = getProposalCreator().createProposal(word, context, e -> {
            e.setKind(ContentAssistEntry.KIND_KEYWORD);
            DfkVocabulary.keyword(word).ifPresent(e::setDescription);
        });
        if (entry != null) {
            acceptor.accept(entry, priority);
        }
    }

    @Override
    protected void _createProposals(Assignment assignment, ContentAssistContext context,
            IIdeContentProposalAcceptor acceptor) {
        if (assignment.getTerminal() instanceof CrossReference) {
            createProposals(assignment.getTerminal(), context, acceptor);
            return;
        }
        switch (GrammarUtil.containingRule(assignment).getName() + "." + assignment.getFeature()) {
            case "Argument.name" -> attributes(context, acceptor);
            case "ValueDef.name", "Statement.defs" -> unwritten(context, acceptor);
            case "Hint.name" -> words(DfkVocabulary.hints(), context, acceptor);
            case "ValueSetting.name" -> words(Map.of("sockets", DfkVocabulary.settings().get("sockets")), context,
                    acceptor);
            default -> {
                // a new name is being declared: there is nothing to propose
            }
        }
    }

    @Override
    protected void _createProposals(CrossReference reference, ContentAssistContext context,
            IIdeContentProposalAcceptor acceptor) {
        EObject model = context.getCurrentModel();
        if (model == null) {
            return;
        }
        Assignment assignment = GrammarUtil.containingAssignment(reference);
        switch (GrammarUtil.containingRule(reference).getName() + "." + assignment.getFeature()) {
            case "Reference.ref" -> names(model, context, acceptor);
            case "Call.callee" -> callees(model, context, acceptor);
            case "Target.tensor" -> targets(model, context, acceptor);
            default -> super._createProposals(reference, context, acceptor);
        }
    }

    /** Plain names in an expression, ranked by what the position needs. */
    private void names(EObject model, ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
        Optional<CallAtCursor> call = CallAtCursor.find(text(context), context.getOffset());
        boolean inAttribute = call.isPresent() && !call.get().current().positional();
        Callable body = EcoreUtil2.getContainerOfType(model, Callable.class);
        boolean inSchedule = EcoreUtil2.getContainerOfType(model, Schedule.class) != null;
        Param parameter = inSchedule && call.isPresent() && !call.get().insideBrackets() && !inAttribute
                ? kernelParameter(model, call.get()) : null;
        int order = 0;
        for (EObject named : visible(model, DfkPackage.Literals.REFERENCE__REF)) {
            order++;
            int priority;
            if (body != null) {
                if (named instanceof ValueDef) {
                    priority = inAttribute ? -1 : BEST + Math.max(0, 99 - order);
                } else if (named instanceof Param p) {
                    // an output is read only after it is written, and then its value definition is in scope
                    priority = inAttribute || Signatures.outputs(body).contains(p) ? -1 : HIGH;
                } else {
                    priority = named instanceof ShapeParam ? GLOBAL + 1 : GLOBAL;
                }
            } else if (inSchedule) {
                boolean index = call.isEmpty() || call.get().insideBrackets();
                if (named instanceof LoopVar) {
                    priority = index ? BEST : -1;
                } else if (named instanceof TensorDecl t) {
                    priority = index ? -1 : HIGH + fit(t, parameter);
                } else {
                    priority = index ? HIGH : -1;
                }
            } else {
                priority = named instanceof Constant ? HIGH : -1;
            }
            if (priority >= 0) {
                accept(named, kind(named), priority, context, acceptor);
            }
        }
    }

    /** Callees: in a body the fns and operators, in the schedule the kernels and {@code copy}. */
    private void callees(EObject model, ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
        Callable body = EcoreUtil2.getContainerOfType(model, Callable.class);
        boolean inSchedule = body == null && EcoreUtil2.getContainerOfType(model, Schedule.class) != null;
        if (body == null && !inSchedule) {
            return;
        }
        for (EObject named : visible(model, DfkPackage.Literals.CALL__CALLEE)) {
            if (inSchedule && named instanceof Kernel) {
                accept(named, ContentAssistEntry.KIND_FUNCTION, HIGH, context, acceptor);
            } else if (!inSchedule && named instanceof Function && named != body) {
                accept(named, ContentAssistEntry.KIND_FUNCTION, OPERATOR + 1, context, acceptor);
            }
        }
        for (OpKind kind : OpKind.values()) {
            if (kind == OpKind.CONST || inSchedule && kind != OpKind.COPY) {
                continue;
            }
            OpSignature signature = OpSignature.of(kind).orElseThrow();
            int priority = inSchedule ? LOW : kind.category() == OpCategory.COLLECTIVE ? LOW : OPERATOR;
            ContentAssistEntry entry = getProposalCreator().createProposal(kind.keyword(), context, e -> {
                e.setKind(ContentAssistEntry.KIND_FUNCTION);
                e.setDescription(signature.label());
                e.setDocumentation(operatorDocumentation(signature));
                e.setSource(signature);
            });
            if (entry != null) {
                acceptor.accept(entry, priority);
            }
        }
    }

    /** The tensors a schedule step may assign: locals and outputs. */
    private void targets(EObject model, ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
        for (EObject named : visible(model, DfkPackage.Literals.TARGET__TENSOR)) {
            if (named instanceof TensorDecl t && (t.getRole() == Role.LOCAL || t.getRole() == Role.OUTPUT)) {
                accept(named, ContentAssistEntry.KIND_VARIABLE, HIGH, context, acceptor);
            }
        }
    }

    /** Inside an operator call: the attributes it takes and has not been given, with their defaults. */
    private void attributes(ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
        Optional<CallAtCursor> found = CallAtCursor.find(text(context), context.getOffset());
        if (found.isEmpty() || found.get().insideBrackets()) {
            return;
        }
        CallAtCursor call = found.get();
        Optional<OpSignature> signature = OpKind.fromKeyword(call.callee()).flatMap(OpSignature::of);
        if (signature.isEmpty()) {
            return;
        }
        long requiredOperands = signature.get().operands().stream().filter(o -> !o.optional()).count();
        boolean operandsGiven = !signature.get().variadic() && call.positionalBefore() >= requiredOperands;
        List<String> given = call.attributesGiven();
        for (OpSignature.Attribute attribute : signature.get().attributes()) {
            if (given.contains(attribute.name())) {
                continue;
            }
            ContentAssistEntry entry = getProposalCreator().createProposal(attribute.name() + "=", context, e -> {
                e.setLabel(attribute.name());
                e.setKind(ContentAssistEntry.KIND_PROPERTY);
                e.setDescription(attribute.label() + (attribute.required() ? " (required)" : ""));
                e.setDocumentation(attribute.meaning());
            });
            if (entry != null) {
                acceptor.accept(entry, (operandsGiven ? BEST : LOW) + (attribute.required() ? 1 : 0));
            }
        }
    }

    /** At the start of a statement: the outputs and state parameters the body has not written yet. */
    private void unwritten(ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
        EObject model = context.getCurrentModel();
        Callable body = model == null ? null : EcoreUtil2.getContainerOfType(model, Callable.class);
        if (body == null) {
            return;
        }
        Set<String> written = new HashSet<>();
        for (Statement statement : Signatures.body(body)) {
            INode node = NodeModelUtils.findActualNodeFor(statement);
            if (node != null && node.getEndOffset() < context.getOffset() && statement.getValue() != null) {
                statement.getDefs().forEach(d -> written.add(d.getName()));
            }
        }
        List<Param> writable = new ArrayList<>(Signatures.outputs(body));
        Signatures.params(body).stream().filter(Param::isState).forEach(writable::add);
        for (Param p : writable) {
            if (!written.contains(p.getName())) {
                accept(p, ContentAssistEntry.KIND_VARIABLE, BEST, context, acceptor);
            }
        }
    }

    private void words(Map<String, String> words, ContentAssistContext context, IIdeContentProposalAcceptor acceptor) {
        words.forEach((word, meaning) -> {
            ContentAssistEntry entry = getProposalCreator().createProposal(word, context, e -> {
                e.setKind(ContentAssistEntry.KIND_PROPERTY);
                e.setDescription(meaning);
            });
            if (entry != null) {
                acceptor.accept(entry, BEST);
            }
        });
    }

    private void accept(EObject named, String kind, int priority, ContentAssistContext context,
            IIdeContentProposalAcceptor acceptor) {
        String name = org.eclipse.xtext.util.SimpleAttributeResolver.NAME_RESOLVER.apply(named);
        if (name == null || name.isEmpty()) {
            return;
        }
        ContentAssistEntry entry = getProposalCreator().createProposal(name, context, e -> {
            e.setKind(kind);
            e.setDescription(DfkDescriptions.detail(named));
            e.setDocumentation(DfkDescriptions.documentation(named));
            e.setSource(named);
        });
        if (entry != null) {
            acceptor.accept(entry, priority);
        }
    }

    /** The objects a reference from {@code model} can see, each name once (the innermost wins), resolved. */
    private List<EObject> visible(EObject model, EReference reference) {
        List<EObject> objects = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (IEObjectDescription d : getScopeProvider().getScope(model, reference).getAllElements()) {
            if (!seen.add(d.getName().toString())) {
                continue;
            }
            EObject object = d.getEObjectOrProxy();
            if (object.eIsProxy()) {
                object = EcoreUtil.resolve(object, model);
            }
            if (!object.eIsProxy()) {
                objects.add(object);
            }
        }
        return objects;
    }

    /** The parameter of the kernel called around the cursor that the cursor's argument binds, if known. */
    private Param kernelParameter(EObject model, CallAtCursor call) {
        for (EObject named : visible(model, DfkPackage.Literals.CALL__CALLEE)) {
            if (named instanceof Kernel kernel && kernel.getName().equals(call.callee())) {
                int index = call.positionalBefore();
                return index < kernel.getParams().size() ? kernel.getParams().get(index) : null;
            }
        }
        return null;
    }

    /**
     * How well tensor {@code t} fits {@code parameter}, 0 to 90: a state tensor for a state parameter,
     * the same element type, then the parameter's trailing dimensions written alike (a stacked weight
     * fits once indexed).
     */
    static int fit(TensorDecl t, Param parameter) {
        if (parameter == null || t.getType() == null || parameter.getType() == null) {
            return 0;
        }
        if (parameter.isState() != (t.getRole() == Role.STATE)) {
            return 0;
        }
        TypeRef want = parameter.getType();
        TypeRef have = t.getType();
        if (want.getDtype() != have.getDtype()) {
            return 10;
        }
        int extra = have.getDims().size() - want.getDims().size();
        if (extra < 0) {
            return 20;
        }
        Set<String> shapeParams = new HashSet<>();
        Callable owner = EcoreUtil2.getContainerOfType(parameter, Callable.class);
        if (owner != null) {
            Signatures.shapeParams(owner).forEach(s -> shapeParams.add(s.getName()));
        }
        for (int i = 0; i < want.getDims().size(); i++) {
            String w = Locations.text(want.getDims().get(i));
            String h = Locations.text(have.getDims().get(extra + i));
            if (!shapeParams.contains(w) && !w.equals(h)) {
                return 30;
            }
        }
        return extra == 0 ? 90 : 80;
    }

    private static String kind(EObject named) {
        if (named instanceof Param) {
            return ContentAssistEntry.KIND_FIELD;
        }
        return named instanceof Constant || named instanceof ShapeParam ? ContentAssistEntry.KIND_VALUE
                : ContentAssistEntry.KIND_VARIABLE;
    }

    /** An operator's documentation in Markdown: what it computes, its result, its attributes. */
    static String operatorDocumentation(OpSignature signature) {
        StringBuilder s = new StringBuilder();
        s.append("`").append(signature.label()).append("`\n\n").append(signature.summary()).append("\n\n- result: ")
                .append(signature.result()).append('\n');
        for (OpSignature.Attribute a : signature.attributes()) {
            s.append("- `").append(a.label()).append("`").append(a.required() ? " (required)" : "").append(": ")
                    .append(a.meaning()).append('\n');
        }
        return s.toString();
    }

    private static String text(ContentAssistContext context) {
        return context.getRootNode().getText();
    }

    /** The text of the last complete token before the cursor's prefix, or "" at the start. */
    private static String previousToken(ContentAssistContext context) {
        INode last = context.getLastCompleteNode();
        if (last == null) {
            return "";
        }
        ILeafNode token = null;
        for (ILeafNode leaf : last.getLeafNodes()) {
            if (!leaf.isHidden()) {
                token = leaf;
            }
        }
        return token == null ? last.getText().strip() : token.getText();
    }
}
