package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@code dfk run --report} opened in a real browser: headless Chromium ({@code .ci/run} installs it)
 * loads the report from a file, the rendered DOM holds the charts, and Chromium's own network log
 * shows that the page asked for nothing. Chromium makes requests of its own (update checks) that the
 * flags cannot all stop; the page's requests are the ones whose network isolation key is the page's
 * origin, {@code file://}. A page that does load an image shows that the check sees such requests.
 */
class ReportInBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    /** What Chromium made of a page: the serialised DOM, and the URLs the page requested. */
    private record Loaded(String dom, List<String> pageRequests) {
    }

    @Test
    void theReportRendersItsChartsAndRequestsNothing() throws Exception {
        Path report = dir.resolve("decode.html");
        Dfk.Run run = Dfk.run("run", "--timing-only", "--steps", "100", "--vary", "S=3997", "--report", report.toString(),
                "../examples/llama2_7b_decode.dfk").assertNoTrace();
        assertEquals(0, run.exitCode(), run.printed());

        Loaded page = load(report);
        assertEquals(List.of(), page.pageRequests(), "the report fetched something");
        String dom = page.dom();
        for (String chart : List.of("roofline", "timeline", "lifetimes", "steps")) {
            assertTrue(dom.contains("class=\"chart " + chart + "\""), "the " + chart + " chart");
        }
        assertEquals(2, count(dom, "<g class=\"kernel\">"), "decoder_layer and head on the roofline (embed has no FLOPs)");
        for (String kernel : List.of("decoder_layer", "embed", "head")) {
            assertTrue(dom.contains("<title>placement of " + kernel + "</title>"), "the placement map of " + kernel);
            assertTrue(dom.contains(">sockets 0-7 " + kernel + "</text>"), "the timeline track of " + kernel);
        }
        assertTrue(dom.contains("100 steps back to back, S = 3997 to 4096"), "the steps");
        assertTrue(dom.contains("<section id=\"memory\">") && dom.contains("Sockets 0, 1, 2, 3, 4, 5, 6, 7"), "the memory plan");
    }

    /** The image is asked of a loopback port that nothing listens on: refused at once, yet logged. */
    @Test
    void aPageThatLoadsAnImageIsSeenRequestingIt() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/pixel.png";
        Path page = dir.resolve("fetches.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><img src=\"" + url + "\"></body></html>", StandardCharsets.UTF_8);
        assertEquals(List.of(url), load(page).pageRequests());
    }

    /** Opens {@code page} in headless Chromium with a fresh profile and a network log; waits at most two minutes. */
    private Loaded load(Path page) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: install Debian's chromium (.ci/run does)");
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        Path netLog = dir.resolve(page.getFileName() + ".netlog.json");
        Path dom = dir.resolve(page.getFileName() + ".dom.html");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--log-net-log=" + netLog, "--net-log-capture-mode=Everything",
                "--dump-dom", page.toUri().toString())
                .redirectOutput(dom.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not finish loading " + page + " in two minutes");
        }
        assertEquals(0, p.exitValue(), "Chromium's exit status");
        return new Loaded(Files.readString(dom, StandardCharsets.UTF_8), pageRequests(netLog));
    }

    /** URLs of the requests whose network isolation key is a file's: those the page made, not Chromium's own. */
    private static List<String> pageRequests(Path netLog) throws IOException {
        JsonObject log = JsonParser.parseString(Files.readString(netLog, StandardCharsets.UTF_8)).getAsJsonObject();
        int startJob = log.getAsJsonObject("constants").getAsJsonObject("logEventTypes").get("URL_REQUEST_START_JOB")
                .getAsInt();
        List<String> urls = new ArrayList<>();
        for (JsonElement e : log.getAsJsonArray("events")) {
            JsonObject event = e.getAsJsonObject();
            JsonObject params = event.getAsJsonObject("params");
            if (event.get("type").getAsInt() == startJob && params != null && params.has("url")
                    && params.has("network_isolation_key")
                    && params.get("network_isolation_key").getAsString().startsWith("file://")) {
                urls.add(params.get("url").getAsString());
            }
        }
        return urls;
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
