package io.rdustudio.lsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.log4j.Logger;
import org.eclipse.emf.common.util.URI;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.WorkspaceManager;
import org.eclipse.xtext.ide.server.concurrent.IRequestManager;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.service.OperationCanceledManager;
import org.eclipse.xtext.util.CancelIndicator;

import io.rdustudio.dfk.ide.BackgroundFindings;
import io.rdustudio.dfk.validation.AnalysisFindings;

/**
 * Publishes each document's diagnostics in two steps. First what the build's validation found
 * (syntax, names, shapes, lowering, resource limits), as soon as the build has it; then, once the
 * analysis of that same state is done, those diagnostics again with the analysis's findings
 * ({@link BackgroundFindings}: fusion hints, bandwidth bottlenecks, memory-plan failures) added.
 *
 * <p><b>Threads and cancellation.</b> The analysis runs as one read request of Xtext's request
 * manager (a "pass" over every file whose findings are due), queued behind the build that asked for
 * it. The next write (an edit, an open, a close) cancels it, and Xtext's write waits for the read to
 * stop before it changes any resource, so a pass always sees one consistent state and never
 * publishes findings older than the first diagnostics that follow. Files the cancelled pass did not
 * reach stay due; the next build's pass takes them. The result is cached per resource state
 * ({@code DfkEditorAnalyses}), so hover, lenses and inlay hints of the same version read it.
 */
final class BackgroundAnalysis {

    private static final Logger LOG = Logger.getLogger(BackgroundAnalysis.class);

    /** What was last published for a file, and whether its findings are in. */
    private record FileState(String uri, Integer version, List<Diagnostic> first, boolean analysed) {
    }

    private final IRequestManager requests;
    private final WorkspaceManager workspace;
    private final Consumer<PublishDiagnosticsParams> publish;
    private final OperationCanceledManager cancellation = new OperationCanceledManager();
    private final Map<URI, FileState> files = new ConcurrentHashMap<>();
    private volatile CompletableFuture<?> pass = CompletableFuture.completedFuture(null);
    /** Publications held until the client has sent {@code initialized}, in order. */
    private final List<PublishDiagnosticsParams> held = new ArrayList<>();
    private boolean clientReady;

    BackgroundAnalysis(IRequestManager requests, WorkspaceManager workspace, Consumer<PublishDiagnosticsParams> publish) {
        this.requests = requests;
        this.workspace = workspace;
        this.publish = publish;
    }

    /**
     * A build validated {@code uri}: publishes {@code first} now and makes the file's findings due.
     * Called on the request manager's write thread.
     *
     * @param version the open document's version, null for a file that is not open
     */
    void validated(URI uri, String uriString, Integer version, List<Diagnostic> first) {
        FileState state = new FileState(uriString, version, List.copyOf(first), false);
        files.put(uri, state);
        send(new PublishDiagnosticsParams(uriString, state.first(), version));
        schedule();
    }

    /** The client sent {@code initialized}: publishes what was held back, then everything as it comes. */
    synchronized void clientReady() {
        clientReady = true;
        held.forEach(publish);
        held.clear();
    }

    /** The first error of the build's last diagnostics of {@code uri}, if any. */
    Optional<Diagnostic> firstError(URI uri) {
        FileState state = files.get(uri);
        return state == null ? Optional.empty()
                : state.first().stream().filter(d -> d.getSeverity() == DiagnosticSeverity.Error).findFirst();
    }

    private synchronized void send(PublishDiagnosticsParams params) {
        if (clientReady) {
            publish.accept(params);
        } else {
            held.add(params);
        }
    }

    /** Queues a pass behind the current write unless one is already queued; nothing when no file is due. */
    synchronized void schedule() {
        if (!pass.isDone() || files.values().stream().allMatch(FileState::analysed)) {
            return;
        }
        pass = requests.runRead(this::analyseDueFiles);
    }

    private Void analyseDueFiles(CancelIndicator cancel) {
        for (Map.Entry<URI, FileState> entry : files.entrySet()) {
            cancellation.checkCanceled(cancel);
            if (!entry.getValue().analysed()) {
                analyse(entry.getKey(), entry.getValue(), cancel);
            }
        }
        return null;
    }

    private void analyse(URI uri, FileState state, CancelIndicator cancel) {
        workspace.doRead(uri, (Document document, XtextResource resource) -> {
            if (resource == null) {
                files.remove(uri);
                return null;
            }
            BackgroundFindings findings = resource.getResourceServiceProvider().get(BackgroundFindings.class);
            if (findings == null) {
                files.put(uri, new FileState(state.uri(), state.version(), state.first(), true));
                return null;
            }
            List<Diagnostic> all = new ArrayList<>(state.first());
            try {
                for (AnalysisFindings.Finding f : findings.of(resource, cancel)) {
                    all.add(diagnostic(document, f));
                }
            } catch (RuntimeException | StackOverflowError e) {
                cancellation.propagateIfCancelException(e);
                LOG.error("the analysis of " + state.uri() + " failed", e);
                all.add(new Diagnostic(new Range(new Position(0, 0), new Position(0, 0)), "internal error in the DFK"
                        + " analysis (" + e + "); the other diagnostics stand; please report this with the file",
                        DiagnosticSeverity.Error, null, "dfk.internal"));
            }
            cancellation.checkCanceled(cancel);
            files.put(uri, new FileState(state.uri(), state.version(), state.first(), true));
            send(new PublishDiagnosticsParams(state.uri(), all, state.version()));
            return null;
        });
    }

    private static Diagnostic diagnostic(Document document, AnalysisFindings.Finding f) {
        int length = document.getContents().length();
        Position start = document.getPosition(Math.min(f.offset(), length));
        Position end = document.getPosition(Math.min(f.offset() + f.length(), length));
        Diagnostic d = new Diagnostic(new Range(start, end), f.message(), switch (f.severity()) {
            case ERROR -> DiagnosticSeverity.Error;
            case WARNING -> DiagnosticSeverity.Warning;
            case INFO -> DiagnosticSeverity.Information;
            case HINT -> DiagnosticSeverity.Hint;
        }, null, f.code());
        d.setData(f.data().toArray(String[]::new));
        return d;
    }
}
