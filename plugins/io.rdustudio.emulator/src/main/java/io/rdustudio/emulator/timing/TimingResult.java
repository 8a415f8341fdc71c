package io.rdustudio.emulator.timing;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import io.rdustudio.core.analysis.cost.Estimate;
import io.rdustudio.core.analysis.cost.MemoryChannel;
import io.rdustudio.core.ir.Orchestration;

/**
 * The timed run of a program's schedule (docs/emulator.md, "Results").
 *
 * @param target               the profile's name
 * @param orchestration        the orchestration used (GPU baselines: SOFTWARE)
 * @param unfused              every operator was its own kernel
 * @param gpu                  this is the GPU baseline
 * @param sockets              sockets (or GPUs) of the schedule
 * @param totalSeconds         end of the last call
 * @param calls                the timeline, in order; a record may stand for several launches ({@code repeats})
 * @param bandwidthFraction    per off-chip tier (and P2P), bytes moved per socket over the total time,
 *                             as a fraction of the tier's peak
 * @param pcuUtilisation       busy PCU-seconds over PCUs x total time (RDU; GPU: FLOPs over peak x time)
 * @param pmuUtilisation       stage-buffer PMUs held, time-weighted, over the socket's PMUs (RDU only)
 * @param launches             kernel launches
 * @param launchOverheadSeconds the time spent in program load, argument load and launch
 * @param collectiveLatencySeconds the ring hop latencies of the collectives (a cost the static estimate does not
 *                             model; each is paid on the critical path of its call)
 * @param tokens               tokens one schedule run processes (leading dim of the first INT32 input), 0 if none
 * @param tokensPerSecond      tokens / totalSeconds when tokens &gt; 0
 * @param staticEstimate       the static roofline estimate of the same schedule (no launch costs), when an RDU
 * @param complete             false when cancelled
 */
public record TimingResult(String target, Orchestration orchestration, boolean unfused, boolean gpu, int sockets,
        double totalSeconds, List<CallRecord> calls, Map<MemoryChannel, Double> bandwidthFraction,
        double pcuUtilisation, double pmuUtilisation, long launches, double launchOverheadSeconds, double collectiveLatencySeconds, long tokens,
        OptionalDouble tokensPerSecond, Estimate staticEstimate, boolean complete) {

    public TimingResult {
        calls = List.copyOf(calls);
        bandwidthFraction = ordered(bandwidthFraction);
    }

    /**
     * One launch (or {@code repeats} identical back-to-back launches, or a kernel-looped loop) on the timeline.
     *
     * @param kernel          kernel instance (unfused: {@code kernel.value})
     * @param start           when its launch overhead starts
     * @param launchOverhead  seconds of program load, argument load and launch before execution
     * @param fill            execution seconds until the pipeline's last stage finished its first tile
     * @param steady          execution seconds at the bottleneck's rate
     * @param drain           execution seconds after the first stage finished its last tile
     * @param bound           the pipeline's slowest stage (a stage, a tier read or write, or a collective)
     * @param collective      execution seconds of the collective stages (busy time, overlapped)
     * @param socketsUsed     sockets (GPUs) the call runs on, its tensor-parallel degree
     * @param repeats         launches this record stands for
     * @param iterations      outer-loop iterations run inside this launch (kernel looping), else 1
     * @param bytes           off-chip bytes per socket moved by the whole record, per channel
     * @param flops           FLOPs per socket done by the whole record, as operational intensity counts them
     *                        (GEMM and SIMD; transcendentals apart)
     */
    public record CallRecord(String kernel, double start, double launchOverhead, double fill, double steady,
            double drain, String bound, double collective, int socketsUsed, long repeats, long iterations,
            Map<MemoryChannel, Double> bytes, double flops) {

        public CallRecord {
            bytes = ordered(bytes);
        }

        public double executeStart() {
            return start + launchOverhead;
        }

        public double end() {
            return start + launchOverhead + fill + steady + drain;
        }

        public double execution() {
            return fill + steady + drain;
        }

        /** The kernel instance the record belongs to: an unfused operator's ({@code kernel.value}) without the operator. */
        public String baseKernel() {
            int dot = kernel.indexOf('.');
            return dot > 0 ? kernel.substring(0, dot) : kernel;
        }
    }

    /**
     * One kernel's share of the run (one operator's, for an unfused run): its records summed.
     *
     * @param launches     launches of it
     * @param seconds      its execution seconds, launch overheads apart
     * @param flops        FLOPs per socket (see {@link CallRecord#flops()})
     * @param offChipBytes bytes per socket to and from HBM, DDR and host memory
     * @param bound        the bound of its longest record
     */
    public record KernelTotal(String kernel, long launches, double seconds, double flops, double offChipBytes,
            String bound) {

        /** FLOPs per off-chip byte; infinite when nothing moves off chip. */
        public double intensity() {
            return offChipBytes == 0 ? Double.POSITIVE_INFINITY : flops / offChipBytes;
        }

        /** FLOPs per second of execution, per socket; 0 for a kernel that takes no time. */
        public double flopsPerSecond() {
            return seconds > 0 ? flops / seconds : 0;
        }
    }

    /** The timeline summed per kernel (per record name), in the order of first launch. */
    public List<KernelTotal> kernels() {
        Map<String, KernelTotal> totals = new LinkedHashMap<>();
        Map<String, Double> longest = new HashMap<>();
        for (CallRecord c : calls) {
            double bytes = c.bytes().getOrDefault(MemoryChannel.HBM, 0.0) + c.bytes().getOrDefault(MemoryChannel.DDR, 0.0)
                    + c.bytes().getOrDefault(MemoryChannel.HOST, 0.0);
            KernelTotal before = totals.get(c.kernel());
            String bound = c.bound();
            if (before != null && longest.get(c.kernel()) >= c.execution()) {
                bound = before.bound();
            } else {
                longest.put(c.kernel(), c.execution());
            }
            totals.put(c.kernel(), before == null
                    ? new KernelTotal(c.kernel(), c.repeats(), c.execution(), c.flops(), bytes, bound)
                    : new KernelTotal(c.kernel(), before.launches() + c.repeats(), before.seconds() + c.execution(),
                            before.flops() + c.flops(), before.offChipBytes() + bytes, bound));
        }
        return List.copyOf(totals.values());
    }

    /** In channel order: the trace and the reports iterate these maps, and must not depend on hash order. */
    private static Map<MemoryChannel, Double> ordered(Map<MemoryChannel, Double> m) {
        return m.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(m));
    }
}
