package io.rdustudio.dfk.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.rdustudio.core.analysis.memory.Allocation;
import io.rdustudio.core.analysis.memory.MemoryPlan;
import io.rdustudio.core.analysis.memory.MemoryPlanner;
import io.rdustudio.core.analysis.memory.SocketPlan;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.core.target.TargetProfiles;
import io.rdustudio.dfk.tests.DfkTester;

/** The memory plan on the bundled examples (issue 3, "Memory plan"). */
class MemoryPlanExamplesTest {

    static final Path EXAMPLES = Path.of("..", "examples");
    private static final long MIB = 1L << 20;

    static Stream<Path> programs() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".dfk")).sorted().toList().stream();
        }
    }

    private static MemoryPlan plan(Path file) {
        Program program = new DfkTester().disk(file).lowered(file).program();
        return MemoryPlanner.plan(program, TargetProfiles.load("sn40l-node"));
    }

    /**
     * Llama2-7B prefill on 8 sockets. Its two locals, the residual stream {@code x} and the
     * mid-layer stream {@code x_attn}, are bf16[4096, 4096]: 32 MiB each, and the attention and
     * feed-forward kernels keep them whole on every socket (Megatron replicates activations).
     * The schedule writes them 65 times (embed, then 32 x (attention, feed-forward)): 65 values of
     * 32 MiB, 2,080 MiB if each had its own buffer. Each value lives from its write to the next
     * launch that reads it, so at most two are live at once (a launch reads one and writes the
     * other): the peak is 64 MiB.
     *
     * <p>HBM per socket: the weights' per-socket shares (1.57 GiB of split matrices plus the
     * 250 MiB embedding table, which the tensor-parallel split replicates), the KV caches' share
     * (2 x 128 MiB), the prompt, and one 32 MiB activation live at the first launch: 2,216,452,096
     * bytes (2.06 GiB), well inside 64 GiB, so nothing spills.
     */
    @Test
    void llama2PrefillSharesActivationAddresses() {
        MemoryPlan plan = plan(EXAMPLES.resolve("llama2_7b_prefill.dfk"));
        assertTrue(plan.fits(), plan.diagnostics().toString());
        assertEquals(66, plan.timelineCalls());
        assertEquals(1, plan.socketPlans().size(), "every kernel is tp = 8: all sockets hold the same");
        SocketPlan socket = plan.socket(0);
        assertEquals(65 * 32 * MIB, socket.activationTotalBytes());
        assertEquals(64 * MIB, socket.activationPeakBytes());
        List<Allocation> activations = socket.allocations().stream()
                .filter(a -> a.tensor().equals("x") || a.tensor().equals("x_attn")).toList();
        assertEquals(65, activations.size());
        // The 65 values reuse three addresses: two slots, and part of the embedding table's space once
        // the table is dead after the first launch.
        assertEquals(3, activations.stream().map(Allocation::offset).distinct().count());
        assertEquals(socket.tier(Tier.HBM).peakLiveBytes(), socket.peakBytes(Tier.HBM),
                "the addresses reach the lower bound: the most bytes live at one launch");
        assertEquals(2_216_452_096L, socket.peakBytes(Tier.HBM));
        assertEquals(0, socket.peakBytes(Tier.DDR));
        assertTrue(socket.spills().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("programs")
    void everyExampleFitsAndNoLiveBuffersShareAddresses(Path file) {
        MemoryPlan plan = plan(file);
        assertTrue(plan.fits(), file + ": " + plan.diagnostics());
        assertFalse(plan.socketPlans().isEmpty());
        for (SocketPlan socket : plan.socketPlans()) {
            List<Allocation> all = socket.allocations();
            for (int i = 0; i < all.size(); i++) {
                for (int j = i + 1; j < all.size(); j++) {
                    assertFalse(all.get(i).liveTogetherWith(all.get(j)) && all.get(i).addressesOverlap(all.get(j)),
                            all.get(i) + " / " + all.get(j));
                }
            }
        }
    }
}
