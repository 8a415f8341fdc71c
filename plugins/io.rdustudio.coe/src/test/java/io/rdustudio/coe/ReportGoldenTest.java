package io.rdustudio.coe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertMix;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.coe.report.FootprintReport;
import io.rdustudio.coe.report.Json;
import io.rdustudio.coe.report.PlanReport;
import io.rdustudio.coe.report.ServingReport;
import io.rdustudio.coe.report.SweepReport;

/**
 * The rendered reports of one small scenario (the fixture's timings), compared with golden files
 * under {@code src/test/resources/golden/coe/}. Regenerate with
 * {@code ./mvnw -o -pl plugins/io.rdustudio.coe -am verify -Dtest=ReportGoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}
 * and review the diff.
 */
class ReportGoldenTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "coe");

    private final FixtureResolver resolver = new FixtureResolver();
    private final Deployment samba = Deployments.samba(150).withPolicy(Deployments.policy(8, 0.02, true));
    private final Workload chat = new Workload("chatbot", 256, 20, 3.0, new ExpertMix.Zipf(0.8), 200, 42, Deployments.line(30));

    private ServingResult serving() {
        return ServingSimulator.simulate(samba, chat, resolver, Deployments.SN40L_NODE, () -> false, f -> {
        });
    }

    private SweepResult sweep() {
        return Sweep.run(samba, chat, resolver, List.of(Deployments.SN40L_NODE, Deployments.DGX_A100, Deployments.DGX_H100),
                List.of(1, 10, 30, 39, 40, 46, 47, 60, 100, 148, 149, 150, 200), 200, () -> false, f -> {
                });
    }

    private static void golden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(file), "no golden yet: run with -Dgolden.update=true and review " + file);
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
                name + " changed: if intended, run with -Dgolden.update=true and review the diff");
    }

    @Test
    void servingText() throws IOException {
        golden("serving.txt", ServingReport.text(serving()));
    }

    @Test
    void servingJson() throws IOException {
        golden("serving.json", Json.print(ServingReport.json(serving(), true)));
    }

    @Test
    void servingHtmlIsSelfContained() throws IOException {
        String html = ServingReport.html(serving());

        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.contains("href=") || html.contains("src="), "nothing to fetch");
        assertEquals(3, html.split("<svg ", -1).length - 1, "three charts inline");
        golden("serving.html", html);
    }

    /** Every workload side by side: the chatbot at the policy's batch 8 and at its own batch 1. */
    @Test
    void servingOfSeveralWorkloadsSideBySide() throws IOException {
        Workload batch1 = new Workload("chatbot_batch1", 256, 20, 3.0, new ExpertMix.Zipf(0.8), 200, 42, Deployments.line(31))
                .withBatchSize(1);
        List<ServingResult> both = List.of(serving(), ServingSimulator.simulate(samba, batch1, resolver, Deployments.SN40L_NODE,
                () -> false, f -> {
                }));

        golden("serving-workloads.txt", ServingReport.text(both));
        String html = ServingReport.html(both);
        assertEquals(6, html.split("<svg ", -1).length - 1, "three charts a workload");
        assertFalse(html.contains("<script"), "no scripts");
    }

    @Test
    void footprintText() throws IOException {
        golden("footprint.txt", FootprintReport.text(Footprints.of(samba, resolver, Deployments.SN40L_NODE)));
    }

    @Test
    void sweepTextJsonAndChart() throws IOException {
        SweepResult r = sweep();

        golden("sweep.txt", SweepReport.text(r));
        golden("sweep.json", Json.print(SweepReport.json(r)));
        golden("sweep.svg", SweepReport.svg(r, 90));
    }

    @Test
    void planTextAndJson() throws IOException {
        CapacityPlan.Plan p = CapacityPlan.plan(samba, chat, resolver, Deployments.SN40L_NODE,
                List.of(Deployments.DGX_A100, Deployments.DGX_H100), OptionalDouble.empty(), 90, () -> false, f -> {
                });

        golden("plan.txt", PlanReport.text(p));
        golden("plan.json", Json.print(PlanReport.json(p)));
    }
}
