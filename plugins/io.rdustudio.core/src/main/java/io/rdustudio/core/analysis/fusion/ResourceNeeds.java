package io.rdustudio.core.analysis.fusion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.rdustudio.core.analysis.KernelLimits;
import io.rdustudio.core.analysis.Sizes;
import io.rdustudio.core.analysis.StageBuffers;
import io.rdustudio.core.analysis.cost.CostModel;
import io.rdustudio.core.analysis.cost.OpCost;
import io.rdustudio.core.analysis.cost.ParamTiers;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.OpKind;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.target.Corner;
import io.rdustudio.core.target.FigureKey;

/**
 * What a kernel needs of one socket. Each stage (an operator that {@link OpKind#isStage() is a
 * stage}) needs at least one PCU; each stage buffer ({@link StageBuffers}) needs
 * {@code ceil(bytes / pmuBytes)} PMUs, counted at the operation that first reads it. PCUs beyond
 * one per stage are shared out in proportion to each stage's PCU-seconds of work, so that a
 * balanced pipeline's stages all take the same time.
 *
 * @param pcuLimit   PCUs the kernel may use (the socket's, or its {@code pcus} budget)
 * @param pmuLimit   PMUs of a socket
 * @param stages     the stages in operation order
 * @param overrun    an error naming the limit and where to split, when the needs exceed the socket
 */
public record ResourceNeeds(String kernel, int pcuLimit, int pmuLimit, List<StageNeed> stages, long bufferPmus,
        Optional<Diagnostic> overrun) {

    /**
     * One operation's needs.
     *
     * @param pcuSeconds work at peak, in seconds of one PCU of the right kind
     * @param pcuShare   PCUs it gets when all PCUs of the limit are shared out (1 + its share of the rest)
     * @param bufferPmus PMUs of the stage buffers it reads first
     */
    public record StageNeed(int opIndex, OpKind kind, boolean stage, double pcuSeconds, double pcuShare, long bufferPmus,
            SourceLocation location) {
    }

    public ResourceNeeds {
        stages = List.copyOf(stages);
    }

    /** One PCU per stage: the least the kernel can run on. */
    public int minimumPcus() {
        return (int) stages.stream().filter(StageNeed::stage).count();
    }

    public boolean fits() {
        return overrun.isEmpty();
    }

    /**
     * The seconds one tile-stream of the pipeline takes when each stage runs on its PCU share:
     * the slowest stage decides.
     */
    public double pipelineSeconds(double computeEfficiency) {
        double slowest = 0;
        for (StageNeed s : stages) {
            if (s.stage() && s.pcuSeconds() > 0) {
                slowest = Math.max(slowest, s.pcuSeconds() / (s.pcuShare() * computeEfficiency));
            }
        }
        return slowest;
    }

    /** {@code ceil(work per second needed / per-PCU throughput)}: the PCUs that sustain a rate. */
    public static long pcusForRate(double workPerSecond, double perPcuThroughput) {
        return (long) Math.ceil(workPerSecond / perPcuThroughput - 1e-9);
    }

    /** The needs of {@code kernel} on the profile of {@code model}, at nominal figures. */
    public static ResourceNeeds of(Kernel kernel, CostModel model) {
        var profile = model.profile();
        int pcuLimit = model.pcuLimit(kernel);
        int pmuLimit = (int) profile.value(FigureKey.PMUS_PER_SOCKET);
        long pmuBytes = (long) profile.value(FigureKey.PMU_BYTES);
        List<OpCost> ops = model.kernelCost(kernel, ParamTiers.ALL_HBM).ops();
        Map<Integer, Long> pmusAt = new HashMap<>();
        long totalPmus = 0;
        for (StageBuffers.Buffer b : StageBuffers.of(kernel, profile)) {
            int reader = firstReader(kernel, b.value());
            long pmus = Math.max(1, ceilDiv(b.bytes(), pmuBytes));
            pmusAt.merge(reader, pmus, Long::sum);
            totalPmus += pmus;
        }
        double totalWork = 0;
        int stageCount = 0;
        for (int i = 0; i < ops.size(); i++) {
            if (kernel.operations().get(i).kind().isStage()) {
                stageCount++;
                totalWork += model.pcuSeconds(ops.get(i).work(), Corner.NOMINAL);
            }
        }
        int spare = Math.max(0, pcuLimit - stageCount);
        List<StageNeed> needs = new ArrayList<>();
        Diagnostic overrun = null;
        long cumulativePcus = 0;
        long cumulativePmus = 0;
        int lastFitting = -1;
        for (int i = 0; i < ops.size(); i++) {
            Operation op = kernel.operations().get(i);
            boolean stage = op.kind().isStage();
            double work = stage ? model.pcuSeconds(ops.get(i).work(), Corner.NOMINAL) : 0;
            double share = stage ? 1 + (totalWork > 0 ? spare * work / totalWork : (double) spare / stageCount) : 0;
            long pmus = pmusAt.getOrDefault(i, 0L);
            needs.add(new StageNeed(i, op.kind(), stage, work, share, pmus, op.location()));
            cumulativePcus += stage ? 1 : 0;
            cumulativePmus += pmus;
            if (overrun == null && (cumulativePcus > pcuLimit || cumulativePmus > pmuLimit)) {
                boolean pcus = cumulativePcus > pcuLimit;
                String limit = pcus
                        ? String.format("%,d stages need at least %,d PCUs but it may use %,d", stageCount, stageCount,
                                pcuLimit)
                        : String.format("its stage buffers need %,d PMUs (%s) but a socket has %,d", totalPmus,
                                Sizes.bytes(totalPmus * pmuBytes), pmuLimit);
                String where = lastFitting < 0
                        ? "even its first operation does not fit; use a smaller tile hint"
                        : KernelLimits.splitAfter(kernel, lastFitting) + ", where the operations so far still fit";
                overrun = Diagnostic.error(pcus ? "dfk.overrun-pcus" : "dfk.overrun-pmus",
                        "kernel " + kernel.instanceName() + " does not fit one socket: " + limit + "; " + where,
                        op.location());
            }
            if (overrun == null) {
                lastFitting = i;
            }
        }
        return new ResourceNeeds(kernel.instanceName(), pcuLimit, pmuLimit, needs, totalPmus, Optional.ofNullable(overrun));
    }

    private static int firstReader(Kernel kernel, String value) {
        for (int i = 0; i < kernel.operations().size(); i++) {
            if (kernel.operations().get(i).inputs().contains(value)) {
                return i;
            }
        }
        return 0;
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a - 1) / b + 1;
    }
}
