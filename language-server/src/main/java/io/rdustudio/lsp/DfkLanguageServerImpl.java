package io.rdustudio.lsp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.eclipse.emf.common.util.URI;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.ExecuteCommandOptions;
import org.eclipse.lsp4j.ExecuteCommandParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.SemanticTokens;
import org.eclipse.lsp4j.SemanticTokensLegend;
import org.eclipse.lsp4j.SemanticTokensParams;
import org.eclipse.lsp4j.SemanticTokensWithRegistrationOptions;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.MessageType;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.WorkDoneProgressCancelParams;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.xtext.ide.server.BuildManager.Buildable;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.LanguageServerImpl;
import org.eclipse.xtext.ide.server.UriExtensions;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.xbase.lib.Functions.Function1;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.inject.Inject;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.placement.Placement;
import io.rdustudio.core.analysis.placement.PlacementSvg;
import io.rdustudio.core.analysis.placement.Placer;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.ProfileException;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.dfk.ide.DfkCodeLensService;
import io.rdustudio.dfk.ide.DfkInlayHints;
import io.rdustudio.ide.SemanticTokenLegend;
import io.rdustudio.ide.SemanticTokensProvider;
import io.rdustudio.dfk.lowering.DfkEditorAnalyses;
import io.rdustudio.dfk.lowering.DfkPrograms;
import io.rdustudio.dfk.validation.TargetSelection;
import io.rdustudio.report.AnalysisHeader;
import io.rdustudio.report.EstimateReport;
import io.rdustudio.report.MemoryReport;
import io.rdustudio.report.PlacementReport;
import io.rdustudio.report.ToolInfo;

/**
 * Xtext's generic language server plus what it lacks for DFK: inlay hints (Xtext 2.40 has no
 * service for them), semantic tokens with a legend of LSP types and DFK modifiers, the
 * {@link DfkProtocol} requests, the code lenses' commands through {@code workspace/executeCommand},
 * and diagnostics in two steps ({@link BackgroundAnalysis}). Each request is one hop: read the open
 * document under Xtext's request manager (so it sees one document version and is cancelled like
 * any other read), take the analysis cached for that version, render it with the CLI's report
 * renderers. Emulator runs run beside the request manager ({@link EmulatorRuns}).
 */
public class DfkLanguageServerImpl extends LanguageServerImpl implements DfkProtocol {

    /** The commands the server executes: the code lenses' ({@link DfkCodeLensService}). */
    static final List<String> COMMANDS = List.of(DfkCodeLensService.ESTIMATE, DfkCodeLensService.PLACEMENT,
            DfkCodeLensService.RUN);

    /** How often a run's preparation is retried when an edit cancels its read of the document. */
    private static final int PREPARE_ATTEMPTS = 5;

    @Inject
    private UriExtensions uris;

    private LanguageClient client;
    private BackgroundAnalysis background;
    private EmulatorRuns runs;

    /**
     * Xtext publishes the build's diagnostics through the client it is given, from a method of its
     * own that a subclass cannot override; so it gets a client whose {@code publishDiagnostics}
     * goes to {@link BackgroundAnalysis} instead, which publishes them (with the document's
     * version) and then the analysis's findings.
     */
    @Override
    public void connect(LanguageClient languageClient) {
        this.client = languageClient;
        this.background = new BackgroundAnalysis(getRequestManager(), getWorkspaceManager(),
                languageClient::publishDiagnostics);
        super.connect(withDiagnosticsTo(languageClient, this::validated));
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        boolean createsProgress = params != null && params.getCapabilities() != null
                && params.getCapabilities().getWindow() != null
                && Boolean.TRUE.equals(params.getCapabilities().getWindow().getWorkDoneProgress());
        runs = new EmulatorRuns(client, createsProgress);
        if (params != null && params.getRootUri() == null && params.getRootPath() == null
                && (params.getWorkspaceFolders() == null || params.getWorkspaceFolders().isEmpty())) {
            params.setRootUri(noWorkspace());
        }
        return super.initialize(params);
    }

