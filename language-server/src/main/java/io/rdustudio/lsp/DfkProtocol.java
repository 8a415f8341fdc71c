package io.rdustudio.lsp;

import java.util.concurrent.CompletableFuture;

import org.eclipse.lsp4j.WorkDoneProgressParams;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

import com.google.gson.JsonObject;

/**
 * DFK's extensions of the Language Server Protocol, all in one place: the requests
 * {@code dfk/estimate}, {@code dfk/placement}, {@code dfk/memoryPlan} and {@code dfk/run}. Each
 * answers for an open document with the JSON the matching {@code dfk} command prints with
 * {@code --format json}; a document that is not open, or a kernel the program does not have, is an
 * error response ({@code InvalidParams}) and the server keeps serving. Documented with examples in
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

    /**
     * {@code dfk/run}: an emulator run of the document's schedule, reporting {@code $/progress} and
     * cancellable ({@code $/cancelRequest}, or the progress's cancel); answers with the summary
     * {@code dfk run --format json} prints and the report and trace (their paths, or their contents).
     */
    @JsonRequest
    CompletableFuture<JsonObject> run(RunParams params);

    /**
     * Parameters of {@code dfk/run}: the document, and the {@code dfk run} options. Every option may be
     * left out; see {@code docs/lsp-extensions.md} for the defaults.
     */
    final class RunParams implements WorkDoneProgressParams {
        private String uri;
        private String kernel;
        private Boolean timingOnly;
        private String orchestration;
        private Boolean unfused;
        private Integer sockets;
        private String target;
        private Long seed;
        private String outputDirectory;
        private Boolean inline;
        private Either<String, Integer> workDoneToken;

        public RunParams() {
        }

        public RunParams(String uri) {
            this.uri = uri;
        }

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }

        /** The kernel whose code lens started the run: the answer names its emulated figures. */
        public String getKernel() {
            return kernel;
        }

        public void setKernel(String kernel) {
            this.kernel = kernel;
        }

        /**
         * True: time the run only ({@code --timing-only}); false: also execute it on data, an error
         * when that does not fit the server's memory; absent: execute on data when it fits, else time
         * only and say why.
         */
        public Boolean getTimingOnly() {
            return timingOnly;
        }

        public void setTimingOnly(Boolean timingOnly) {
            this.timingOnly = timingOnly;
        }

        /** {@code software} or {@code hardware}; absent: the schedule's. */
        public String getOrchestration() {
            return orchestration;
        }

        public void setOrchestration(String orchestration) {
            this.orchestration = orchestration;
        }

        /** Every operator its own kernel ({@code --unfused}). */
        public Boolean getUnfused() {
            return unfused;
        }

        public void setUnfused(Boolean unfused) {
            this.unfused = unfused;
        }

        /** Run the schedule on this many sockets instead of its own ({@code --sockets}). */
        public Integer getSockets() {
            return sockets;
        }

        public void setSockets(Integer sockets) {
            this.sockets = sockets;
        }

        /** A bundled profile name or a profile file's path ({@code --target}). */
        public String getTarget() {
            return target;
        }

        public void setTarget(String target) {
            this.target = target;
        }

        /** Seed of the generated inputs and weights ({@code --seed}, default 0). */
        public Long getSeed() {
            return seed;
        }

        public void setSeed(Long seed) {
            this.seed = seed;
        }

        /** Where to write the report, the trace and the outputs; absent: a new temporary folder. */
        public String getOutputDirectory() {
            return outputDirectory;
        }

        public void setOutputDirectory(String outputDirectory) {
            this.outputDirectory = outputDirectory;
        }

        /** Answer with the report's and the trace's contents instead of writing files. */
        public Boolean getInline() {
            return inline;
        }

        public void setInline(Boolean inline) {
            this.inline = inline;
        }

        @Override
        public Either<String, Integer> getWorkDoneToken() {
            return workDoneToken;
        }

        @Override
        public void setWorkDoneToken(Either<String, Integer> workDoneToken) {
            this.workDoneToken = workDoneToken;
        }
    }
}
