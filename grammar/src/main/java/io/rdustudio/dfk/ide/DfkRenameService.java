package io.rdustudio.dfk.ide;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PrepareRenameDefaultBehavior;
import org.eclipse.lsp4j.PrepareRenameResult;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either3;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.xtext.CrossReference;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.Keyword;
import org.eclipse.xtext.RuleCall;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.ILanguageServerAccess;
import org.eclipse.xtext.ide.server.rename.IRenameService2;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.scoping.IScopeProvider;
import org.eclipse.xtext.util.SimpleAttributeResolver;

import com.google.inject.Inject;

import io.rdustudio.core.ir.OpKind;
import io.rdustudio.dfk.dfk.Call;
import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.DfkPackage;
import io.rdustudio.dfk.dfk.Loop;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.Statement;
import io.rdustudio.dfk.lowering.Signatures;

/**
 * Rename for DFK, across files: a kernel defined in an imported library is renamed at its
 * definition and at every call in every file of the workspace; an output or state parameter is
 * renamed with the statements that write it ({@link DfkNames}). {@code prepareRename} answers the
 * name's range, or refuses with a message saying why: a keyword, a built-in operator, a number,
 * an undeclared name. A new name must be a DFK identifier that is no keyword, no operator and not
 * taken where the declaration lives.
 */
public class DfkRenameService implements IRenameService2 {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*");

    @Inject
    private DfkReferences references;

    @Inject
    private IScopeProvider scopes;

    /** The declaration a rename at the cursor renames, and the range of the name under the cursor. */
    private record Target(EObject declaration, String name, Range range) {
    }

    @Override
    public Either3<Range, PrepareRenameResult, PrepareRenameDefaultBehavior> prepareRename(PrepareRenameOptions options) {
        String uri = options.getParams().getTextDocument().getUri();
        Position position = options.getParams().getPosition();
        Target target = options.getLanguageServerAccess().doSyncRead(uri,
                context -> target(context.getResource(), context.getDocument(), position));
        return Either3.forSecond(new PrepareRenameResult(target.range(), target.name()));
    }

    @Override
    public WorkspaceEdit rename(Options options) {
        String uri = options.getRenameParams().getTextDocument().getUri();
        String newName = options.getRenameParams().getNewName();
        ILanguageServerAccess access = options.getLanguageServerAccess();
        return access.doSyncRead(uri, context -> {
            Target target = target(context.getResource(), context.getDocument(), options.getRenameParams().getPosition());
            checkNewName(target, newName);
            List<EObject> group = DfkNames.sameName(target.declaration());
            List<Location> places = new ArrayList<>(references.names(group));
            places.addAll(references.uses(group, null, null, options.getCancelIndicator()));
            Map<String, List<TextEdit>> changes = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            for (Location place : places) {
                if (seen.add(place.getUri() + place.getRange())) {
                    changes.computeIfAbsent(place.getUri(), u -> new ArrayList<>())
                            .add(new TextEdit(place.getRange(), newName));
                }
            }
            return new WorkspaceEdit(changes);
        });
    }

    /** What a rename at {@code position} renames, or a refusal that says why nothing can be. */
    private static Target target(org.eclipse.emf.ecore.resource.Resource resource, Document document, Position position) {
        if (!(resource instanceof XtextResource xtext) || xtext.getParseResult() == null) {
            throw refuse("the document is not a DFK file that could be read");
        }
        int offset = document.getOffSet(position);
        ILeafNode leaf = nameLeaf(xtext, offset);
        if (leaf == null) {
            ILeafNode other = NodeModelUtils.findLeafNodeAtOffset(xtext.getParseResult().getRootNode(), offset);
            String text = other == null ? "" : other.getText().strip();
            if (other != null && other.getGrammarElement() instanceof Keyword && Character.isLetter(text.charAt(0))) {
                throw refuse("'" + text + "' is a keyword of DFK and cannot be renamed");
            }
            throw refuse("place the cursor on a name to rename it (a tensor, constant, kernel, fn, parameter, value or"
                    + " loop variable)");
        }
        EObject declaration;
        if (leaf.getGrammarElement() instanceof CrossReference) {
            EObject holder = NodeModelUtils.findActualSemanticObjectFor(leaf);
            EReference reference = GrammarUtil.getReference((CrossReference) leaf.getGrammarElement());
            Object value = holder == null || reference == null ? null : holder.eGet(reference, true);
            declaration = value instanceof EObject e && !e.eIsProxy() ? e : null;
            if (declaration == null) {
                String name = leaf.getText();
                if (holder instanceof Call && OpKind.fromKeyword(name).isPresent()) {
                    throw refuse("'" + name + "' is a built-in operator; only names declared in DFK files can be renamed");
                }
                throw refuse("'" + name + "' is not declared anywhere this file sees, so there is nothing to rename");
            }
        } else {
            declaration = NodeModelUtils.findActualSemanticObjectFor(leaf);
        }
        String name = SimpleAttributeResolver.NAME_RESOLVER.apply(declaration);
        Range range = new Range(document.getPosition(leaf.getOffset()), document.getPosition(leaf.getEndOffset()));
        return new Target(declaration, name, range);
    }

