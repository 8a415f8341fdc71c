package io.rdustudio.core.target;

import static io.rdustudio.core.target.FigureKey.Better.HIGHER;
import static io.rdustudio.core.target.FigureKey.Better.LOWER;
import static io.rdustudio.core.target.FigureKey.Better.NEITHER;
import static io.rdustudio.core.target.TargetKind.GPU;
import static io.rdustudio.core.target.TargetKind.RDU;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every figure a target profile can hold, with its JSON key, its unit, which direction makes work
 * faster and which kinds of target must give it. A profile gives exactly the keys that apply to
 * its kind: each one is required, and a key of another kind is an error.
 *
 * <p>Figures are peak hardware rates and sizes. How much of a peak a kernel achieves is a
 * question for the models, not for the profile.
 *
 * <p>Launch costs add up as {@code programLoadSeconds + argumentLoadSeconds} plus either
 * {@code softwareLaunchSeconds} (software orchestration) or {@code hardwareLaunchSeconds}
 * (hardware orchestration).
 */
public enum FigureKey {

    // ---- structure of an RDU node ----

    /** Sockets (RDUs) in the system the profile describes: 1 for a socket profile, 8 for a node. */
    SOCKETS_PER_NODE("socketsPerNode", Unit.COUNT, NEITHER, RDU),
    /** Dies per socket; a die-to-die link joins them. */
    DIES_PER_SOCKET("diesPerSocket", Unit.COUNT, NEITHER, RDU),
    /** Pattern Compute Units per socket. */
    PCUS_PER_SOCKET("pcusPerSocket", Unit.COUNT, NEITHER, RDU),
    /** Pattern Memory Units per socket. */
    PMUS_PER_SOCKET("pmusPerSocket", Unit.COUNT, NEITHER, RDU),
    /** Columns of the per-die grid of tiles; each grid position holds one PCU and one PMU. */
    MESH_COLUMNS_PER_DIE("meshColumnsPerDie", Unit.COUNT, NEITHER, RDU),
    /** Rows of the per-die grid of tiles; each grid position holds one PCU and one PMU. */
    MESH_ROWS_PER_DIE("meshRowsPerDie", Unit.COUNT, NEITHER, RDU),
    /** Address generation and coalescing units per socket, the tile's bridges to memory and peers. */
    AGCUS_PER_SOCKET("agcusPerSocket", Unit.COUNT, HIGHER, RDU),

    // ---- RDU compute ----

    /** Peak dense BF16 throughput of one socket, in FLOP/s (the systolic GEMM figure). */
    PEAK_FLOPS_PER_SOCKET("peakFlopsPerSocket", Unit.FLOP_PER_SECOND, HIGHER, RDU),
    /** Peak BF16 throughput of one PCU in systolic (GEMM) mode, in FLOP/s. */
    PCU_GEMM_FLOPS("pcuGemmFlops", Unit.FLOP_PER_SECOND, HIGHER, RDU),
    /** Peak throughput of one PCU in pipelined SIMD mode (element-wise, reductions), in FLOP/s. */
    PCU_SIMD_FLOPS("pcuSimdFlops", Unit.FLOP_PER_SECOND, HIGHER, RDU),
    /** Transcendental operations (exp, rsqrt, ...) one PCU's tail completes per second. */
    PCU_TRANSCENDENTAL_OPS_PER_SECOND("pcuTranscendentalOpsPerSecond", Unit.OPS_PER_SECOND, HIGHER, RDU),
    /** Clock frequency of the tile, in Hz. */
    CLOCK_HZ("clockHz", Unit.HERTZ, HIGHER, RDU),

    // ---- RDU memories ----

