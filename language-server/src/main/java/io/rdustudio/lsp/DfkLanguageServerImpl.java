package io.rdustudio.lsp;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import org.eclipse.emf.common.util.URI;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InlayHint;
import org.eclipse.lsp4j.InlayHintParams;
import org.eclipse.lsp4j.SemanticTokens;
import org.eclipse.lsp4j.SemanticTokensLegend;
import org.eclipse.lsp4j.SemanticTokensParams;
import org.eclipse.lsp4j.SemanticTokensWithRegistrationOptions;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.LanguageServerImpl;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.rdustudio.core.analysis.ProgramAnalysis;
import io.rdustudio.core.analysis.placement.Placement;
import io.rdustudio.core.analysis.placement.PlacementSvg;
import io.rdustudio.core.analysis.placement.Placer;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.dfk.lowering.DfkEditorAnalyses;
import io.rdustudio.dfk.ide.DfkInlayHints;
import io.rdustudio.ide.SemanticTokenLegend;
import io.rdustudio.ide.SemanticTokensProvider;
import io.rdustudio.report.AnalysisHeader;
import io.rdustudio.report.EstimateReport;
import io.rdustudio.report.MemoryReport;
import io.rdustudio.report.PlacementReport;
import io.rdustudio.report.ToolInfo;

/**
 * Xtext's generic language server plus what it lacks for DFK: inlay hints (Xtext 2.40 has no
 * service for them), semantic tokens with a legend of LSP types and DFK modifiers, and the
 * {@link DfkProtocol} requests. Each request is one hop: read the open
 * document under Xtext's request manager (so it sees one document version and is cancelled like
 * any other read), take the analysis cached for that version, render it with the CLI's report
 * renderers.
 */
public class DfkLanguageServerImpl extends LanguageServerImpl implements DfkProtocol {

    @Override
    protected ServerCapabilities createServerCapabilities(InitializeParams params) {
        ServerCapabilities capabilities = super.createServerCapabilities(params);
        capabilities.setInlayHintProvider(true);
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

    @Override
    public CompletableFuture<List<InlayHint>> inlayHint(InlayHintParams params) {
        URI uri = getURI(params.getTextDocument());
        return getRequestManager().runRead(cancel -> getWorkspaceManager().doRead(uri,
                (document, resource) -> resource == null ? List.<InlayHint>of()
                        : resource.getResourceServiceProvider().get(DfkInlayHints.class).compute(document, resource,
                                params.getRange())));
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
                throw invalid("dfk/placement needs a kernel: give \"kernel\" as well as \"uri\"");
            }
            List<Kernel> kernels = result.program().kernels().values().stream()
                    .filter(k -> k.instanceName().equals(name) || k.name().equals(name)).toList();
            if (kernels.isEmpty()) {
                throw invalid("no kernel " + name + " in " + params.getUri() + "; its kernels: "
                        + String.join(", ", result.program().kernels().keySet()));
            }
            if (kernels.size() > 1) {
                throw invalid("kernel " + name + " has several instances; name one: "
                        + kernels.stream().map(Kernel::instanceName).collect(Collectors.joining(", ")));
            }
            Placement placement = Placer.place(kernels.get(0), result.target());
            JsonObject answer = new JsonObject();
            answer.add("placement", JsonParser.parseString(PlacementReport.json(header, placement, null)));
            answer.addProperty("svg", PlacementSvg.render(placement));
            return answer;
        });
    }

    /**
     * Reads the open document {@code uri} and answers with {@code render} applied to its analysis;
     * an error response when the document is not open or its program does not lower.
     */
    private CompletableFuture<JsonObject> analysed(String uri,
            BiFunction<AnalysisHeader, ProgramAnalysis.Result, JsonObject> render) {
        if (uri == null) {
            return CompletableFuture.failedFuture(invalid("the request needs the document's \"uri\""));
        }
        URI resourceUri = getURI(new org.eclipse.lsp4j.TextDocumentIdentifier(uri));
        return getRequestManager().runRead(cancel -> {
            if (!getWorkspaceManager().isDocumentOpen(resourceUri)) {
                throw invalid(uri + " is not open: send textDocument/didOpen first");
            }
            return getWorkspaceManager().doRead(resourceUri, (Document document, XtextResource resource) -> {
                ProgramAnalysis.Result result = resource.getResourceServiceProvider().get(DfkEditorAnalyses.class)
                        .of(resource);
                if (result == null) {
                    throw invalid(uri + " has errors that stop the analysis; fix the reported errors first");
                }
                return render.apply(headerFor(resourceUri, result), result);
            });
        });
    }

    private static AnalysisHeader headerFor(URI uri, ProgramAnalysis.Result result) {
        Path file = uri.isFile() ? Path.of(uri.toFileString()) : Path.of(uri.lastSegment());
        Path folder = file.toAbsolutePath().getParent();
        return new AnalysisHeader(ToolInfo.current(), result.target(), file.getFileName().toString(),
                folder == null ? Path.of("") : folder);
    }

    private static ResponseErrorException invalid(String message) {
        return new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams, message, null));
    }
}
