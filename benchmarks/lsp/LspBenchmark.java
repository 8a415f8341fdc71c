// Speed and memory of `dfk lsp` with a real client over stdio (issue 5). Run it with
// benchmarks/lsp-benchmark.sh, which builds the jar, generates the 2,000-line program and starts:
//   java -cp language-server/target/dfk.jar benchmarks/lsp/LspBenchmark.java ROOT PROGRAM EDITS
// (a single-file source program; lsp4j and gson come from the dfk jar). It starts the server as a
// user's editor does (./dfk lsp) and measures, side by side in one run:
//   1. start to first diagnostics, for each example opened right after initialize (fresh servers);
//   2. on the 2,000-line program: edit to the first diagnostics (syntax, linking, shapes) and to
//      the analysis's hints of the same version; hover; completion;
//   3. the server's heap in use after a full GC (jcmd GC.run, then GC.heap_info) every 100 edits.
// DFK_LSP_COMMAND replaces ./dfk lsp (for instance a java command line with a profiler's options).
// Targets: first diagnostics < 2.5 s; edit to first diagnostics < 150 ms at the 95th percentile,
// hints within 500 ms after; hover < 30 ms; completion < 50 ms; heap < 300 MB, not growing.

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

public class LspBenchmark {

    /** Edits before the measured ones: the server's JIT compiles the build's hot code meanwhile. */
    static final int WARM_UP = 100;

    /** A publication and when it arrived. */
    record Published(long nanos, PublishDiagnosticsParams params) {
    }

    /** The client side: records publications with their arrival time. */
    static final class Client implements LanguageClient {
        final BlockingQueue<Published> diagnostics = new LinkedBlockingQueue<>();

        @Override
        public void publishDiagnostics(PublishDiagnosticsParams params) {
            diagnostics.add(new Published(System.nanoTime(), params));
        }

        @Override
        public void telemetryEvent(Object object) {
        }

        @Override
        public void showMessage(MessageParams message) {
        }

        @Override
        public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams request) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void logMessage(MessageParams message) {
        }

