package io.rdustudio.dfk.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.rdustudio.core.analysis.StageBuffers;
import io.rdustudio.core.analysis.placement.Placement;
import io.rdustudio.core.analysis.placement.PlacementSvg;
import io.rdustudio.core.analysis.placement.Placer;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.dfk.tests.DfkTester;

/**
 * The placement preview on the bundled examples (issue 3, "Placement preview"). The golden SVG is
 * regenerated with {@code -Dgolden.update=true} and reviewed in the diff.
 */
class PlacementExamplesTest {

    static final Path EXAMPLES = Path.of("..", "examples");
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final TargetProfile SN40L = TargetProfiles.load("sn40l");

    static Stream<Path> programs() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".dfk")).sorted().toList().stream();
        }
    }

    private static Program program(Path file) {
        return new DfkTester().disk(file).lowered(file).program();
    }

    @ParameterizedTest
    @MethodSource("programs")
    void placerBeatsRowMajorAndRandomPlacement(Path file) {
        for (Kernel kernel : program(file).kernels().values()) {
            if (StageBuffers.stageCount(kernel) == 0) {
                continue;
            }
            Placement p = Placer.place(kernel, SN40L);
            String what = file.getFileName() + " " + kernel.instanceName() + ": placed " + p.wireLengthByteHops()
                    + ", row-major " + p.rowMajorByteHops() + ", random " + p.randomByteHops();
            assertTrue(p.ok(), what + " " + p.diagnostics());
            if (p.rowMajorByteHops() > 0) {
                assertTrue(p.wireLengthByteHops() < p.rowMajorByteHops(), what);
            }
            if (p.randomByteHops() > 0) {
                assertTrue(p.wireLengthByteHops() < p.randomByteHops(), what);
            }
        }
    }

    @Test
    void monarchSvgMatchesTheGolden() throws IOException {
        Kernel kernel = program(EXAMPLES.resolve("monarch_fft.dfk")).kernels().get("monarch_fft");
        Placement p = Placer.place(kernel, SN40L);
        String svg = PlacementSvg.render(p);
        Path golden = GOLDEN.resolve("monarch_fft.placement.svg");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, svg, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(golden), "no golden yet: run with -Dgolden.update=true and review " + golden);
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), svg,
                "the placement SVG changed: if intended, run with -Dgolden.update=true and review the diff");
        assertFalse(p.units().isEmpty());
    }
}
