package io.rdustudio.dfk.lowering;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.service.OperationCanceledManager;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.util.IResourceScopeCache;

import com.google.inject.Inject;
import com.google.inject.Singleton;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.dfk.validation.TargetSelection;

/**
 * The analysis an editor shows for a resource, on the profile {@code dfk estimate} would pick: the
 * selected one for a one-socket schedule ({@link DfkAnalyses}), {@value #NODE} for a schedule
 * over several sockets. Cached per resource state, so hover, lenses and hints of one document
 * version read one result: the language server computes it in the background after each edit, and
 * a request that comes first computes it itself (the other waits for it, never computes it twice).
 * A cancelled computation is not kept.
 */
@Singleton
public class DfkEditorAnalyses {

    public static final String NODE = "sn40l-node";

    private record NodeKey(String name) {
    }

    @Inject
    private IResourceScopeCache cache;

    @Inject
    private DfkPrograms programs;

    @Inject
    private DfkAnalyses analyses;

    @Inject
    private TargetSelection targets;

    @Inject
    private OperationCanceledManager cancellation;

    /** The analysis of {@code resource}, or null when its program did not lower. */
    public ProgramAnalysis.Result of(Resource resource) {
        return of(resource, () -> false);
    }

    /**
     * The analysis an editor request reads: as {@link #of(Resource)}, computed on the request's
     * thread if no one has yet; when the request is cancelled meanwhile (an edit came), throws
     * Xtext's cancellation exception instead of answering from a partial result.
     */
    public ProgramAnalysis.Result forRequest(Resource resource, CancelIndicator cancel) {
        ProgramAnalysis.Result result = of(resource, cancel::isCanceled);
        if (result != null && result.cancelled()) {
            cancellation.throwOperationCanceledException();
        }
        return result;
    }

    /**
     * As {@link #of(Resource)}, checking {@code cancelled} as it goes: once it answers true the
     * result is partial ({@link ProgramAnalysis.Result#cancelled()}) and is not cached.
     */
    public ProgramAnalysis.Result of(Resource resource, BooleanSupplier cancelled) {
        LoweringResult lowered = programs.of(resource);
        Program program = lowered.program();
        if (program == null) {
            return null;
        }
        int sockets = program.schedule().map(s -> s.sockets()).orElse(1);
        if (sockets <= 1 || !TargetSelection.DEFAULT.equals(targets.profile().name())) {
            return analyses.of(resource, cancelled);
        }
        AtomicReference<ProgramAnalysis.Result> slot = cache.get(new NodeKey(NODE), resource, AtomicReference::new);
        synchronized (slot) {
            if (slot.get() == null) {
                TargetProfile node = TargetProfiles.load(NODE);
                ProgramAnalysis.Result result = ProgramAnalysis.analyse(program, node, cancelled);
                if (!result.cancelled()) {
                    slot.set(result);
                }
                return result;
            }
            return slot.get();
        }
    }
}