    /** Scratchpad capacity of one PMU, in bytes. */
    PMU_BYTES("pmuBytes", Unit.BYTES, HIGHER, RDU),
    /** On-chip SRAM of one socket, in bytes (all PMUs together). */
    SRAM_BYTES_PER_SOCKET("sramBytesPerSocket", Unit.BYTES, HIGHER, RDU),
    /** Read bandwidth of one PMU in bytes per second; it writes at the same rate concurrently. */
    PMU_BANDWIDTH_BYTES_PER_SECOND("pmuBandwidthBytesPerSecond", Unit.BYTES_PER_SECOND, HIGHER, RDU),
    /** HBM capacity of one socket, in bytes. */
    HBM_BYTES_PER_SOCKET("hbmBytesPerSocket", Unit.BYTES, HIGHER, RDU),
    /** HBM bandwidth of one socket (RDU) or one GPU, in bytes per second. */
    HBM_BANDWIDTH_BYTES_PER_SECOND("hbmBandwidthBytesPerSecond", Unit.BYTES_PER_SECOND, HIGHER, RDU, GPU),
    /** DDR capacity attached to one socket, in bytes. */
    DDR_BYTES_PER_SOCKET("ddrBytesPerSocket", Unit.BYTES, HIGHER, RDU),
    /** DDR bandwidth of one socket, in bytes per second. */
    DDR_BANDWIDTH_BYTES_PER_SECOND("ddrBandwidthBytesPerSecond", Unit.BYTES_PER_SECOND, HIGHER, RDU),
    /**
     * Aggregate DDR-to-HBM copy bandwidth of all sockets of the profile together, in bytes per
     * second (what an expert switch in a CoE pays).
     */
    NODE_DDR_TO_HBM_BYTES_PER_SECOND("nodeDdrToHbmBytesPerSecond", Unit.BYTES_PER_SECOND, HIGHER, RDU),

    // ---- RDU interconnect ----

    /** Bandwidth of the die-to-die link in one direction, in bytes per second. */
    DIE_TO_DIE_BYTES_PER_SECOND("dieToDieBytesPerSecond", Unit.BYTES_PER_SECOND, HIGHER, RDU),
    /** Vector-fabric bandwidth of one on-chip mesh link in one direction, in bytes per second. */
    MESH_LINK_BYTES_PER_SECOND("meshLinkBytesPerSecond", Unit.BYTES_PER_SECOND, HIGHER, RDU),
    /** Bandwidth of one socket-to-socket (P2P) link in one direction, in bytes per second. */
    P2P_BYTES_PER_SECOND("p2pBytesPerSecond", Unit.BYTES_PER_SECOND, HIGHER, RDU),
    /** Latency of one hop on the socket-to-socket network, in seconds. */
    P2P_HOP_LATENCY_SECONDS("p2pHopLatencySeconds", Unit.SECONDS, LOWER, RDU),
    /** Host-to-socket PCIe bandwidth of one socket in one direction, in bytes per second. */
    HOST_PCIE_BYTES_PER_SECOND("hostPcieBytesPerSecond", Unit.BYTES_PER_SECOND, HIGHER, RDU),
    /** Bandwidth of one AGCU memory stream, in bytes per second. */
    STREAM_BYTES_PER_SECOND("streamBytesPerSecond", Unit.BYTES_PER_SECOND, HIGHER, RDU),

    // ---- RDU launch costs ----

    /** Time to load a kernel's configuration into the tile, in seconds. */
    PROGRAM_LOAD_SECONDS("programLoadSeconds", Unit.SECONDS, LOWER, RDU),
    /** Time to load a kernel's arguments (addresses, scalars) into the AGCUs, in seconds. */
    ARGUMENT_LOAD_SECONDS("argumentLoadSeconds", Unit.SECONDS, LOWER, RDU),
    /** Host round trips of one software-orchestrated launch, beyond program and argument load, in seconds. */
    SOFTWARE_LAUNCH_SECONDS("softwareLaunchSeconds", Unit.SECONDS, LOWER, RDU),
    /** Cost of one hardware-orchestrated launch, beyond program and argument load, in seconds. */
    HARDWARE_LAUNCH_SECONDS("hardwareLaunchSeconds", Unit.SECONDS, LOWER, RDU),

    // ---- RDU defaults of the modelled compiler ----

    /** Rows per streamed tile when a kernel gives no {@code tile} hint. */
    DEFAULT_TILE_ROWS("defaultTileRows", Unit.ROWS, NEITHER, RDU),
    /** Tiles one stage buffer holds: 2 is double buffering. */
    STAGE_BUFFER_DEPTH("stageBufferDepth", Unit.TILES, NEITHER, RDU),

