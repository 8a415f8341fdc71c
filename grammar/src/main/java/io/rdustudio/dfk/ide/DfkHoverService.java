package io.rdustudio.dfk.ide;

import java.util.List;
import java.util.Optional;

import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.hover.HoverService;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;

import com.google.inject.Inject;

import io.rdustudio.dfk.lowering.DfkEditorAnalyses;
import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.cost.CallCost;
import io.rdustudio.core.analysis.cost.KernelCost;
import io.rdustudio.core.analysis.cost.MemoryChannel;
import io.rdustudio.core.analysis.cost.OpCost;
import io.rdustudio.core.analysis.fusion.ResourceNeeds;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.TensorDecl;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Value;

/**
 * Hovers with the analysis behind a name, in Markdown: a tensor's dtype, shape, bytes and tier; an
 * operator's output type, FLOPs, bytes, intensity and bound; a kernel's estimate with its error
 * band, its PCU and PMU use and its bottleneck. Everything is read from the analysis cached for the
 * document version ({@link DfkEditorAnalyses}); a name the analysis does not know falls back to
 * Xtext's documentation hover.
 */
public class DfkHoverService extends HoverService {

    @Inject
    private DfkEditorAnalyses analyses;

    @Override
    public Hover hover(Document document, XtextResource resource, HoverParams params, CancelIndicator cancelIndicator) {
        int offset = document.getOffSet(params.getPosition());
        String word = wordAt(document.getContents(), offset);
        ProgramAnalysis.Result result = word.isEmpty() ? null
                : analyses.forRequest(resource, cancelIndicator);
        if (result != null) {
            String here = resource.getURI().toString();
            Optional<String> markdown = describe(result, here, offset, word);
            if (markdown.isPresent()) {
                return new Hover(new MarkupContent(MarkupKind.MARKDOWN, markdown.get()));
            }
        }
        return super.hover(document, resource, params, cancelIndicator);
    }

    /** The Markdown for {@code word} at {@code offset} of the document {@code uri}, if the analysis knows it. */
    static Optional<String> describe(ProgramAnalysis.Result result, String uri, int offset, String word) {
        Kernel enclosing = null;
        for (Kernel kernel : result.program().kernels().values()) {
            if (contains(kernel.location(), uri, offset)) {
                enclosing = kernel;
                break;
            }
        }
        if (enclosing != null) {
            Optional<String> op = operator(result, enclosing, uri, offset, word);
            if (op.isPresent()) {
                return op;
            }
        }
        for (Kernel kernel : result.program().kernels().values()) {
            if (kernel.name().equals(word)) {
                return Optional.of(kernel(result, kernel));
            }
        }
        if (enclosing != null) {
            Value value = enclosing.values().get(word);
            if (value != null) {
                return Optional.of(value(enclosing, value));
            }
        }
        return result.program().tensor(word).map(t -> tensor(result, t));
    }

