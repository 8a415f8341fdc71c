package io.rdustudio.lsp.testing;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eclipse.lsp4j.ApplyWorkspaceEditParams;
import org.eclipse.lsp4j.ApplyWorkspaceEditResponse;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.ProgressParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.WorkDoneProgressCreateParams;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * The client side of a test session: records what the server sends (diagnostics, progress,
 * messages, workspace edits it asks to apply) and lets a test wait for the one it expects.
 */
public final class RecordingClient implements LanguageClient {

    private final BlockingQueue<PublishDiagnosticsParams> diagnostics = new LinkedBlockingQueue<>();
    private final List<PublishDiagnosticsParams> published = new CopyOnWriteArrayList<>();
    private final List<ProgressParams> progress = new CopyOnWriteArrayList<>();
    private final List<WorkDoneProgressCreateParams> progressCreated = new CopyOnWriteArrayList<>();
    private final List<MessageParams> messages = new CopyOnWriteArrayList<>();
    private final List<ApplyWorkspaceEditParams> editsApplied = new CopyOnWriteArrayList<>();

    /**
     * Waits (up to 90 s) for a {@code publishDiagnostics} of {@code uri} whose list satisfies
     * {@code wanted}, and returns that list; earlier publications of the file are skipped.
     */
    public List<Diagnostic> awaitDiagnostics(String uri, Predicate<List<Diagnostic>> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        List<Diagnostic> last = null;
        while (System.nanoTime() < deadline) {
            PublishDiagnosticsParams next = diagnostics.poll(100, TimeUnit.MILLISECONDS);
            if (next != null && next.getUri().equals(uri)) {
                last = next.getDiagnostics();
                if (wanted.test(last)) {
                    return last;
                }
            }
        }
        throw new AssertionError("no such diagnostics for " + uri + "; last published: " + last);
    }

    /**
     * Waits (up to 90 s) for a {@code publishDiagnostics} of {@code uri} that satisfies {@code wanted}
     * (its version, its diagnostics), and returns it; earlier publications of the file are skipped.
     */
    public PublishDiagnosticsParams awaitPublication(String uri, Predicate<PublishDiagnosticsParams> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        PublishDiagnosticsParams last = null;
        while (System.nanoTime() < deadline) {
            PublishDiagnosticsParams next = diagnostics.poll(100, TimeUnit.MILLISECONDS);
            if (next != null && next.getUri().equals(uri)) {
                last = next;
                if (wanted.test(next)) {
                    return next;
                }
            }
        }
        throw new AssertionError("no such publication for " + uri + "; last published: " + last);
    }

    /** Every {@code publishDiagnostics} received so far, of every file, in order. */
    public List<PublishDiagnosticsParams> publications() {
        return List.copyOf(published);
    }

    /** Waits for diagnostics of {@code uri} that include one satisfying {@code wanted}. */
    public List<Diagnostic> awaitDiagnostic(String uri, Predicate<Diagnostic> wanted) throws InterruptedException {
        return awaitDiagnostics(uri, list -> list.stream().anyMatch(wanted));
    }

    /** The {@code $/progress} notifications received so far, in order. */
    public List<ProgressParams> progress() {
        return List.copyOf(progress);
    }

    /** The {@code window/workDoneProgress/create} requests received so far. */
    public List<WorkDoneProgressCreateParams> progressCreated() {
        return List.copyOf(progressCreated);
    }

    public List<MessageParams> messages() {
        return List.copyOf(messages);
    }

    /** The {@code workspace/applyEdit} requests received so far (each answered as applied). */
    public List<ApplyWorkspaceEditParams> editsApplied() {
        return List.copyOf(editsApplied);
    }

    @Override
    public void publishDiagnostics(PublishDiagnosticsParams params) {
        published.add(params);
        diagnostics.add(params);
    }

    @Override
    public CompletableFuture<Void> createProgress(WorkDoneProgressCreateParams params) {
        progressCreated.add(params);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void notifyProgress(ProgressParams params) {
        progress.add(params);
    }

    @Override
    public CompletableFuture<ApplyWorkspaceEditResponse> applyEdit(ApplyWorkspaceEditParams params) {
        editsApplied.add(params);
        return CompletableFuture.completedFuture(new ApplyWorkspaceEditResponse(true));
    }

    @Override
    public void telemetryEvent(Object object) {
    }

    @Override
    public void showMessage(MessageParams message) {
        messages.add(message);
    }

    @Override
    public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams request) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void logMessage(MessageParams message) {
        messages.add(message);
    }
}
