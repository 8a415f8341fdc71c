package io.rdustudio.dfk.validation;

import java.util.ArrayList;
import java.util.List;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.fusion.FusionHint;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.SourceLocation;

/**
 * What the program analysis reports in one file, in editor-neutral terms: each fusion hint as an
 * information spanning the calls it would merge ("kernels a and b could be one kernel: intensity X
 * -> Y FLOP/B, est. Nx faster, saves Z of HBM traffic"), with the kernels' names as its data; each
 * call whose rate a memory tier sets as a warning at the call ({@link
 * io.rdustudio.core.analysis.fusion.BandwidthEstimate#bottleneckMessage}: those that cost more than a launch); and each error of the
 * memory plan (a program that does not fit). {@link DfkAnalysisValidator} reports
 * them during validation ({@code dfk check --hints}); the language server publishes the same list
 * after the first diagnostics of an edit, from its background analysis.
 */
public final class AnalysisFindings {

    /** Code of a fusion hint; its data are the kernel instances it would merge, in call order. */
    public static final String FUSION_HINT = "dfk.fusion-hint";

    /**
     * One finding.
     *
     * @param offset where it starts in the file, in characters
     * @param length how many characters it spans
     * @param data   the fusion hint's kernels; empty for other findings
     */
    public record Finding(Severity severity, String message, int offset, int length, String code, List<String> data) {

        public Finding {
            data = List.copyOf(data);
        }
    }

    private AnalysisFindings() {
    }

    /** Code of a bandwidth bottleneck: a memory tier, not compute, sets the rate of a kernel call. */
    public static final String BANDWIDTH_BOUND = "dfk.bandwidth-bound";

    /** The findings of {@code result} located in the file {@code uri}, hints first, then bottlenecks, then the memory plan's errors. */
    public static List<Finding> in(ProgramAnalysis.Result result, String uri) {
        List<Finding> findings = new ArrayList<>();
        result.fusion().ifPresent(fusion -> {
            for (FusionHint hint : fusion.hints()) {
                List<SourceLocation> calls = hint.callLocations().stream().filter(c -> uri.equals(c.uri())).toList();
                if (!calls.isEmpty()) {
                    int start = calls.get(0).offset();
                    int end = calls.get(calls.size() - 1).endOffset();
                    findings.add(new Finding(Severity.INFO, hint.message(), start, Math.max(0, end - start), FUSION_HINT,
                            hint.kernels()));
                }
            }
        });
        for (ProgramAnalysis.CallBandwidth call : result.bandwidth()) {
            SourceLocation at = call.call().location();
            if (at != null && uri.equals(at.uri())) {
                call.estimate().bottleneckMessage(result.target()).ifPresent(message -> findings.add(new Finding(Severity.WARNING,
                        message, at.offset(), at.length(), BANDWIDTH_BOUND, List.of())));
            }
        }
        result.memory().ifPresent(plan -> {
            for (Diagnostic d : plan.diagnostics()) {
                if (d.severity() == Severity.ERROR && uri.equals(d.location().uri())) {
                    findings.add(new Finding(Severity.ERROR, d.message(), d.location().offset(), d.location().length(),
                            d.code(), List.of()));
                }
            }
        });
        return findings;
    }
}
