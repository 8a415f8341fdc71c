package io.rdustudio.dfk.ide.actions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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

import io.rdustudio.core.analysis.Sizes;
import io.rdustudio.core.analysis.fusion.FusionHint;
import io.rdustudio.dfk.dfk.Argument;
import io.rdustudio.dfk.dfk.CallStep;
import io.rdustudio.dfk.dfk.Hint;
import io.rdustudio.dfk.dfk.Kernel;
import io.rdustudio.dfk.dfk.Param;
import io.rdustudio.dfk.dfk.Reference;
import io.rdustudio.dfk.dfk.Role;
import io.rdustudio.dfk.dfk.Statement;
import io.rdustudio.dfk.dfk.Target;
import io.rdustudio.dfk.dfk.TensorDecl;
import io.rdustudio.dfk.dfk.ValueDef;
import io.rdustudio.dfk.ide.DfkDescriptions;
import io.rdustudio.dfk.ide.DfkNames;

/**
 * Applies a fusion hint: the consecutive calls it names become one call of a new kernel whose body
 * is the kernels' bodies in order. A tensor one call writes and a later one reads becomes a value of
 * the body; when nothing else in the schedule uses it, it is no longer written to memory at all and
 * its {@code local} declaration goes. The merged kernel takes the calls' other tensors as
 * parameters, named after them, and writes the rest of their targets. Kernels nothing calls any
 * more are removed from the schedule's file (a kernel the schedule never launches is a warning).
 *
 * <p>Not offered for kernels with shape parameters, nor for calls the hint finds in different
 * (fused) loops: both need rewriting beyond this edit.
 */
final class FuseKernels {

    private FuseKernels() {
    }

    static Optional<CodeAction> action(Source source, FusionHint hint) {
        List<CallStep> calls = new ArrayList<>();
        for (var location : hint.callLocations()) {
            CallStep step = source.callAt(location);
            if (step == null || Source.kernelOf(step) == null) {
                return Optional.empty();
            }
            calls.add(step);
        }
        if (calls.size() < 2 || calls.stream().map(EObject::eContainer).distinct().count() != 1
                || calls.stream().anyMatch(c -> !Source.kernelOf(c).getShapeParams().isEmpty())) {
            return Optional.empty();
        }
        List<Kernel> kernels = calls.stream().map(Source::kernelOf).toList();
        Set<String> taken = source.topLevelNames();
        String merged = Source.fresh(hint.mergedName(), taken);
        Merge merge = new Merge(source, calls, source.constantNames());
        String kernelText = merge.kernel(merged, kernels);

        SourceEdits edits = source.edits();
        edits.replace(calls.get(0), merge.call(merged, SourceEdits.indentation(calls.get(0)).length()));
        for (CallStep other : calls.subList(1, calls.size())) {
            edits.deleteLines(other);
        }
        Set<Kernel> unused = new HashSet<>();
        for (Kernel k : kernels) {
            boolean calledElsewhere = source.calls().stream().anyMatch(c -> !calls.contains(c) && Source.kernelOf(c) == k);
            if (!calledElsewhere && k.eResource() == source.resource()) {
                unused.add(k);
            }
        }
        Kernel first = kernels.stream().filter(unused::contains).findFirst().orElse(null);
        for (Kernel k : new java.util.LinkedHashSet<>(kernels)) {
            if (unused.contains(k) && k != first) {
                edits.deleteDeclaration(k);
            }
        }
        if (first != null) {
            edits.replaceDeclaration(first, kernelText);
        } else {
            edits.insertLinesBefore(source.schedule(), kernelText + "\n");
        }
        for (TensorDecl dropped : merge.dropped()) {
            if (dropped.eResource() == source.resource()) {
                edits.deleteLines(dropped);
            }
        }
        String names = kernels.stream().map(Kernel::getName).distinct().collect(Collectors.joining(", "));
        CodeAction action = new CodeAction("Fuse " + names + " into one kernel " + merged + " ("
                + String.format(java.util.Locale.ROOT, "est. %.1fx faster, saves %s of HBM traffic", hint.speedup(),
                        Sizes.decimalBytes(hint.savedHbmBytes())) + ")");
        action.setKind(CodeActionKind.QuickFix);
        action.setEdit(edits.build());
        return Optional.of(action);
    }

    /** The merged kernel's signature and body, built call by call. */
    private static final class Merge {
        private final Source source;
        private final List<CallStep> calls;
        /** Names a value or parameter of the merged kernel must not take: the constants. */
        private final Set<String> taken;
        /** Merged parameters by the argument text they bind. */
        private final Map<String, MergedParam> inputs = new LinkedHashMap<>();
        /** Merged outputs by the target text they write. */
        private final Map<String, MergedParam> outputs = new LinkedHashMap<>();
        /** Values of the merged body by the tensor text they stand for: what a later call reads instead. */
        private final Map<String, String> produced = new HashMap<>();
        private final List<TensorDecl> dropped = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private final List<String> bodies = new ArrayList<>();

        private record MergedParam(String name, String type, boolean state, String bound) {
        }

        Merge(Source source, List<CallStep> calls, Set<String> taken) {
            this.source = source;
            this.calls = calls;
            this.taken = taken;
        }

        List<TensorDecl> dropped() {
            return dropped;
        }

