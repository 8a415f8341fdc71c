package io.rdustudio.coe;

import java.util.Locale;

import io.rdustudio.core.ir.Tier;
import io.rdustudio.core.target.Figure;
import io.rdustudio.core.target.FigureKey;
import io.rdustudio.core.target.TargetKind;
import io.rdustudio.core.target.TargetProfile;

/**
 * What a CoE deployment sees of one node of a target profile, at the profile's corner: its
 * devices, its HBM, the memory every expert lives in (DDR on an SN40L node, host memory on a GPU
 * node) and how fast an expert is copied from there into HBM. Every number is a profile figure
 * (docs/coe-simulation.md lists them).
 *
 * @param profile                the profile the figures come from
 * @param devicesPerNode         sockets (RDU) or GPUs in one node
 * @param hbmBytesPerNode        HBM of all devices of one node together, in bytes
 * @param backingTier            where experts live when not resident: {@link Tier#DDR} or {@link Tier#HOST}
 * @param backingBytesPerNode    capacity of that tier in one node, in bytes
 * @param copyBytesPerSecond     aggregate copy bandwidth into the node's HBM when every device copies,
 *                               in bytes per second ({@code nodeDdrToHbmBytesPerSecond} or {@code hostToGpuBytesPerSecond})
 */
public record CoePlatform(TargetProfile profile, int devicesPerNode, long hbmBytesPerNode, Tier backingTier,
        long backingBytesPerNode, double copyBytesPerSecond) {

    public static CoePlatform of(TargetProfile profile) {
        if (profile.kind() == TargetKind.GPU) {
            int gpus = (int) profile.value(FigureKey.GPUS_PER_NODE);
            return new CoePlatform(profile, gpus, (long) (profile.value(FigureKey.HBM_BYTES_PER_GPU) * gpus),
                    Tier.HOST, (long) profile.value(FigureKey.HOST_MEMORY_BYTES),
                    profile.value(FigureKey.HOST_TO_GPU_BYTES_PER_SECOND));
        }
        int sockets = (int) profile.value(FigureKey.SOCKETS_PER_NODE);
        return new CoePlatform(profile, sockets, (long) (profile.value(FigureKey.HBM_BYTES_PER_SOCKET) * sockets),
                Tier.DDR, (long) (profile.value(FigureKey.DDR_BYTES_PER_SOCKET) * sockets),
                profile.value(FigureKey.NODE_DDR_TO_HBM_BYTES_PER_SECOND));
    }

    public String name() {
        return profile.name();
    }

    public boolean isGpu() {
        return profile.kind() == TargetKind.GPU;
    }

    /** "DDR" or "host memory", for messages. */
    public String backingName() {
        return backingTier == Tier.DDR ? "DDR" : "host memory";
    }

    /**
     * Seconds to copy {@code bytes} of a model that spans {@code tensorParallel} devices into HBM.
     * On an RDU node each socket copies its own shard from its own DDR, so a model on fewer sockets
     * gets that share of the node's aggregate figure. On a GPU node every copy goes through the
     * profile's host-to-GPU figure (the SN40L paper's single-link assumption; the figure's range
     * covers parallel links).
     */
    public double switchSeconds(long bytes, int tensorParallel) {
        double share = isGpu() ? 1.0 : Math.min(Math.max(tensorParallel, 1), devicesPerNode) / (double) devicesPerNode;
        return bytes / (copyBytesPerSecond * share);
    }

    /** The profile figure behind {@link #copyBytesPerSecond()}, with its provenance. */
    public FigureKey copyFigureKey() {
        return isGpu() ? FigureKey.HOST_TO_GPU_BYTES_PER_SECOND : FigureKey.NODE_DDR_TO_HBM_BYTES_PER_SECOND;
    }

    public Figure copyFigure() {
        return profile.figure(copyFigureKey());
    }

    /** E.g. {@code "1.0 TB/s (nodeDdrToHbmBytesPerSecond of sn40l-node, published)"}. */
    public String copySummary() {
        return String.format(Locale.ROOT, "%s (%s of %s, %s)", Units.bandwidth(copyBytesPerSecond),
                copyFigureKey().jsonKey(), name(), copyFigure().provenance().jsonName());
    }
}
