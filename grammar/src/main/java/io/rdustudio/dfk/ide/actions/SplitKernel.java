package io.rdustudio.dfk.ide.actions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;

import io.rdustudio.core.ir.TensorType;
import io.rdustudio.dfk.dfk.CallStep;
import io.rdustudio.dfk.dfk.Kernel;
import io.rdustudio.dfk.dfk.Param;
import io.rdustudio.dfk.dfk.Reference;
import io.rdustudio.dfk.dfk.Statement;
import io.rdustudio.dfk.dfk.TensorDecl;
import io.rdustudio.dfk.dfk.ValueDef;
import io.rdustudio.dfk.ide.DfkDescriptions;
import io.rdustudio.dfk.ide.DfkNames;
import io.rdustudio.dfk.lowering.LoweringResult;

/**
 * Splits a kernel before the statement under the cursor into two kernels, launched one after the
 * other wherever the schedule launched it. The values the second part reads from the first become
 * outputs of the first kernel and inputs of the second, carried by a new {@code local} tensor per
 * call; an output or state the first part writes and the second reads is read back from its own
 * tensor. The second kernel's types are those of the whole tensors (for a tensor-parallel kernel,
 * before its split over the sockets).
 *
 * <p>Offered when the edited program lowers without errors (checked on a scratch copy), for kernels
 * without shape parameters whose calls are all in this file's schedule.
 */
final class SplitKernel {

    private SplitKernel() {
    }

    /** What the second part reads from the first, and how it gets it. */
    private record Crossing(String name, String type, ValueDef value, Param written) {
    }

    static Optional<CodeAction> action(Source source, Statement at, Scratch scratch) {
        Kernel kernel = EcoreUtil2.getContainerOfType(at, Kernel.class);
        if (kernel == null || kernel.eResource() != source.resource() || !kernel.getShapeParams().isEmpty()) {
            return Optional.empty();
        }
        int cut = kernel.getBody().indexOf(at);
        List<CallStep> calls = source.calls().stream().filter(c -> Source.kernelOf(c) == kernel).toList();
        if (cut < 1 || calls.isEmpty()) {
            return Optional.empty();
        }
        List<Statement> first = kernel.getBody().subList(0, cut);
        List<Statement> second = kernel.getBody().subList(cut, kernel.getBody().size());
        Map<String, TensorType> types = wholeTypes(source, kernel, scratch);
        if (types == null) {
            return Optional.empty();
        }
        List<Crossing> crossings = crossings(kernel, first, second, types);
        Set<String> taken = source.topLevelNames();
        String name1 = Source.fresh(kernel.getName() + "_1", taken);
        String name2 = Source.fresh(kernel.getName() + "_2", taken);

        List<Param> inputs1 = used(kernel, first);
        List<Param> inputs2 = used(kernel, second);
        List<Param> outputs1 = written(kernel.getOutputs(), first);
        List<Param> outputs2 = written(kernel.getOutputs(), second);
        if (outputs1.isEmpty() && crossings.stream().noneMatch(c -> c.written() == null)
                && inputs1.stream().noneMatch(p -> p.isState() && updated(p, first))) {
            return Optional.empty();
        }
        SourceEdits edits = source.edits();
        StringBuilder locals = new StringBuilder();
        for (CallStep call : calls) {
            Map<Crossing, String> carried = new LinkedHashMap<>();
            for (Crossing c : crossings) {
                if (c.written() == null) {
                    String local = Source.fresh(c.name(), taken);
                    carried.put(c, local);
                    locals.append("local ").append(local).append(": ").append(c.type()).append("   // between ")
                            .append(name1).append(" and ").append(name2).append('\n');
                }
            }
            String indent = SourceEdits.indentation(call);
            List<String> targets1 = new ArrayList<>(outputs1.stream().map(o -> target(call, kernel, o)).toList());
            carried.values().forEach(targets1::add);
            List<String> args2 = new ArrayList<>(inputs2.stream().map(p -> argument(call, kernel, p)).toList());
            for (Crossing c : crossings) {
                args2.add(c.written() == null ? carried.get(c)
                        : kernel.getOutputs().contains(c.written()) ? target(call, kernel, c.written())
                                : argument(call, kernel, c.written()));
            }
            String step1 = Lines.call(indent.length(), targets1, name1,
                    inputs1.stream().map(p -> argument(call, kernel, p)).toList());
            String step2 = Lines.call(indent.length(), outputs2.stream().map(o -> target(call, kernel, o)).toList(),
                    name2, args2);
            edits.replace(call, step1 + "\n" + indent + step2);
        }
        String part1 = kernel(kernel, name1, "part 1 of 2", signature(inputs1, first), outputs1, crossings, true, first);
        List<String> params2 = signature(inputs2, second);
        crossings.forEach(c -> params2.add(c.name() + ": " + c.type()));
        String part2 = kernel(kernel, name2, "part 2 of 2", params2, outputs2, List.of(), false, second);
        edits.replaceDeclaration(kernel, part1 + "\n" + part2);
        if (locals.length() > 0) {
            TensorDecl last = null;
            for (EObject e : source.model().getElements()) {
                if (e instanceof TensorDecl t) {
                    last = t;
                }
            }
            if (last != null) {
                edits.insertLinesAfter(last, locals.toString());
            } else {
                edits.insertLinesBefore(kernel, locals + "\n");
            }
        }
        LoweringResult check = scratch.lower(source.resource(), edits.applied(source.resource()));
        if (check.program() == null || check.hasErrors()) {
            return Optional.empty();
        }
        CodeAction action = new CodeAction("Split kernel " + kernel.getName() + " before "
                + statementName(at) + " into " + name1 + " and " + name2
                + (crossings.isEmpty() ? "" : " (passing " + crossings.stream().map(Crossing::name)
                        .collect(Collectors.joining(", ")) + ")"));
        action.setKind(CodeActionKind.RefactorExtract);
        action.setEdit(edits.build());
        return Optional.of(action);
    }

