package io.rdustudio.dfk.ide.actions;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.ide.server.DocumentExtensions;
import org.eclipse.xtext.ide.server.UriExtensions;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.util.SimpleAttributeResolver;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.dfk.dfk.CallStep;
import io.rdustudio.dfk.dfk.Kernel;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.Schedule;
import io.rdustudio.dfk.dfk.Step;
import io.rdustudio.dfk.lowering.Locations;

/**
 * What a refactoring works on: the document's parse tree, the analysis of its current version,
 * and the selection the client asks about (offsets in the document).
 *
 * @param analysis the analysis of the program, or null when it does not lower
 */
record Source(XtextResource resource, Model model, ProgramAnalysis.Result analysis, int from, int to,
        DocumentExtensions positions, UriExtensions uris, CancelIndicator cancel) {

    /** The request's cancellation, as the analyses take it. */
    BooleanSupplier cancelled() {
        return cancel::isCanceled;
    }

    SourceEdits edits() {
        return new SourceEdits(positions, uris);
    }

    String uri() {
        return resource.getURI().toString();
    }

    /** Whether the selection touches the text at {@code location} of this document. */
    boolean touches(SourceLocation location) {
        return uri().equals(location.uri()) && location.offset() <= to && from <= location.endOffset();
    }

    /** The innermost object of {@code type} whose text holds the selection's start, or null. */
    <T extends EObject> T at(Class<T> type) {
        INode leaf = NodeModelUtils.findLeafNodeAtOffset(resource.getParseResult().getRootNode(), from);
        EObject object = leaf == null ? null : NodeModelUtils.findActualSemanticObjectFor(leaf);
        if (object == null && from > 0) {
            leaf = NodeModelUtils.findLeafNodeAtOffset(resource.getParseResult().getRootNode(), from - 1);
            object = leaf == null ? null : NodeModelUtils.findActualSemanticObjectFor(leaf);
        }
        return object == null ? null : EcoreUtil2.getContainerOfType(object, type);
    }

    /** The schedule of this file, or null. */
    Schedule schedule() {
        return model.getElements().stream().filter(Schedule.class::isInstance).map(Schedule.class::cast).findFirst()
                .orElse(null);
    }

    /** The call step written at {@code location}, if it is one of this file's. */
    CallStep callAt(SourceLocation location) {
        Schedule schedule = schedule();
        if (schedule == null || !uri().equals(location.uri())) {
            return null;
        }
        for (CallStep step : EcoreUtil2.getAllContentsOfType(schedule, CallStep.class)) {
            INode node = NodeModelUtils.findActualNodeFor(step);
            if (node != null && node.getOffset() == location.offset()) {
                return step;
            }
        }
        return null;
    }

    /** Every call step of the schedule, in order, nested loops included. */
    List<CallStep> calls() {
        Schedule schedule = schedule();
        return schedule == null ? List.of() : EcoreUtil2.getAllContentsOfType(schedule, CallStep.class);
    }

    /** The steps of the step list {@code step} belongs to (the schedule's or a loop's). */
    static List<Step> siblings(Step step) {
        EObject container = step.eContainer();
        if (container instanceof Schedule s) {
            return s.getSteps();
        }
        return ((io.rdustudio.dfk.dfk.Loop) container).getSteps();
    }

    /** The kernel a step calls, or null (an operator such as copy, or an unresolved name). */
    static Kernel kernelOf(CallStep step) {
        return step.getCall() != null && step.getCall().getCallee() instanceof Kernel k ? k : null;
    }

    /** The names of this file's top-level declarations and of those it sees through imports. */
    Set<String> topLevelNames() {
        Set<String> names = new HashSet<>();
        for (Resource r : resource.getResourceSet().getResources()) {
            if (!r.getContents().isEmpty() && r.getContents().get(0) instanceof Model m) {
                for (EObject e : m.getElements()) {
                    String name = SimpleAttributeResolver.NAME_RESOLVER.apply(e);
                    if (name != null) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    /** The names of the constants this file and the files it sees declare. */
    Set<String> constantNames() {
        Set<String> names = new HashSet<>();
        for (Resource r : resource.getResourceSet().getResources()) {
            if (!r.getContents().isEmpty() && r.getContents().get(0) instanceof Model m) {
                m.getElements().stream().filter(io.rdustudio.dfk.dfk.Constant.class::isInstance)
                        .forEach(c -> names.add(((io.rdustudio.dfk.dfk.Constant) c).getName()));
            }
        }
        return names;
    }

    /** {@code base}, or {@code base_2}, {@code base_3}, ... whichever is not in {@code taken}; then taken. */
    static String fresh(String base, Set<String> taken) {
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + "_" + i;
        }
        taken.add(name);
        return name;
    }

    /** The source text of an expression or target with its spaces as written ({@code wq[l]}). */
    static String text(EObject object) {
        return Locations.text(object);
    }

    /** The tensor name of an argument or target text: {@code wq} of {@code wq[l]}. */
    static String tensorName(String text) {
        int bracket = text.indexOf('[');
        return (bracket < 0 ? text : text.substring(0, bracket)).strip();
    }

}
