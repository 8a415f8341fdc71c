package io.rdustudio.lsp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.log4j.Logger;
import org.eclipse.lsp4j.ProgressParams;
import org.eclipse.lsp4j.WorkDoneProgressBegin;
import org.eclipse.lsp4j.WorkDoneProgressCreateParams;
import org.eclipse.lsp4j.WorkDoneProgressEnd;
import org.eclipse.lsp4j.WorkDoneProgressNotification;
import org.eclipse.lsp4j.WorkDoneProgressReport;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.rdustudio.core.ir.Orchestration;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.emulator.Emulation;
import io.rdustudio.emulator.EmulationException;
import io.rdustudio.emulator.numeric.NumericException;
import io.rdustudio.report.AnalysisHeader;
import io.rdustudio.report.RunSummary;
import io.rdustudio.report.TimingSummary;
import io.rdustudio.report.ToolInfo;

/**
 * The {@code dfk/run} requests (and the {@code dfk.run} command): emulator runs of programs the
 * server has read, one at a time on a thread of their own, so that a run never holds up an edit
 * (Xtext's request manager would make every edit wait for it) and an edit never cancels a run.
 *
 * <p><b>Progress.</b> With the request's {@code workDoneToken}, or a token the server creates with
 * {@code window/workDoneProgress/create} when the client says it supports that, the run reports
 * {@code $/progress}: begin (cancellable), reports with a percentage, end.
 *
 * <p><b>Cancellation.</b> The answer's future is the run: {@code $/cancelRequest} cancels it (lsp4j
 * then answers {@code RequestCancelled}), and so does {@code window/workDoneProgress/cancel} for its
 * token. The emulator polls the flag between calls and operations and stops; nothing is written for
 * a cancelled run.
 */
final class EmulatorRuns {

    private static final Logger LOG = Logger.getLogger(EmulatorRuns.class);

    static final String REPORT = "report.html";
    static final String TRACE = "trace.json";

    /**
     * A program read from an open document and ready to run.
     *
     * @param header  the header of the summary (tool, profile, file)
     * @param folder  the document's folder, against which a relative output directory resolves
     */
    record Prepared(Program program, TargetProfile profile, AnalysisHeader header, Path folder) {
    }