    private static String statementName(Statement s) {
        return s.getDefs().stream().map(ValueDef::getName).collect(Collectors.joining(", ")) + " = ...";
    }

    /**
     * The values of the kernel by name, with the types of whole tensors: for a tensor-parallel kernel
     * from a scratch lowering without its hints, where no split over sockets happens.
     */
    private static Map<String, TensorType> wholeTypes(Source source, Kernel kernel, Scratch scratch) {
        io.rdustudio.core.ir.Kernel instance = null;
        if (kernel.getHints().isEmpty() && source.analysis() != null) {
            instance = source.analysis().program().kernels().get(kernel.getName());
        } else {
            INode first = NodeModelUtils.findActualNodeFor(kernel.getHints().get(0));
            INode last = NodeModelUtils.findActualNodeFor(kernel.getHints().get(kernel.getHints().size() - 1));
            String text = SourceEdits.text(source.resource());
            int with = text.lastIndexOf("with", first.getOffset());
            String unsplit = text.substring(0, with) + text.substring(last.getEndOffset());
            LoweringResult lowered = scratch.lower(source.resource(), unsplit);
            instance = lowered.program() == null ? null : lowered.program().kernels().get(kernel.getName());
        }
        if (instance == null) {
            return null;
        }
        Map<String, TensorType> types = new LinkedHashMap<>();
        instance.values().forEach((name, value) -> types.put(name, value.type()));
        return types;
    }

    /** What {@code second} reads from {@code first}: values it defines, outputs and states it writes. */
    private static List<Crossing> crossings(Kernel kernel, List<Statement> first, List<Statement> second,
            Map<String, TensorType> types) {
        Set<ValueDef> defined = new LinkedHashSet<>();
        first.forEach(s -> defined.addAll(s.getDefs()));
        Set<ValueDef> read = new LinkedHashSet<>();
        for (Statement s : second) {
            for (Reference r : EcoreUtil2.getAllContentsOfType(s, Reference.class)) {
                if (r.getRef() instanceof ValueDef v && defined.contains(v)) {
                    read.add(v);
                }
            }
        }
        List<Crossing> crossings = new ArrayList<>();
        for (ValueDef v : defined) {
            if (!read.contains(v)) {
                continue;
            }
            List<EObject> same = DfkNames.sameName(v);
            Param written = same.size() > 1 && same.get(1) instanceof Param p ? p : null;
            String type = written != null ? DfkDescriptions.type(written.getType())
                    : typeText(kernel, types, types.get(v.getName()));
            crossings.add(new Crossing(v.getName(), type, v, written));
        }
        return crossings;
    }

