package io.rdustudio.core.target;

import static io.rdustudio.core.target.FigureKey.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BundledProfilesTest {

    private static final double KIB = 1024;
    private static final double MIB = KIB * 1024;
    private static final double GIB = MIB * 1024;
    private static final double TIB = GIB * 1024;

    static Iterable<String> bundledNames() {
        return TargetProfiles.bundledNames();
    }

    @Test
    void theFourProfilesOfTheDesignAreBundled() {
        assertEquals(Set.of("sn40l", "sn40l-node", "dgx-a100", "dgx-h100"),
                Set.copyOf(TargetProfiles.bundledNames()));
    }

    @ParameterizedTest
    @MethodSource("bundledNames")
    void loadsUnderItsOwnNameWithExactlyTheFiguresItsKindRequires(String name) {
        TargetProfile profile = TargetProfiles.load(name);

        assertEquals(name, profile.name());
        assertEquals(Set.copyOf(FigureKey.requiredBy(profile.kind())), profile.figures().keySet());
        assertFalse(profile.description().isBlank());
        assertEquals("classpath:/io/rdustudio/core/target/profiles/" + name + ".json", profile.source());
        assertTrue(profile.contentHash().matches("[0-9a-f]{64}"), profile.contentHash());
    }

    @ParameterizedTest
    @MethodSource("bundledNames")
    void everyFigureIsOrderedPositiveAndExplained(String name) {
        for (Map.Entry<FigureKey, Figure> entry : TargetProfiles.load(name).figures().entrySet()) {
            FigureKey key = entry.getKey();
            Figure figure = entry.getValue();
            String place = name + " " + key.jsonKey();
            assertTrue(figure.low() > 0, place);
            assertTrue(figure.low() <= figure.nominal() && figure.nominal() <= figure.high(), place);
            assertFalse(figure.source().isBlank(), place);
            assertEquals(key.unit(), figure.unit(), place);
            if (figure.provenance() == Provenance.ASSUMED) {
                assertTrue(figure.source().startsWith("Assumed"), place + " should say that it is assumed");
            }
        }
    }

    @Test
    void sn40lCarriesThePublishedSocketFigures() {
        TargetProfile sn40l = TargetProfiles.load("sn40l");

        assertExact(sn40l, SOCKETS_PER_NODE, 1);
        assertExact(sn40l, DIES_PER_SOCKET, 2);
        assertExact(sn40l, PEAK_FLOPS_PER_SOCKET, 638e12);
        assertExact(sn40l, PCUS_PER_SOCKET, 1040);
        assertExact(sn40l, PMUS_PER_SOCKET, 1040);
        assertExact(sn40l, PMU_BYTES, 512 * KIB);
        assertExact(sn40l, SRAM_BYTES_PER_SOCKET, 520 * MIB);
        assertExact(sn40l, HBM_BYTES_PER_SOCKET, 64 * GIB);
        assertExact(sn40l, DDR_BYTES_PER_SOCKET, 1.5 * TIB);
        assertRange(sn40l, HBM_BANDWIDTH_BYTES_PER_SECOND, 1.8e12, 1.9e12, 2.0e12);
        assertEquals(200e9, sn40l.value(DDR_BANDWIDTH_BYTES_PER_SECOND));
        assertTrue(sn40l.figure(CLOCK_HZ).high() < 2e9, "the paper says the clock is below 2 GHz");
        for (FigureKey published : Set.of(PEAK_FLOPS_PER_SOCKET, PCUS_PER_SOCKET, PMU_BYTES,
                SRAM_BYTES_PER_SOCKET, HBM_BYTES_PER_SOCKET, HBM_BANDWIDTH_BYTES_PER_SECOND,
                DDR_BYTES_PER_SOCKET, DDR_BANDWIDTH_BYTES_PER_SECOND)) {
            assertEquals(Provenance.PUBLISHED, sn40l.figure(published).provenance(), published.jsonKey());
            assertTrue(sn40l.figure(published).source().contains("arXiv:2405.07518"), published.jsonKey());
        }
    }

    @Test
    void figuresTheVendorDoesNotPublishAreMarkedAssumed() {
        TargetProfile sn40l = TargetProfiles.load("sn40l");
        Set<FigureKey> unpublished = Set.of(PCU_SIMD_FLOPS, PCU_TRANSCENDENTAL_OPS_PER_SECOND,
                PMU_BANDWIDTH_BYTES_PER_SECOND, CLOCK_HZ, DIE_TO_DIE_BYTES_PER_SECOND, MESH_LINK_BYTES_PER_SECOND,
                MESH_COLUMNS_PER_DIE, MESH_ROWS_PER_DIE, P2P_BYTES_PER_SECOND, P2P_HOP_LATENCY_SECONDS,
                HOST_PCIE_BYTES_PER_SECOND, AGCUS_PER_SOCKET, STREAM_BYTES_PER_SECOND, PROGRAM_LOAD_SECONDS,
                ARGUMENT_LOAD_SECONDS, SOFTWARE_LAUNCH_SECONDS, HARDWARE_LAUNCH_SECONDS, DEFAULT_TILE_ROWS,
                STAGE_BUFFER_DEPTH);

        Set<FigureKey> assumed = sn40l.figures().entrySet().stream()
                .filter(entry -> entry.getValue().provenance() == Provenance.ASSUMED)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());

        assertEquals(unpublished, assumed);
    }

    @Test
    void sn40lFiguresAreConsistentWithEachOther() {
        TargetProfile sn40l = TargetProfiles.load("sn40l");
        double pcus = sn40l.value(PCUS_PER_SOCKET);

        assertEquals(sn40l.value(PEAK_FLOPS_PER_SOCKET), sn40l.value(PCU_GEMM_FLOPS) * pcus,
                1e-4 * sn40l.value(PEAK_FLOPS_PER_SOCKET), "pcuGemmFlops is the peak per PCU");
        assertEquals(sn40l.value(SRAM_BYTES_PER_SOCKET), sn40l.value(PMU_BYTES) * sn40l.value(PMUS_PER_SOCKET));
        assertEquals(pcus, sn40l.value(DIES_PER_SOCKET) * sn40l.value(MESH_COLUMNS_PER_DIE)
                * sn40l.value(MESH_ROWS_PER_DIE), "every grid position holds one PCU and one PMU");
        assertTrue(sn40l.figure(PCU_SIMD_FLOPS).high() <= sn40l.value(PCU_GEMM_FLOPS));
    }

    @Test
    void theNodeProfileIsEightSocketsOfTheSocketProfile() {
        TargetProfile socket = TargetProfiles.load("sn40l");
        TargetProfile node = TargetProfiles.load("sn40l-node");

        assertExact(node, SOCKETS_PER_NODE, 8);
        assertEquals(1e12, node.value(NODE_DDR_TO_HBM_BYTES_PER_SECOND), "over 1 TB/s across a node");
        assertEquals(node.value(NODE_DDR_TO_HBM_BYTES_PER_SECOND) / 8, socket.value(NODE_DDR_TO_HBM_BYTES_PER_SECOND));
        for (FigureKey key : FigureKey.requiredBy(TargetKind.RDU)) {
            if (key != SOCKETS_PER_NODE && key != NODE_DDR_TO_HBM_BYTES_PER_SECOND) {
                assertEquals(socket.figure(key), node.figure(key), key.jsonKey() + " is a per-socket figure");
            }
        }
    }

    @Test
    void dgxProfilesCarryTheVendorFigures() {
        TargetProfile a100 = TargetProfiles.load("dgx-a100");
        TargetProfile h100 = TargetProfiles.load("dgx-h100");

        assertExact(a100, GPUS_PER_NODE, 8);
        assertExact(h100, GPUS_PER_NODE, 8);
        assertExact(a100, PEAK_FLOPS_PER_GPU, 312e12);
        assertExact(h100, PEAK_FLOPS_PER_GPU, 989e12);
        assertEquals(80e9, a100.value(HBM_BYTES_PER_GPU));
        assertEquals(80e9, h100.value(HBM_BYTES_PER_GPU));
        assertEquals(2.0e12, a100.value(HBM_BANDWIDTH_BYTES_PER_SECOND));
        assertExact(h100, HBM_BANDWIDTH_BYTES_PER_SECOND, 3.35e12);
        assertExact(a100, NVLINK_BYTES_PER_SECOND, 600e9);
        assertExact(h100, NVLINK_BYTES_PER_SECOND, 900e9);
        assertEquals(32e9, a100.value(HOST_TO_GPU_BYTES_PER_SECOND), "the paper's figure is the default");
        assertEquals(64e9, h100.value(HOST_TO_GPU_BYTES_PER_SECOND), "the paper's figure is the default");
        assertTrue(a100.figure(HOST_TO_GPU_BYTES_PER_SECOND).high() > 32e9, "several PCIe links may work in parallel");
        assertEquals(2e12, a100.value(HOST_MEMORY_BYTES));
        assertEquals(1e12, a100.figure(HOST_MEMORY_BYTES).low());
        assertExact(h100, HOST_MEMORY_BYTES, 2e12);
        for (TargetProfile dgx : Set.of(a100, h100)) {
            Figure launch = dgx.figure(KERNEL_LAUNCH_SECONDS);
            assertTrue(launch.low() >= 1e-6 && launch.high() <= 20e-6, "a few microseconds");
        }
    }

    private static void assertExact(TargetProfile profile, FigureKey key, double expected) {
        assertRange(profile, key, expected, expected, expected);
    }

    private static void assertRange(TargetProfile profile, FigureKey key, double low, double nominal, double high) {
        Figure figure = profile.figure(key);
        String place = profile.name() + " " + key.jsonKey();
        assertEquals(low, figure.low(), place);
        assertEquals(nominal, figure.nominal(), place);
        assertEquals(high, figure.high(), place);
    }
}
