package io.rdustudio.dfk.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.dfk.tests.DfkTester;
import io.rdustudio.emulator.Emulation;
import io.rdustudio.emulator.report.RunReport;

/**
 * The HTML run report of a small program, held by a reviewed snapshot
 * ({@code src/test/resources/golden/run-report.html}, regenerated with {@code -Dgolden.update=true}),
 * and checked to reference nothing outside itself.
 */
class RunReportTest {

    /** Two kernels, a loop of eight layers, an embedding table kept in DDR. */
    private static final String PROGRAM = """
            let T = 512
            let D = 1024
            let L = 8
            input tokens: int32[T]
            weight table: bf16[32000, D] @ddr
            weight w: bf16[L, D, D]
            output y: bf16[T, D]
            kernel embed(ids: int32[T], e: bf16[32000, D]) -> (x: bf16[T, D]) { x = embedding(e, ids) }
            kernel layer(a: bf16[T, D], b: bf16[D, D]) -> (c: bf16[T, D]) { c = silu(matmul(a, b)) + a }
            schedule with orchestration = hardware {
              y = embed(tokens, table)
              for l in 0..L { y = layer(y, w[l]) }
            }
            """;

    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "run-report.html");

    private static Emulation.Report report() {
        Program program = DfkTester.of(PROGRAM).lowered().program();
        return Emulation.run(program, TargetProfiles.load("sn40l"), Emulation.Options.DEFAULT.withTimingOnly(true)
                .withReportInResult(true).withLabels(new Emulation.Labels("report.dfk", "dfk (test)")), () -> false,
                Emulation.Progress.NONE).report().orElseThrow();
    }

    @Test
    void theReportMatchesItsSnapshot() throws IOException {
        String html = report().html();
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, html, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(GOLDEN), "no snapshot yet: run with -Dgolden.update=true and review " + GOLDEN);
        assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), html,
                "the report changed: if intended, run with -Dgolden.update=true and review the diff of " + GOLDEN);
        assertEquals(html, report().html(), "the same run gives the same bytes");
    }

    @Test
    void theReportHasEverySectionAndEveryKernel() {
        Emulation.Report r = report();
        String html = r.html();
        for (String id : List.of("summary", "roofline", "timeline", "placement", "memory")) {
            assertTrue(html.contains("<section id=\"" + id + "\">"), id);
        }
        assertTrue(html.contains("class=\"chart roofline\"") && html.contains("class=\"chart timeline\"")
                && html.contains("class=\"chart lifetimes\""), "the three charts");
        assertTrue(html.contains("<title>placement of layer</title>") && html.contains("<title>placement of embed</title>"),
                "a placement map per kernel");
        assertTrue(html.contains(">layer</text>"), "the layer kernel is a labelled point of the roofline");
        assertTrue(html.contains("Not on the chart (no FLOPs, nothing for a log scale): embed"),
                "a gather has no FLOPs to plot");
        assertTrue(html.contains("sha256 " + TargetProfiles.load("sn40l").contentHash()), "the profile's hash");
        RunReport data = r.data();
        assertEquals(2, data.placements().size());
        assertTrue(data.memory().orElseThrow().fits());
        assertEquals(List.of("HBM", "DDR", "host"), data.roofs().memory().stream().map(RunReport.Roof::tier).toList());
    }

    /** Nothing a browser would fetch: no script, no stylesheet or image link, no URL in CSS; only in-page anchors. */
    @Test
    void theReportReferencesNothingOutsideItself() {
        String html = report().html();
        assertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'"), "the browser is told so too");
        assertFalse(Pattern.compile("<script|<link|<img|<iframe|<object|<embed|@import|url\\(", Pattern.CASE_INSENSITIVE)
                .matcher(html).find());
        Matcher refs = Pattern.compile("(?:href|src|xlink:href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
        while (refs.find()) {
            assertTrue(refs.group(1).startsWith("#"), "a reference out of the page: " + refs.group(1));
        }
    }
}