    private final ExecutorService runner = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "dfk-emulator-run");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, CompletableFuture<JsonObject>> byToken = new ConcurrentHashMap<>();
    private final AtomicInteger tokens = new AtomicInteger();
    private final LanguageClient client;
    private final boolean clientCreatesProgress;

    /** @param clientCreatesProgress the client accepts {@code window/workDoneProgress/create} */
    EmulatorRuns(LanguageClient client, boolean clientCreatesProgress) {
        this.client = client;
        this.clientCreatesProgress = clientCreatesProgress;
    }

    /**
     * Runs what {@code prepared} yields (an error response when it fails) and answers with the
     * summary, the report and the trace.
     */
    CompletableFuture<JsonObject> start(DfkProtocol.RunParams params, CompletableFuture<Prepared> prepared) {
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        prepared.whenCompleteAsync((ready, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure instanceof java.util.concurrent.CompletionException
                        ? failure.getCause() : failure);
                return;
            }
            if (answer.isDone()) {
                return;
            }
            Progress progress = progress(params, answer, ready);
            try {
                JsonObject result = execute(params, ready, answer::isCancelled, progress);
                progress.end("done: " + TimingSummary.seconds(result.getAsJsonObject("summary")
                        .getAsJsonObject("timing").get("totalSeconds").getAsDouble()) + " emulated");
                answer.complete(JsonValues.finite(result));
            } catch (CancellationException e) {
                progress.end("cancelled");
                answer.cancel(true);
            } catch (ResponseErrorException e) {
                progress.end(e.getMessage());
                answer.completeExceptionally(e);
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                LOG.error("the emulator run of " + ready.header().jsonRoot("run").get("file") + " failed", e);
                progress.end("failed");
                answer.completeExceptionally(Refusals.failed("the emulator failed on this program (" + e + "); please report"
                        + " this with the file"));
            } finally {
                progress.forget();
            }
        }, runner);
        return answer;
    }

    /** {@code window/workDoneProgress/cancel}: cancels the run that reports under {@code token}. */
    void cancel(Either<String, Integer> token) {
        CompletableFuture<JsonObject> run = token == null ? null : byToken.get(key(token));
        if (run != null) {
            run.cancel(true);
        }
    }

    private JsonObject execute(DfkProtocol.RunParams params, Prepared ready, BooleanSupplier cancelled,
            Progress progress) {
        boolean inline = Boolean.TRUE.equals(params.getInline());
        Path folder = inline ? null : outputFolder(params, ready);
        Emulation.Options options = options(params, ready, folder);
        String numericSkipped = null;
        Emulation.Result run;
        try {
            try {
                run = emulate(ready, options, cancelled, progress);
            } catch (NumericException e) {
                if (params.getTimingOnly() != null) {
                    throw Refusals.failed(e.getMessage());
                }
                numericSkipped = e.getMessage();
                run = emulate(ready, options.withTimingOnly(true), cancelled, progress);
            }
        } catch (RuntimeException e) {
            if (folder != null && params.getOutputDirectory() == null) {
                deleteIfEmpty(folder);
            }
            throw e;
        }
        Optional<Path> outputs = run.numeric().isPresent() && folder != null ? Optional.of(folder.resolve("outputs"))
                : Optional.empty();
        JsonObject answer = new JsonObject();
        answer.add("summary", RunSummary.json(ready.header(), run, options.seed(), outputs));
        if (numericSkipped != null) {
            answer.addProperty("numericSkipped", numericSkipped);
        }
        if (params.getKernel() != null) {
            answer.addProperty("kernel", params.getKernel());
            answer.add("kernelTiming", kernelTiming(answer.getAsJsonObject("summary"), params.getKernel()));
        }
        if (inline) {
            answer.add("report", file(null, "html", run.report().map(Emulation.Report::html).orElse("")));
            answer.add("trace", file(null, "chrome-trace", run.trace().orElse("")));
        } else {
            answer.add("report", file(folder.resolve(REPORT), "html", null));
            answer.add("trace", file(folder.resolve(TRACE), "chrome-trace", null));
            answer.addProperty("outputDirectory", folder.toString());
        }
        return answer;
    }

    /**
     * The one place the server calls the emulator ({@link Emulation#run}, the contract {@code dfk run}
     * uses too); a user's mistake in the options is the request's error.
     */
    private static Emulation.Result emulate(Prepared ready, Emulation.Options options, BooleanSupplier cancelled,
            Progress progress) {
        try {
            return Emulation.run(ready.program(), ready.profile(), options, cancelled, progress::report);
        } catch (EmulationException e) {
            throw Refusals.invalid(e.getMessage());
        }
    }

    /** {@code dfk run}'s options from the request's; files go into {@code folder}, or into the answer when null. */
    private static Emulation.Options options(DfkProtocol.RunParams params, Prepared ready, Path folder) {
        ToolInfo tool = ToolInfo.current();
        Emulation.Options o = Emulation.Options.DEFAULT.withTimingOnly(Boolean.TRUE.equals(params.getTimingOnly()))
                .withUnfused(Boolean.TRUE.equals(params.getUnfused()))
                .withSeed(params.getSeed() == null ? 0 : params.getSeed())
                .withLabels(new Emulation.Labels(ready.header().jsonRoot("run").get("file").getAsString(),
                        tool.name() + " " + tool.version()));
        Optional<Orchestration> orchestration = orchestration(params.getOrchestration());
        if (orchestration.isPresent()) {
            o = o.withOrchestration(orchestration.get());
        }
        if (params.getSockets() != null) {
            o = o.withSockets(params.getSockets());
        }
        if (folder == null) {
            return o.withTraceInResult(true).withReportInResult(true);
        }
        return o.withTraceFile(folder.resolve(TRACE)).withReportFile(folder.resolve(REPORT))
                .withOutDirectory(folder.resolve("outputs"));
    }

    static Optional<Orchestration> orchestration(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Orchestration o : Orchestration.values()) {
            if (o.name().equalsIgnoreCase(name)) {
                return Optional.of(o);
            }
        }
        throw Refusals.invalid("\"orchestration\" is software or hardware, not " + name);
    }

    private static JsonArray kernelTiming(JsonObject summary, String kernel) {
        JsonArray mine = new JsonArray();
        for (JsonElement k : summary.getAsJsonObject("timing").getAsJsonArray("kernels")) {
            String name = k.getAsJsonObject().get("kernel").getAsString();
            if (name.equals(kernel) || name.startsWith(kernel + "<") || name.startsWith(kernel + ".")) {
                mine.add(k);
            }
        }
        return mine;
    }

    private static Path outputFolder(DfkProtocol.RunParams params, Prepared ready) {
        try {
            if (params.getOutputDirectory() != null) {
                Path given = Path.of(params.getOutputDirectory());
                return (given.isAbsolute() ? given : ready.folder().resolve(given)).normalize();
            }
            Path runs = Path.of(System.getProperty("java.io.tmpdir"), "dfk-runs");
            Files.createDirectories(runs);
            String file = ready.header().jsonRoot("run").get("file").getAsString().replaceAll("\\.dfk$", "");
            return Files.createTempDirectory(runs, file.replaceAll("[^A-Za-z0-9._-]", "_") + "-");
        } catch (InvalidPathException e) {
            throw Refusals.invalid("\"outputDirectory\" is not a path: " + e.getMessage());
        } catch (IOException e) {
            throw Refusals.failed("cannot create a folder for the run's files (" + e.getMessage()
                    + "); give an \"outputDirectory\", or \"inline\": true");
        }
    }

    /** The temporary folder made for a run that wrote nothing (cancelled, failed) goes again. */
    private static void deleteIfEmpty(Path folder) {
        try (var entries = Files.list(folder)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(folder);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the empty run folder " + folder + ": " + e.getMessage());
        }
    }

    private static JsonObject file(Path path, String format, String content) {
        JsonObject f = new JsonObject();
        f.addProperty("format", format);
        if (path != null) {
            f.addProperty("path", path.toString());
        } else {
            f.addProperty("content", content);
        }
        return f;
    }

    private Progress progress(DfkProtocol.RunParams params, CompletableFuture<JsonObject> run, Prepared ready) {
        Either<String, Integer> token = params.getWorkDoneToken();
        if (token == null && clientCreatesProgress) {
            Either<String, Integer> created = Either.forLeft("dfk-run-" + tokens.incrementAndGet());
            try {
                client.createProgress(new WorkDoneProgressCreateParams(created)).get(10, TimeUnit.SECONDS);
                token = created;
            } catch (Exception e) {
                LOG.warn("the client did not create a progress token (" + e + "); the run reports no progress");
            }
        }
        if (token == null) {
            return new Progress(null, null);
        }
        byToken.put(key(token), run);
        Progress progress = new Progress(token, key(token));
        WorkDoneProgressBegin begin = new WorkDoneProgressBegin();
        begin.setTitle("Emulating " + ready.header().jsonRoot("run").get("file").getAsString());
        begin.setCancellable(true);
        begin.setPercentage(0);
        begin.setMessage(Emulation.PHASE_TIMING);
        progress.send(begin);
        return progress;
    }

    private static String key(Either<String, Integer> token) {
        return token.isLeft() ? "s:" + token.getLeft() : "n:" + token.getRight();
    }

    /** The run's {@code $/progress}: at most one report per percent (or when the message changes). */
    private final class Progress {
        private final Either<String, Integer> token;
        private final String key;
        private int lastPercent = 0;
        private String lastMessage = Emulation.PHASE_TIMING;

        Progress(Either<String, Integer> token, String key) {
            this.token = token;
            this.key = key;
        }

        void report(String phase, double fraction) {
            int percent = (int) Math.max(0, Math.min(100, Math.floor(100 * fraction)));
            if (token == null || percent == lastPercent && phase.equals(lastMessage)) {
                return;
            }
            lastPercent = percent;
            lastMessage = phase;
            WorkDoneProgressReport report = new WorkDoneProgressReport();
            report.setPercentage(percent);
            report.setMessage(phase);
            report.setCancellable(true);
            send(report);
        }

        void end(String message) {
            if (token != null) {
                WorkDoneProgressEnd end = new WorkDoneProgressEnd();
                end.setMessage(message);
                send(end);
            }
        }

        void forget() {
            if (key != null) {
                byToken.remove(key);
            }
        }

        private void send(WorkDoneProgressNotification value) {
            client.notifyProgress(new ProgressParams(token, Either.forLeft(value)));
        }
    }
}