    /**
     * The root for a client that opens no folder (rootUri null, as LSP allows: an editor on one loose
     * file). Xtext's workspace needs a base directory and would fail on none; an empty one of our own
     * gives it that without indexing whatever directory the server was started in. Files opened
     * from anywhere are then served as usual, their imports resolved from disk.
     */
    private static String noWorkspace() {
        try {
            Path empty = Files.createTempDirectory("dfk-lsp-no-workspace-");
            empty.toFile().deleteOnExit();
            return empty.toUri().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an empty workspace directory for a client that opened none"
                    + " (" + e.getMessage() + "); set TMPDIR to a writable directory", e);
        }
    }

    @Override
    public void initialized(InitializedParams params) {
        super.initialized(params);
        background.clientReady();
    }

    @Override
    protected ServerCapabilities createServerCapabilities(InitializeParams params) {
        ServerCapabilities capabilities = super.createServerCapabilities(params);
        capabilities.setInlayHintProvider(true);
        List<String> commands = new ArrayList<>(COMMANDS);
        ExecuteCommandOptions xtext = capabilities.getExecuteCommandProvider();
        if (xtext != null && xtext.getCommands() != null) {
            xtext.getCommands().stream().filter(c -> !commands.contains(c)).forEach(commands::add);
        }
        capabilities.setExecuteCommandProvider(new ExecuteCommandOptions(commands));
        addEditingCapabilities(capabilities);
        return capabilities;
    }

    /**
     * What the editing services of {@code grammar/.../ide} need advertised beyond Xtext's defaults:
     * the semantic-token legend ({@link SemanticTokenLegend}, instead of Xtext's three types),
     * completion after {@code @} (tiers) and {@code :} (element types), and folding whatever the
     * client said (Xtext offers it only to clients that announce folding).
     */
    private static void addEditingCapabilities(ServerCapabilities capabilities) {
        SemanticTokensWithRegistrationOptions tokens = new SemanticTokensWithRegistrationOptions(
                new SemanticTokensLegend(SemanticTokenLegend.types(), SemanticTokenLegend.modifiers()));
        tokens.setFull(true);
        tokens.setRange(false);
        capabilities.setSemanticTokensProvider(tokens);
        capabilities.getCompletionProvider().setTriggerCharacters(List.of("@", ":"));
        capabilities.setFoldingRangeProvider(true);
    }

    /** Semantic tokens from the document's language ({@link SemanticTokensProvider}), against the one legend. */
    @Override
    protected SemanticTokens semanticTokensFull(SemanticTokensParams params, CancelIndicator cancelIndicator) {
        URI uri = getURI(params.getTextDocument());
        return getWorkspaceManager().doRead(uri, (document, resource) -> {
            return new SemanticTokens(resource == null ? List.of()
                    : resource.getResourceServiceProvider().get(SemanticTokensProvider.class).tokens(document, resource,
                            cancelIndicator));
        });
    }

    /** Builds as Xtext does, then lets the background analysis take the files the build left due. */
    @Override
    protected void runBuildable(Supplier<? extends Buildable> newBuildable) {
        getRequestManager().runWrite(newBuildable::get, (cancel, buildable) -> buildable.build(cancel))
                .whenComplete((deltas, failure) -> background.schedule());
    }

    /**
     * Applies an edit whose range lies outside the document (a client out of step) to the nearest
     * place inside it, as editors do, and says so in the client's log, instead of dropping the edit
     * and leaving the server's text different from the client's.
     */
    @Override
    protected Buildable toBuildable(DidChangeTextDocumentParams params) {
        URI uri = getURI(params.getTextDocument());
        if (getWorkspaceManager().isDocumentOpen(uri)) {
            Document document = getWorkspaceManager().doRead(uri, (doc, resource) -> doc);
            for (TextDocumentContentChangeEvent change : params.getContentChanges()) {
                Range range = change.getRange();
                if (range != null) {
                    Range inside = new Range(inside(document, range.getStart()), inside(document, range.getEnd()));
                    if (!inside.equals(range)) {
                        client.logMessage(new MessageParams(MessageType.Warning, "dfk: an edit of "
                                + params.getTextDocument().getUri() + " at " + text(range) + " lies outside the document ("
                                + document.getLineCount() + " lines); applied at " + text(inside)));
                        change.setRange(inside);
                    }
                }
                document = document.applyTextDocumentChanges(List.of(change));
            }
        }
        return super.toBuildable(params);
    }

    @Override
    public CompletableFuture<Object> executeCommand(ExecuteCommandParams params) {
        String command = params == null ? null : params.getCommand();
        if (command == null || !COMMANDS.contains(command)) {
            return super.executeCommand(params);
        }
        List<Object> arguments = params.getArguments() == null ? List.of() : params.getArguments();
        String uri = argument(arguments, 0);
        String kernel = argument(arguments, 1);
        return switch (command) {
            case DfkCodeLensService.RUN -> {
                RunParams run = runOptions(arguments);
                run.setUri(uri);
                run.setKernel(kernel);
                run.setWorkDoneToken(params.getWorkDoneToken());
                yield widened(run(run));
            }
            case DfkCodeLensService.PLACEMENT -> widened(placement(new KernelParams(uri, kernel)));
            default -> widened(estimate(new DocumentParams(uri)));
        };
    }

    /**
     * A request no service answers is {@code MethodNotFound}, as JSON-RPC says, where Xtext would
     * throw and lsp4j answer {@code InternalError}.
     */
    @Override
    public CompletableFuture<?> request(String method, Object parameter) {
        if (!getExtensionProviders().containsKey(method)) {
            return CompletableFuture.failedFuture(new ResponseErrorException(new ResponseError(
                    ResponseErrorCode.MethodNotFound, "dfk lsp has no method " + method
                            + "; docs/lsp-extensions.md lists the dfk/ requests", null)));
        }
        return super.request(method, parameter);
    }

    @Override
    public void cancelProgress(WorkDoneProgressCancelParams params) {
        runs.cancel(params.getToken());
    }

    @Override
    public CompletableFuture<List<InlayHint>> inlayHint(InlayHintParams params) {
        URI uri = getURI(params.getTextDocument());
        return getRequestManager().runRead(cancel -> getWorkspaceManager().doRead(uri,
                (document, resource) -> resource == null ? List.<InlayHint>of()
                        : resource.getResourceServiceProvider().get(DfkInlayHints.class).compute(document, resource,
                                params.getRange(), cancel)));
    }

    @Override
    public CompletableFuture<JsonObject> estimate(DocumentParams params) {
        return analysed(params == null ? null : params.getUri(), (header, result) -> JsonParser
                .parseString(EstimateReport.json(header, result, name -> true, true)).getAsJsonObject());
    }

    @Override
    public CompletableFuture<JsonObject> memoryPlan(DocumentParams params) {
        return analysed(params == null ? null : params.getUri(),
                (header, result) -> JsonParser.parseString(MemoryReport.json(header, result)).getAsJsonObject());
    }

    @Override
    public CompletableFuture<JsonObject> placement(KernelParams params) {
        String name = params == null ? null : params.getKernel();
        return analysed(params == null ? null : params.getUri(), (header, result) -> {
            if (name == null) {
                throw Refusals.invalid("dfk/placement needs a kernel: give \"kernel\" as well as \"uri\"");
            }
            List<Kernel> kernels = result.program().kernels().values().stream()
                    .filter(k -> k.instanceName().equals(name) || k.name().equals(name)).toList();
            if (kernels.isEmpty()) {
                throw Refusals.invalid("no kernel " + name + " in " + params.getUri() + "; its kernels: "
                        + String.join(", ", result.program().kernels().keySet()));
            }
            if (kernels.size() > 1) {
                throw Refusals.invalid("kernel " + name + " has several instances; name one: "
                        + kernels.stream().map(Kernel::instanceName).collect(Collectors.joining(", ")));
            }
            Placement placement = Placer.place(kernels.get(0), result.target());
            JsonObject answer = new JsonObject();
            answer.add("placement", JsonParser.parseString(PlacementReport.json(header, placement, null)));
            answer.addProperty("svg", PlacementSvg.render(placement));
            return answer;
        });
    }

    @Override
    public CompletableFuture<JsonObject> run(RunParams params) {
        if (params == null || params.getUri() == null) {
            return CompletableFuture.failedFuture(Refusals.invalid("dfk/run needs the document's \"uri\""));
        }
        URI uri = getURI(new TextDocumentIdentifier(params.getUri()));
        return runs.start(params, prepared(uri, params, PREPARE_ATTEMPTS));
    }

    /** The program to run, read under the request manager; read again when an edit cancelled the read. */
    private CompletableFuture<EmulatorRuns.Prepared> prepared(URI uri, RunParams params, int attempts) {
        return this.<EmulatorRuns.Prepared>read(cancel -> prepare(uri, params)).handle((ready, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(ready);
            }
            boolean cancelled = failure instanceof CancellationException
                    || failure instanceof CompletionException && failure.getCause() instanceof CancellationException;
            if (attempts > 1 && cancelled) {
                return prepared(uri, params, attempts - 1);
            }
            return CompletableFuture.<EmulatorRuns.Prepared>failedFuture(failure);
        }).thenCompose(f -> f);
    }

    private EmulatorRuns.Prepared prepare(URI uri, RunParams params) {
        String shown = params.getUri();
        if (!getWorkspaceManager().isDocumentOpen(uri)) {
            throw Refusals.invalid(shown + " is not open: send textDocument/didOpen first");
        }
        return getWorkspaceManager().doRead(uri, (Document document, XtextResource resource) -> {
            Program program = resource.getResourceServiceProvider().get(DfkPrograms.class).of(resource).program();
            Optional<Diagnostic> error = background.firstError(uri);
            if (program == null || error.isPresent()) {
                throw Refusals.invalid(shown + " has errors" + error.map(d -> " (line " + (d.getRange().getStart()
                        .getLine() + 1) + ": " + d.getMessage() + ")").orElse("") + "; fix them before running it");
            }
            if (program.schedule().isEmpty()) {
                throw Refusals.invalid(shown + " has no schedule, so there is nothing to run; add a schedule { ... }");
            }
            EmulatorRuns.orchestration(params.getOrchestration());
            int sockets = params.getSockets() != null ? params.getSockets() : program.schedule().get().sockets();
            TargetProfile profile = profile(params.getTarget(), sockets, uri);
            return new EmulatorRuns.Prepared(program, profile, headerFor(uri, profile), folderOf(uri));
        });
    }

    /** The profile {@code dfk run} would pick: the one named, else one socket's or a node's by the schedule. */
    private static TargetProfile profile(String target, int sockets, URI document) {
        if (target == null) {
            return TargetProfiles.load(sockets <= 1 ? TargetSelection.DEFAULT : DfkEditorAnalyses.NODE);
        }
        try {
            Path given = Path.of(target);
            boolean relativeFile = !TargetProfiles.bundledNames().contains(target) && !given.isAbsolute()
                    && document.isFile();
            return TargetProfiles.load(relativeFile
                    ? folderOf(document).resolve(given).toString()
                    : target);
        } catch (ProfileException | java.nio.file.InvalidPathException e) {
            throw Refusals.invalid("\"target\": " + e.getMessage());
        }
    }

    /**
     * Reads the open document {@code uri} and answers with {@code render} applied to its analysis;
     * an error response when the document is not open or its program does not lower.
     */
    private CompletableFuture<JsonObject> analysed(String uri,
            BiFunction<AnalysisHeader, ProgramAnalysis.Result, JsonObject> render) {
        if (uri == null) {
            return CompletableFuture.failedFuture(Refusals.invalid("the request needs the document's \"uri\""));
        }
        URI resourceUri = getURI(new TextDocumentIdentifier(uri));
        return read(cancel -> {
            if (!getWorkspaceManager().isDocumentOpen(resourceUri)) {
                throw Refusals.invalid(uri + " is not open: send textDocument/didOpen first");
            }
            return getWorkspaceManager().doRead(resourceUri, (Document document, XtextResource resource) -> {
                ProgramAnalysis.Result result = resource.getResourceServiceProvider().get(DfkEditorAnalyses.class)
                        .forRequest(resource, cancel);
                if (result == null) {
                    throw Refusals.invalid(uri + " has errors that stop the analysis; fix the reported errors first");
                }
                return JsonValues.finite(render.apply(headerFor(resourceUri, result.target()), result));
            });
        });
    }

    /** The reports' header for the document {@code uri}: its file name, places shown relative to its folder. */
    private static AnalysisHeader headerFor(URI uri, TargetProfile profile) {
        return new AnalysisHeader(ToolInfo.current(), profile, fileOf(uri).getFileName().toString(), folderOf(uri));
    }

    private static Path fileOf(URI uri) {
        return uri.isFile() ? Path.of(uri.toFileString()) : Path.of(uri.lastSegment());
    }

    private static Path folderOf(URI uri) {
        Path folder = fileOf(uri).toAbsolutePath().getParent();
        return folder == null ? Path.of("") : folder;
    }

    /** A build's diagnostics for one file, as Xtext publishes them: the first step of two. */
    private void validated(PublishDiagnosticsParams params) {
        URI uri = uris.toUri(params.getUri());
        Integer version = getWorkspaceManager().isDocumentOpen(uri)
                ? getWorkspaceManager().doRead(uri, (document, resource) -> document.getVersion())
                : null;
        background.validated(uri, params.getUri(), version, params.getDiagnostics());
    }

    /** A client that hands {@code publishDiagnostics} to {@code diagnostics} and everything else to {@code client}. */
    private static LanguageClient withDiagnosticsTo(LanguageClient client,
            java.util.function.Consumer<PublishDiagnosticsParams> diagnostics) {
        return (LanguageClient) Proxy.newProxyInstance(LanguageClient.class.getClassLoader(),
                new Class<?>[] {LanguageClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("publishDiagnostics") && args != null && args.length == 1) {
                        diagnostics.accept((PublishDiagnosticsParams) args[0]);
                        return null;
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The nearest position inside {@code document}: past the last line is its end, past a line's end is that end. */
    private static Position inside(Document document, Position position) {
        int lines = document.getLineCount();
        int line = Math.max(0, position.getLine());
        if (line >= lines) {
            return document.getPosition(document.getContents().length());
        }
        int length = document.getLineContent(line).length();
        return new Position(line, Math.max(0, Math.min(position.getCharacter(), length)));
    }

    private static String text(Range range) {
        return (range.getStart().getLine() + 1) + ":" + (range.getStart().getCharacter() + 1) + "-"
                + (range.getEnd().getLine() + 1) + ":" + (range.getEnd().getCharacter() + 1);
    }

    /** The {@code i}-th command argument as a string (a JSON string, or any value's text), or null. */
    private static String argument(List<Object> arguments, int i) {
        if (i >= arguments.size() || arguments.get(i) == null) {
            return null;
        }
        Object value = arguments.get(i);
        if (value instanceof JsonPrimitive p) {
            return p.getAsString();
        }
        return value instanceof JsonElement e ? (e.isJsonNull() ? null : e.toString()) : value.toString();
    }

    /** {@code dfk.run}'s third argument, when given: an object of {@code dfk/run}'s options. */
    private static RunParams runOptions(List<Object> arguments) {
        if (arguments.size() > 2 && arguments.get(2) instanceof JsonObject options) {
            try {
                return new com.google.gson.Gson().fromJson(options, RunParams.class);
            } catch (RuntimeException e) {
                throw Refusals.invalid("dfk.run's options (its third argument) are not dfk/run's parameters: "
                        + e.getMessage());
            }
        }
        return new RunParams();
    }

    /** {@code answer} as a command's answer; cancelling the command cancels it. */
    private static CompletableFuture<Object> widened(CompletableFuture<JsonObject> answer) {
        return linked(answer, value -> value);
    }

    /** A refusal of a read: the error response it answers with. */
    private record Refused(ResponseErrorException error) {
    }

    /**
     * Runs {@code body} as a read of Xtext's request manager. A refusal it throws (an error response
     * for the client) becomes the answer's error without passing through the request manager, which
     * would log it as a server failure; cancelling the answer cancels the read.
     */
    private <T> CompletableFuture<T> read(Function1<? super CancelIndicator, ? extends T> body) {
        CompletableFuture<Object> read = getRequestManager().runRead(cancel -> {
            try {
                return body.apply(cancel);
            } catch (ResponseErrorException e) {
                return new Refused(e);
            }
        });
        return linked(read, value -> {
            if (value instanceof Refused refused) {
                throw refused.error();
            }
            @SuppressWarnings("unchecked")
            T result = (T) value;
            return result;
        });
    }

    /**
     * A future that completes as {@code source} does, with {@code map} applied to its value (an
     * exception {@code map} throws is the failure), and whose cancellation cancels {@code source}.
     */
    private static <S, T> CompletableFuture<T> linked(CompletableFuture<S> source, Function<? super S, ? extends T> map) {
        CompletableFuture<T> target = new CompletableFuture<>();
        source.whenComplete((value, failure) -> {
            if (failure != null) {
                target.completeExceptionally(failure instanceof CompletionException ? failure.getCause() : failure);
                return;
            }
            try {
                target.complete(map.apply(value));
            } catch (RuntimeException e) {
                target.completeExceptionally(e);
            }
        });
        target.whenComplete((value, failure) -> {
            if (target.isCancelled()) {
                source.cancel(true);
            }
        });
        return target;
    }
}