    // ---- GPU node ----

    /** GPUs in the node. */
    GPUS_PER_NODE("gpusPerNode", Unit.COUNT, NEITHER, GPU),
    /** Peak dense BF16 tensor-core throughput of one GPU, in FLOP/s. */
    PEAK_FLOPS_PER_GPU("peakFlopsPerGpu", Unit.FLOP_PER_SECOND, HIGHER, GPU),
    /** HBM capacity of one GPU, in bytes. */
    HBM_BYTES_PER_GPU("hbmBytesPerGpu", Unit.BYTES, HIGHER, GPU),
    /** NVLink bandwidth of one GPU as vendors state it: all links, both directions added, in bytes per second. */
    NVLINK_BYTES_PER_SECOND("nvlinkBytesPerSecond", Unit.BYTES_PER_SECOND, HIGHER, GPU),
    /** Cost of one kernel launch, in seconds. */
    KERNEL_LAUNCH_SECONDS("kernelLaunchSeconds", Unit.SECONDS, LOWER, GPU),
    /** Aggregate bandwidth for copying from host memory into the node's GPUs, in bytes per second. */
    HOST_TO_GPU_BYTES_PER_SECOND("hostToGpuBytesPerSecond", Unit.BYTES_PER_SECOND, HIGHER, GPU),
    /** Host (CPU) memory of the node, in bytes. */
    HOST_MEMORY_BYTES("hostMemoryBytes", Unit.BYTES, HIGHER, GPU);

    /** Which direction of a figure makes work faster, which decides what a {@link Corner} picks. */
    public enum Better {
        /** More is faster: bandwidths, FLOP/s, clock, capacities. */
        HIGHER,
        /** More is slower: latencies, launch costs. */
        LOWER,
        /**
         * Neither: the figure describes structure (unit counts, grid size) or a default of the
         * modelled compiler. A profile gives it as one value ({@code low == nominal == high}) and
         * every corner takes that value.
         */
        NEITHER
    }

    /** The unit a figure is written in. Whole-number units accept integral values only. */
    public enum Unit {
        COUNT("count", true),
        BYTES("bytes", true),
        ROWS("rows", true),
        TILES("tiles", true),
        BYTES_PER_SECOND("bytes/s", false),
        FLOP_PER_SECOND("FLOP/s", false),
        OPS_PER_SECOND("ops/s", false),
        SECONDS("s", false),
        HERTZ("Hz", false);

        private final String symbol;
        private final boolean wholeNumbers;

        Unit(String symbol, boolean wholeNumbers) {
            this.symbol = symbol;
            this.wholeNumbers = wholeNumbers;
        }

        /** The value of a figure's {@code "unit"} field. */
        public String symbol() {
            return symbol;
        }

        /** Whether values in this unit must be whole numbers. */
        public boolean wholeNumbers() {
            return wholeNumbers;
        }
    }

    private final String jsonKey;
    private final Unit unit;
    private final Better better;
    private final Set<TargetKind> kinds;

    FigureKey(String jsonKey, Unit unit, Better better, TargetKind first, TargetKind... rest) {
        this.jsonKey = jsonKey;
        this.unit = unit;
        this.better = better;
        this.kinds = EnumSet.of(first, rest);
    }

    /** The key under {@code "figures"} in a profile file (camelCase). */
    public String jsonKey() {
        return jsonKey;
    }

    public Unit unit() {
        return unit;
    }

    public Better better() {
        return better;
    }

    /** Whether a profile of {@code kind} must give this figure (and may give it at all). */
    public boolean appliesTo(TargetKind kind) {
        return kinds.contains(kind);
    }

    /** The keys a profile of {@code kind} must give, in declaration order. */
    public static List<FigureKey> requiredBy(TargetKind kind) {
        return Arrays.stream(values()).filter(key -> key.appliesTo(kind)).toList();
    }

    /** The key whose {@link #jsonKey()} is {@code jsonKey}, if any. */
    public static Optional<FigureKey> fromJsonKey(String jsonKey) {
        return Arrays.stream(values()).filter(key -> key.jsonKey.equals(jsonKey)).findFirst();
    }
}