    /** The leaf of a name (declared or referenced) at or just before {@code offset}, or null. */
    private static ILeafNode nameLeaf(XtextResource resource, int offset) {
        for (int at : new int[] { offset, offset - 1 }) {
            ILeafNode leaf = at < 0 ? null : NodeModelUtils.findLeafNodeAtOffset(resource.getParseResult().getRootNode(), at);
            if (leaf != null && !leaf.isHidden() && (leaf.getGrammarElement() instanceof CrossReference
                    || leaf.getGrammarElement() instanceof RuleCall call && "ID".equals(call.getRule().getName())
                            && GrammarUtil.containingAssignment(call) != null
                            && "name".equals(GrammarUtil.containingAssignment(call).getFeature()))) {
                return leaf;
            }
        }
        return null;
    }

    private void checkNewName(Target target, String newName) {
        if (newName == null || !IDENTIFIER.matcher(newName).matches()) {
            throw refuse("'" + newName + "' is not a DFK name: a letter or _ first, then letters, digits and _");
        }
        if (DfkVocabulary.isKeyword(newName)) {
            throw refuse("'" + newName + "' is a keyword of DFK; choose another name");
        }
        if (OpKind.fromKeyword(newName).isPresent()) {
            throw refuse("'" + newName + "' is a built-in operator; a name that spells it would hide the operator");
        }
        if (!newName.equals(target.name()) && taken(target.declaration()).contains(newName)) {
            throw refuse("'" + newName + "' is already declared where " + target.name()
                    + " is visible; renaming would make the two one name");
        }
    }

    /**
     * The names a declaration could collide with: inside a kernel or fn, its signature and the values
     * of its body; in the schedule, the enclosing loop variables; and everywhere, the top-level
     * declarations of the file and of the files it imports.
     */
    private Set<String> taken(EObject declaration) {
        Set<String> names = new HashSet<>();
        Model root = EcoreUtil2.getContainerOfType(declaration, Model.class);
        if (root != null) {
            for (EReference reference : List.of(DfkPackage.Literals.CALL__CALLEE, DfkPackage.Literals.TARGET__TENSOR)) {
                for (IEObjectDescription d : scopes.getScope(root, reference).getAllElements()) {
                    names.add(d.getName().toString());
                }
            }
            for (EObject element : root.getElements()) {
                String name = SimpleAttributeResolver.NAME_RESOLVER.apply(element);
                if (name != null) {
                    names.add(name);
                }
            }
        }
        Callable body = EcoreUtil2.getContainerOfType(declaration, Callable.class);
        if (body != null) {
            Signatures.shapeParams(body).forEach(s -> names.add(s.getName()));
            Signatures.params(body).forEach(p -> names.add(p.getName()));
            Signatures.outputs(body).forEach(p -> names.add(p.getName()));
            for (Statement s : Signatures.body(body)) {
                s.getDefs().forEach(d -> names.add(d.getName()));
            }
        }
        for (EObject e = declaration.eContainer(); e != null; e = e.eContainer()) {
            if (e instanceof Loop loop && loop.getVariable() != null) {
                names.add(loop.getVariable().getName());
            }
        }
        return names;
    }

    private static ResponseErrorException refuse(String message) {
        return new ResponseErrorException(new ResponseError(ResponseErrorCode.RequestFailed, message, null));
    }
}