    /** A type as a declaration would write it: a parameter's own text when one has this type, else numbers. */
    private static String typeText(Kernel kernel, Map<String, TensorType> types, TensorType type) {
        List<Param> all = new ArrayList<>(kernel.getParams());
        all.addAll(kernel.getOutputs());
        for (Param p : all) {
            if (type.equals(types.get(p.getName()))) {
                return DfkDescriptions.type(p.getType());
            }
        }
        return type.toString();
    }

    /** The kernel's inputs that {@code statements} read, in the kernel's order. */
    private static List<Param> used(Kernel kernel, List<Statement> statements) {
        Set<EObject> referenced = new LinkedHashSet<>();
        for (Statement s : statements) {
            EcoreUtil2.getAllContentsOfType(s, Reference.class).forEach(r -> referenced.add(r.getRef()));
        }
        return kernel.getParams().stream().filter(referenced::contains).toList();
    }

    /** The outputs {@code statements} write, in the kernel's order. */
    private static List<Param> written(List<Param> outputs, List<Statement> statements) {
        return outputs.stream().filter(o -> statements.stream().anyMatch(s -> s.getDefs().stream()
                .anyMatch(d -> d.getName().equals(o.getName())))).toList();
    }

    private static boolean updated(Param state, List<Statement> statements) {
        return statements.stream().anyMatch(s -> s.getDefs().stream().anyMatch(d -> d.getName().equals(state.getName())));
    }

    /** The parameters of one part: {@code state} only where that part updates the state. */
    private static List<String> signature(List<Param> inputs, List<Statement> part) {
        return inputs.stream().map(p -> (p.isState() && updated(p, part) ? "state " : "") + p.getName() + ": "
                + DfkDescriptions.type(p.getType())).collect(Collectors.toCollection(ArrayList::new));
    }

    private static String kernel(Kernel kernel, String name, String part, List<String> params, List<Param> outputs,
            List<Crossing> crossingOutputs, boolean first, List<Statement> statements) {
        List<String> results = new ArrayList<>(outputs.stream().map(DfkDescriptions::param).toList());
        crossingOutputs.stream().filter(c -> c.written() == null).forEach(c -> results.add(c.name() + ": " + c.type()));
        StringBuilder s = new StringBuilder();
        String comment = DfkDescriptions.comment(kernel);
        if (first && !comment.isEmpty()) {
            s.append("// ").append(comment.replace("\n", "\n// ")).append('\n');
        }
        s.append("// ").append(kernel.getName()).append(", ").append(part).append('\n');
        String hints = kernel.getHints().stream().map(h -> h.getName() + " = " + Source.text(h.getValue()))
                .collect(Collectors.joining(", "));
        s.append(Lines.kernelHeader(name, params, results, hints)).append('\n');
        INode from = NodeModelUtils.findActualNodeFor(statements.get(0));
        INode to = NodeModelUtils.findActualNodeFor(statements.get(statements.size() - 1));
        s.append(SourceEdits.indentation(statements.get(0)))
                .append(SourceEdits.text(kernel.eResource()).substring(from.getOffset(), to.getEndOffset())).append('\n');
        return s.append("}\n").toString();
    }

    /** The text of the argument {@code call} passes for {@code param}. */
    private static String argument(CallStep call, Kernel kernel, Param param) {
        return Source.text(call.getCall().getArgs().get(kernel.getParams().indexOf(param)).getValue());
    }

    /** The text of the target {@code call} writes {@code output} to. */
    private static String target(CallStep call, Kernel kernel, Param output) {
        return Source.text(call.getTargets().get(kernel.getOutputs().indexOf(output)));
    }
}