        String kernel(String name, List<Kernel> kernels) {
            for (int i = 0; i < calls.size(); i++) {
                bodies.add(body(i, calls.get(i), kernels.get(i)));
            }
            StringBuilder s = new StringBuilder();
            s.append("// ").append(kernels.stream().map(Kernel::getName).distinct().collect(Collectors.joining(", then ")))
                    .append(", as one kernel\n");
            for (Kernel k : new java.util.LinkedHashSet<>(kernels)) {
                String comment = DfkDescriptions.comment(k);
                if (!comment.isEmpty()) {
                    s.append("// ").append(k.getName()).append(": ").append(comment.replace("\n", "\n//   ")).append('\n');
                }
            }
            s.append(Lines.kernelHeader(name, inputs.values().stream()
                    .map(p -> (p.state() ? "state " : "") + p.name() + ": " + p.type()).toList(),
                    outputs.values().stream().map(p -> p.name() + ": " + p.type()).toList(), hints(kernels))).append('\n');
            for (String body : bodies) {
                s.append(body);
            }
            return s.append("}\n").toString();
        }

        /** The call of the merged kernel that replaces the calls, written at {@code column}. */
        String call(String name, int column) {
            return Lines.call(column, outputs.values().stream().map(MergedParam::bound).toList(), name,
                    inputs.values().stream().map(MergedParam::bound).toList());
        }

        /** Call {@code i}'s kernel body with its names mapped into the merged kernel's. */
        private String body(int i, CallStep call, Kernel kernel) {
            Map<EObject, String> renames = new HashMap<>();
            List<Argument> args = call.getCall().getArgs();
            for (int p = 0; p < kernel.getParams().size() && p < args.size(); p++) {
                Param param = kernel.getParams().get(p);
                String bound = Source.text(args.get(p).getValue());
                String name = produced.get(bound);
                if (name == null) {
                    MergedParam merged = inputs.get(bound);
                    if (merged == null || param.isState() && !merged.state()) {
                        String chosen = merged != null ? merged.name() : fresh(Source.tensorName(bound));
                        merged = new MergedParam(chosen, Source.text(param.getType()), param.isState(), bound);
                        inputs.put(bound, merged);
                    }
                    name = merged.name();
                }
                for (EObject same : DfkNames.sameName(param)) {
                    renames.put(same, name);
                }
            }
            for (int o = 0; o < kernel.getOutputs().size() && o < call.getTargets().size(); o++) {
                Param output = kernel.getOutputs().get(o);
                Target target = call.getTargets().get(o);
                String written = Source.text(target);
                String name;
                if (staysOnChip(target, i)) {
                    name = fresh(Source.tensorName(written));
                    dropped.add(target.getTensor());
                } else {
                    String base = Source.tensorName(written);
                    name = fresh(inputs.values().stream().anyMatch(p -> p.name().equals(base)) ? base + "_out" : base);
                    outputs.put(written, new MergedParam(name, Source.text(output.getType()), false, written));
                }
                produced.put(written, name);
                for (EObject same : DfkNames.sameName(output)) {
                    renames.put(same, name);
                }
            }
            for (Statement statement : kernel.getBody()) {
                for (ValueDef def : statement.getDefs()) {
                    if (!renames.containsKey(def)) {
                        renames.put(def, fresh(def.getName()));
                    }
                }
            }
            return bodyText(kernel, renames);
        }

        private String fresh(String base) {
            Set<String> all = new HashSet<>(names);
            all.addAll(taken);
            String name = Source.fresh(base, all);
            names.add(name);
            return name;
        }

        /**
         * Whether what call {@code writer} writes to {@code target} can stay on chip: a local
         * tensor, not indexed, that nothing but the later calls of the group reads or writes.
         */
        private boolean staysOnChip(Target target, int writer) {
            TensorDecl tensor = target.getTensor();
            if (tensor == null || tensor.getRole() != Role.LOCAL || !target.getIndices().isEmpty()) {
                return false;
            }
            for (CallStep step : source.calls()) {
                int at = calls.indexOf(step);
                boolean reads = EcoreUtil2.getAllContentsOfType(step.getCall(), Reference.class).stream()
                        .anyMatch(r -> r.getRef() == tensor);
                boolean writes = step.getTargets().stream().anyMatch(t -> t.getTensor() == tensor && t != target);
                if (writes || reads && at <= writer) {
                    return false;
                }
            }
            return EcoreUtil2.getAllContentsOfType(source.model(), Reference.class).stream()
                    .noneMatch(r -> r.getRef() == tensor && EcoreUtil2.getContainerOfType(r, CallStep.class) == null);
        }

        /** The hints every kernel of the group gives alike ({@code tp = 8}). */
        private static String hints(List<Kernel> kernels) {
            List<String> common = new ArrayList<>();
            for (Hint hint : kernels.get(0).getHints()) {
                String text = hint.getName() + " = " + Source.text(hint.getValue());
                boolean everywhere = kernels.stream().allMatch(k -> k.getHints().stream()
                        .anyMatch(h -> (h.getName() + " = " + Source.text(h.getValue())).equals(text)));
                if (everywhere) {
                    common.add(text);
                }
            }
            return String.join(", ", common);
        }

        /** The statements of {@code kernel} with comments between them, renamed, one indented line each. */
        private static String bodyText(Kernel kernel, Map<EObject, String> renames) {
            if (kernel.getBody().isEmpty()) {
                return "";
            }
            INode first = NodeModelUtils.findActualNodeFor(kernel.getBody().get(0));
            INode last = NodeModelUtils.findActualNodeFor(kernel.getBody().get(kernel.getBody().size() - 1));
            String indent = SourceEdits.indentation(kernel.getBody().get(0));
            return indent + Renamed.text(kernel, renames, first.getOffset(), last.getEndOffset()) + "\n";
        }
    }
}
