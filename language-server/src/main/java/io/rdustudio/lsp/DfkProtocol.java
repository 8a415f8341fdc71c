package io.rdustudio.lsp;

import java.util.concurrent.CompletableFuture;

import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

import com.google.gson.JsonObject;

/**
 * DFK's extensions of the Language Server Protocol, all in one place: the requests
 * {@code dfk/estimate}, {@code dfk/placement} and {@code dfk/memoryPlan}. Each answers for an open
 * document with the JSON the matching {@code dfk} command prints with {@code --format json}; a
 * document that is not open, or a kernel the program does not have, is an error response
 * ({@code InvalidParams}) and the server keeps serving. Documented with examples in
 * {@code docs/lsp-extensions.md}.
 */
@JsonSegment("dfk")
public interface DfkProtocol {

    /** Parameters naming an open document. */
    final class DocumentParams {
        private String uri;

        public DocumentParams() {
        }

        public DocumentParams(String uri) {
            this.uri = uri;
        }

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }
    }

    /** Parameters naming an open document and one kernel (or kernel instance) of its program. */
    final class KernelParams {
        private String uri;
        private String kernel;

        public KernelParams() {
        }

        public KernelParams(String uri, String kernel) {
            this.uri = uri;
            this.kernel = kernel;
        }

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }

        public String getKernel() {
            return kernel;
        }

        public void setKernel(String kernel) {
            this.kernel = kernel;
        }
    }

    /** {@code dfk/estimate}: what {@code dfk estimate --fusion --format json} prints for the document. */
    @JsonRequest
    CompletableFuture<JsonObject> estimate(DocumentParams params);

    /**
     * {@code dfk/placement}: {@code {"placement": <dfk place --format json>, "svg": "<svg ...>"}} for
     * one kernel of the document.
     */
    @JsonRequest
    CompletableFuture<JsonObject> placement(KernelParams params);

    /** {@code dfk/memoryPlan}: what {@code dfk memory --format json} prints for the document. */
    @JsonRequest
    CompletableFuture<JsonObject> memoryPlan(DocumentParams params);
}