        /** Waits for a publication of {@code uri} with {@code version}; null after 60 s. */
        Published await(String uri, Integer version) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                Published p = diagnostics.poll(100, TimeUnit.MILLISECONDS);
                if (p != null && p.params().getUri().equals(uri)
                        && (version == null || version.equals(p.params().getVersion()))) {
                    return p;
                }
            }
            return null;
        }
    }

    /** A running server and the client talking to it. */
    static final class Session implements AutoCloseable {
        final Process process;
        final long started;
        final long initialized;
        final Client client = new Client();
        final LanguageServer server;

        Session(Path root, Path dfk) throws Exception {
            started = System.nanoTime();
            process = new ProcessBuilder(serverCommand(dfk)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, process.getInputStream(),
                    process.getOutputStream());
            launcher.startListening();
            server = launcher.getRemoteProxy();
            InitializeParams init = new InitializeParams();
            init.setProcessId((int) ProcessHandle.current().pid());
            init.setRootUri(root.toUri().toString());
            init.setWorkspaceFolders(List.of(new WorkspaceFolder(root.toUri().toString(), "ws")));
            init.setCapabilities(new ClientCapabilities());
            server.initialize(init).get(60, TimeUnit.SECONDS);
            initialized = System.nanoTime();
            server.initialized(new InitializedParams());
        }

        void open(String uri, String text) {
            server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "dfk", 1, text)));
        }

        @Override
        public void close() throws Exception {
            server.shutdown().get(30, TimeUnit.SECONDS);
            server.exit();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** {@code ./dfk lsp}, or the command in DFK_LSP_COMMAND (words split at spaces; to profile the server, say). */
    static List<String> serverCommand(Path dfk) {
        String given = System.getenv("DFK_LSP_COMMAND");
        return given == null || given.isBlank() ? List.of(dfk.toString(), "lsp") : List.of(given.trim().split(" +"));
    }

    public static void main(String[] args) throws Exception {
        Path examples = Path.of(args[0]).toAbsolutePath().normalize();
        Path program = Path.of(args[1]).toAbsolutePath().normalize();
        int edits = Integer.parseInt(args[2]);
        Path dfk = examples.getParent().resolve("dfk");
        System.out.println("dfk lsp benchmark, " + edits + " edits; load average before: " + loadAverage());

        startToFirstDiagnostics(examples, dfk);
        editsHoverCompletionHeap(program, dfk, edits);
        System.out.println("load average after: " + loadAverage());
    }

    /** One fresh server per example: from starting the process to the diagnostics of the opened file. */
    static void startToFirstDiagnostics(Path examples, Path dfk) throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(examples)) {
            files = list.filter(f -> f.toString().endsWith(".dfk")).sorted().toList();
        }
        List<Double> all = new ArrayList<>();
        List<Double> opened = new ArrayList<>();
        System.out.println("  from starting ./dfk lsp to: initialize answered, the file's first diagnostics, those of the opened version");
        for (Path file : files) {
            try (Session s = new Session(examples, dfk)) {
                String uri = file.toUri().toString();
                s.open(uri, Files.readString(file));
                Published first = s.client.await(uri, null);
                Published ofOpened = Integer.valueOf(1).equals(first.params().getVersion()) ? first : s.client.await(uri, 1);
                double ms = (first.nanos() - s.started) / 1e6;
                all.add(ms);
                opened.add((ofOpened.nanos() - s.started) / 1e6);
                System.out.printf(Locale.ROOT, "  %-26s %7.0f ms %7.0f ms %7.0f ms%n", file.getFileName(),
                        (s.initialized - s.started) / 1e6, ms, opened.get(opened.size() - 1));
            }
        }
        System.out.printf(Locale.ROOT, "start to first diagnostics over %d examples: median %.0f ms, max %.0f ms (target < 2500 ms);"
                + " of the opened version: median %.0f ms, max %.0f ms%n", all.size(), percentile(all, 50),
                percentile(all, 100), percentile(opened, 50), percentile(opened, 100));
    }

    static void editsHoverCompletionHeap(Path program, Path dfk, int edits) throws Exception {
        String text = Files.readString(program);
        List<String> lines = List.of(text.split("\n", -1));
        String uri = program.toUri().toString();
        try (Session s = new Session(program.getParent(), dfk)) {
            s.open(uri, text);
            s.client.await(uri, 1);
            s.client.await(uri, 1); // the hints of the opened version
            // each edit rewrites the constant of one attention kernel's score scaling, a line deep inside the file
            List<Integer> scaled = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("* 0.03125")) {
                    scaled.add(i);
                }
            }
            List<Double> first = new ArrayList<>();
            List<Double> hints = new ArrayList<>();
            List<Double> coldFirst = new ArrayList<>();
            List<Double> heap = new ArrayList<>();
            double cpuBefore = 0;
            long wallBefore = 0;
            for (int e = 1; e <= WARM_UP + edits; e++) {
                if (e == WARM_UP + 1) {
                    heap.add(usedHeapAfterGc(s.process.pid()));
                    cpuBefore = cpuSeconds(s.process.pid());
                    wallBefore = System.nanoTime();
                }
                int line = scaled.get(e % scaled.size());
                int at = text.split("\n", -1)[line].indexOf("0.03125");
                String value = "0.0312" + (e % 10); // as long as 0.03125, so the columns stay
                int version = e + 1;
                long sent = System.nanoTime();
                s.server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                        new VersionedTextDocumentIdentifier(uri, version), List.of(new TextDocumentContentChangeEvent(
                                new Range(new Position(line, at), new Position(line, at + 7)), value))));
                Published p1 = s.client.await(uri, version);
                Published p2 = s.client.await(uri, version);
                lines = replaced(lines, line, at, value);
                if (e <= WARM_UP) {
                    coldFirst.add((p1.nanos() - sent) / 1e6);
                    continue;
                }
                first.add((p1.nanos() - sent) / 1e6);
                hints.add((p2.nanos() - p1.nanos()) / 1e6);
                if ((e - WARM_UP) % 100 == 0) {
                    heap.add(usedHeapAfterGc(s.process.pid()));
                }
            }
            System.out.printf(Locale.ROOT, "2,000-line file, the first %d edits (the JIT compiling meanwhile): edit to first diagnostics p50 %.0f ms, p95 %.0f ms%n",
                    WARM_UP, percentile(coldFirst, 50), percentile(coldFirst, 95));
            double cpuPerEdit = (cpuSeconds(s.process.pid()) - cpuBefore) * 1000 / edits;
            double wallPerEdit = (System.nanoTime() - wallBefore) / 1e6 / edits;
            System.out.printf(Locale.ROOT, "2,000-line file, the next %d edits: edit to first diagnostics p50 %.0f ms, p95 %.0f ms, max %.0f ms (target p95 < 150 ms)%n",
                    edits, percentile(first, 50), percentile(first, 95), percentile(first, 100));
            System.out.printf(Locale.ROOT, "  the server's CPU per edit (build, analysis, GC, all threads; every 100th edit a full GC): %.0f ms of %.0f ms wall%n",
                    cpuPerEdit, wallPerEdit);
            System.out.printf(Locale.ROOT, "  then the analysis's hints: p50 %.0f ms, p95 %.0f ms, max %.0f ms later (target < 500 ms)%n",
                    percentile(hints, 50), percentile(hints, 95), percentile(hints, 100));

            // typing: bursts of keystrokes 25 ms apart, each cancelling the build and analysis before it
            List<Double> burstFirst = new ArrayList<>();
            List<Double> burstHints = new ArrayList<>();
            int version = WARM_UP + edits + 1;
            for (int burst = 0; burst < 20; burst++) {
                long sent = 0;
                for (int key = 0; key < 8; key++) {
                    int line = scaled.get((burst * 8 + key) % scaled.size());
                    int at = text.split("\n", -1)[line].indexOf("0.03125");
                    String value = "0.0312" + (key + 2);
                    version++;
                    sent = System.nanoTime();
                    s.server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                            new VersionedTextDocumentIdentifier(uri, version), List.of(new TextDocumentContentChangeEvent(
                                    new Range(new Position(line, at), new Position(line, at + 7)), value))));
                    lines = replaced(lines, line, at, value);
                    Thread.sleep(25);
                }
                Published p1 = s.client.await(uri, version);
                Published p2 = s.client.await(uri, version);
                burstFirst.add((p1.nanos() - sent) / 1e6);
                burstHints.add((p2.nanos() - p1.nanos()) / 1e6);
            }
            System.out.printf(Locale.ROOT, "typing (20 bursts of 8 edits 25 ms apart): last edit to first diagnostics p50 %.0f ms, p95 %.0f ms;"
                    + " hints p50 %.0f ms, p95 %.0f ms later%n", percentile(burstFirst, 50), percentile(burstFirst, 95),
                    percentile(burstHints, 50), percentile(burstHints, 95));

            TextDocumentIdentifier id = new TextDocumentIdentifier(uri);
            int kernelLine = lines.indexOf(lines.stream().filter(l -> l.startsWith("kernel attention")).skip(20).findFirst().get());
            List<Double> hover = new ArrayList<>();
            List<Double> completion = new ArrayList<>();
            int items = 0;
            for (int i = 0; i < 200; i++) {
                long t = System.nanoTime();
                s.server.getTextDocumentService().hover(new HoverParams(id, new Position(kernelLine, 10))).get(30, TimeUnit.SECONDS);
                hover.add((System.nanoTime() - t) / 1e6);
                int bodyLine = kernelLine + 4;
                t = System.nanoTime();
                var answer = s.server.getTextDocumentService().completion(new CompletionParams(id,
                        new Position(bodyLine, lines.get(bodyLine).indexOf("matmul(") + 7))).get(30, TimeUnit.SECONDS);
                completion.add((System.nanoTime() - t) / 1e6);
                items = answer.isRight() ? answer.getRight().getItems().size() : answer.getLeft().size();
            }
            System.out.printf(Locale.ROOT, "hover (200, on a kernel name): p50 %.1f ms, p95 %.1f ms (target < 30 ms)%n",
                    percentile(hover, 50), percentile(hover, 95));
            System.out.printf(Locale.ROOT, "completion (200, after 'matmul('): p50 %.1f ms, p95 %.1f ms, %d items (target < 50 ms)%n",
                    percentile(completion, 50), percentile(completion, 95), items);
            StringBuilder h = new StringBuilder();
            for (int i = 0; i < heap.size(); i++) {
                h.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", heap.get(i)));
            }
            System.out.printf(Locale.ROOT, "heap in use after a full GC, after the warm-up and every 100 edits to %d (MB): %s (target < 300 MB, flat)%n",
                    edits, h);
        }
    }

    private static List<String> replaced(List<String> lines, int line, int at, String value) {
        List<String> copy = new ArrayList<>(lines);
        String old = copy.get(line);
        copy.set(line, old.substring(0, at) + value + old.substring(at + 7));
        return copy;
    }

    /** The server's heap in use, in MB, after a full collection: jcmd GC.run, then GC.heap_info. */
    static double usedHeapAfterGc(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        run(jcmd.toString(), Long.toString(pid), "GC.run");
        String info = run(jcmd.toString(), Long.toString(pid), "GC.heap_info");
        // one line per heap (G1) or per generation (Serial, Parallel); Metaspace is reported apart
        Matcher used = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
        long kilobytes = 0;
        boolean found = false;
        while (used.find()) {
            kilobytes += Long.parseLong(used.group(2));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("no heap figure in jcmd's answer: " + info);
        }
        return kilobytes / 1024.0;
    }

    /** User and system CPU seconds of a process so far, from /proc (Linux). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime, stime in clock ticks
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