    private static Optional<String> operator(ProgramAnalysis.Result result, Kernel kernel, String uri, int offset,
            String word) {
        Optional<KernelCost> cost = AnalysisText.launchCost(result, kernel.instanceName());
        if (cost.isEmpty()) {
            return Optional.empty();
        }
        OpCost best = null;
        for (OpCost op : cost.get().ops()) {
            if (op.kind().keyword().equals(word) && contains(op.location(), uri, offset)
                    && (best == null || op.location().length() < best.location().length())) {
                best = op;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        Operation operation = best.index() < kernel.operations().size() ? kernel.operations().get(best.index()) : null;
        KernelCost alone = best.unfused();
        StringBuilder s = new StringBuilder();
        s.append("**").append(best.kind().keyword()).append("** in kernel `").append(kernel.instanceName())
                .append("`\n\n");
        if (operation != null) {
            for (Value out : operation.outputs()) {
                s.append("- output: `").append(displayName(out.name())).append(": ").append(out.type())
                        .append("` (").append(AnalysisText.bytes(out.type().bytes())).append(")\n");
            }
        }
        s.append("- FLOPs: ").append(AnalysisText.flops(best.flops())).append('\n');
        s.append("- bytes (on its own): ").append(AnalysisText.bytes(alone.offChipBytes())).append(" off chip, ")
                .append(AnalysisText.bytes(alone.bytes(MemoryChannel.SRAM))).append(" SRAM\n");
        s.append("- intensity: ").append(AnalysisText.intensity(alone.intensity())).append(" FLOP/B\n");
        s.append("- bound: ").append(alone.bound().label()).append(" (as its own kernel: ")
                .append(alone.time().formatSeconds()).append(")\n");
        return Optional.of(s.toString());
    }

    private static String kernel(ProgramAnalysis.Result result, Kernel kernel) {
        StringBuilder s = new StringBuilder();
        s.append("**kernel ").append(kernel.name()).append("**");
        if (kernel.hints().tensorParallel() > 1) {
            s.append(" (tp = ").append(kernel.hints().tensorParallel()).append(", figures per socket)");
        }
        s.append("\n\n");
        List<CallCost> calls = AnalysisText.callsOf(result, kernel.name());
        if (calls.isEmpty()) {
            s.append("- not called by the schedule: no estimate\n");
        } else {
            long launches = calls.stream().mapToLong(CallCost::calls).sum();
            KernelCost one = calls.get(0).perCall();
            s.append("- estimate: ").append(one.time().formatSeconds()).append(" per launch; ").append(launches)
                    .append(launches == 1 ? " launch: " : " launches: ")
                    .append(AnalysisText.total(calls).formatSeconds()).append('\n');
            s.append("- bottleneck: ").append(AnalysisText.bottleneck(calls).orElse("-")).append('\n');
            s.append("- per launch: ").append(AnalysisText.flops(one.flops())).append(", ")
                    .append(AnalysisText.bytes(one.offChipBytes())).append(" off chip, intensity ")
                    .append(AnalysisText.intensity(one.intensity())).append(" FLOP/B\n");
        }
        Optional<ResourceNeeds> needs = AnalysisText.needs(result, kernel.instanceName());
        if (needs.isPresent()) {
            ResourceNeeds n = needs.get();
            s.append("- PCUs: ").append(n.minimumPcus()).append(" stages of ").append(n.pcuLimit())
                    .append(" PCUs; PMUs: ").append(n.bufferPmus()).append(" of ").append(n.pmuLimit()).append('\n');
            n.overrun().ifPresent(d -> s.append("- does not fit: ").append(d.message()).append('\n'));
        }
        s.append("\n*on ").append(result.target().name()).append("; times nominal (optimistic-pessimistic)*");
        return s.toString();
    }

    private static String value(Kernel kernel, Value value) {
        TensorType type = value.type();
        return "**" + displayName(value.name()) + "**: `" + type + "`\n\n- bytes: " + AnalysisText.bytes(type.bytes())
                + (kernel.hints().tensorParallel() > 1 ? " (one socket's share, tp = "
                        + kernel.hints().tensorParallel() + ")" : "")
                + "\n";
    }

    private static String tensor(ProgramAnalysis.Result result, TensorDecl t) {
        StringBuilder s = new StringBuilder();
        s.append("**").append(t.role().keyword()).append(' ').append(t.name()).append("**: `").append(t.type())
                .append("`\n\n");
        s.append("- dtype: ").append(t.type().dtype().keyword()).append(", shape: ").append(t.type().shape())
                .append('\n');
        s.append("- bytes: ").append(AnalysisText.bytes(t.type().bytes())).append(String.format(java.util.Locale.ROOT, " (%,d B)", t.type().bytes()))
                .append('\n');
        Optional<io.rdustudio.core.ir.Tier> planned = result.tensorTiers().placed(t.name());
        if (planned.isPresent()) {
            s.append("- tier: ").append(planned.get().keyword()).append(" (memory plan)");
            t.tier().ifPresent(d -> s.append("; declared ").append(d.keyword()));
            s.append('\n');
        } else {
            s.append("- tier: ").append(t.tier().map(d -> d.keyword() + " (declared)").orElse("hbm (default)"))
                    .append('\n');
        }
        return s.toString();
    }

    private static String displayName(String name) {
        return name.startsWith("%") ? "(temporary " + name + ")" : name;
    }

    private static boolean contains(SourceLocation location, String uri, int offset) {
        return location != null && uri.equals(location.uri()) && location.offset() <= offset
                && offset <= location.endOffset();
    }

    /** The identifier around {@code offset}, or "" when there is none. */
    static String wordAt(String text, int offset) {
        int start = Math.min(Math.max(offset, 0), text.length());
        int end = start;
        while (start > 0 && isIdentifierPart(text.charAt(start - 1))) {
            start--;
        }
        while (end < text.length() && isIdentifierPart(text.charAt(end))) {
            end++;
        }
        return text.substring(start, end);
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
