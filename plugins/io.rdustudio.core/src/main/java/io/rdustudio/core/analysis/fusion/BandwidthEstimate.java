package io.rdustudio.core.analysis.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.rdustudio.core.analysis.Sizes;
import io.rdustudio.core.analysis.cost.CostModel;
import io.rdustudio.core.analysis.cost.KernelCost;
import io.rdustudio.core.analysis.cost.Limiter;
import io.rdustudio.core.analysis.cost.MemoryChannel;
import io.rdustudio.core.analysis.cost.Stream;
import io.rdustudio.core.target.Corner;
import io.rdustudio.core.target.FigureKey;
import io.rdustudio.core.target.TargetProfile;

/**
 * The static bandwidth estimate of one kernel (DOMAIN.md section 2): run the pipeline at the rate
 * its slowest stage sustains on its PCU share ({@link ResourceNeeds#pipelineSeconds}); each
 * off-chip stream then needs {@code bytes / pipelineSeconds}; a tier offers its peak times the
 * memory efficiency assumed; it takes {@code ceil(required / streamBytesPerSecond)} concurrent
 * AGCU streams to reach a stream's rate. The bottleneck is compute when every tier keeps up, else
 * the tier whose demand exceeds its offer the most. Nominal figures throughout.
 *
 * @param pipelineSeconds  one launch's time if memory kept up
 * @param achievedSeconds  one launch's time with the bottleneck
 */
public record BandwidthEstimate(String kernel, double pipelineSeconds, double achievedSeconds, List<StreamDemand> streams,
        List<TierDemand> tiers, Limiter bottleneck) {

    /** One stream's demand. */
    public record StreamDemand(String value, MemoryChannel channel, boolean write, double bytes,
            double requiredBytesPerSecond, long concurrentStreams) {
    }

    /** One tier's demand (all its streams together) against its offer. */
    public record TierDemand(MemoryChannel channel, double requiredBytesPerSecond, double offeredBytesPerSecond,
            long concurrentStreams) {

        public double utilisation() {
            return requiredBytesPerSecond / offeredBytesPerSecond;
        }
    }

    public BandwidthEstimate {
        streams = List.copyOf(streams);
        tiers = List.copyOf(tiers);
    }

    public static BandwidthEstimate of(KernelCost cost, ResourceNeeds needs, CostModel model) {
        TargetProfile p = model.profile();
        double efficiency = model.assumptions().computeEfficiency().at(Corner.NOMINAL);
        double pipeline = needs.pipelineSeconds(efficiency);
        double streamRate = p.value(FigureKey.STREAM_BYTES_PER_SECOND);
        List<StreamDemand> demands = new ArrayList<>();
        Map<MemoryChannel, Double> bytes = new EnumMap<>(MemoryChannel.class);
        for (Stream s : cost.streams()) {
            double required = pipeline > 0 ? s.bytes() / pipeline : Double.POSITIVE_INFINITY;
            demands.add(new StreamDemand(s.value(), s.channel(), s.write(), s.bytes(), required,
                    streamsFor(required, offered(s.channel(), model), streamRate)));
            bytes.merge(s.channel(), s.bytes(), Double::sum);
        }
        List<TierDemand> tiers = new ArrayList<>();
        Limiter bottleneck = Limiter.COMPUTE;
        double worst = 1;
        double achieved = pipeline;
        for (Map.Entry<MemoryChannel, Double> e : bytes.entrySet()) {
            double offered = offered(e.getKey(), model);
            double required = pipeline > 0 ? e.getValue() / pipeline : Double.POSITIVE_INFINITY;
            tiers.add(new TierDemand(e.getKey(), required, offered, streamsFor(required, offered, streamRate)));
            achieved = Math.max(achieved, e.getValue() / offered);
            if (required / offered > worst) {
                worst = required / offered;
                bottleneck = Limiter.of(e.getKey());
            }
        }
        return new BandwidthEstimate(cost.name(), pipeline, achieved, demands, tiers, bottleneck);
    }

    /**
     * What a front end says when a memory tier, not compute, sets this kernel's rate: the tier's demand
     * against its offer, the time it costs, the largest stream on it and what would help. For example:
     * "kernel decode is HBM-bound: its HBM streams need 3.20 TB/s to keep its pipeline busy but HBM
     * offers 1.44 TB/s, so a launch takes 2.10 ms instead of 945 us; largest stream: w, 1.2 GiB read".
     *
     * <p>Empty when compute sets the rate, and when the time the tier adds to a launch is below the
     * profile's {@code hardwareLaunchSeconds}, the least any launch costs: a bottleneck that costs less
     * than starting the kernel is not worth an engineer's attention (a small test kernel is always
     * "bound" by its few bytes, by nanoseconds).
     */
    public Optional<String> bottleneckMessage(TargetProfile profile) {
        if (bottleneck == Limiter.COMPUTE
                || achievedSeconds - pipelineSeconds < profile.value(FigureKey.HARDWARE_LAUNCH_SECONDS)) {
            return Optional.empty();
        }
        MemoryChannel channel = MemoryChannel.valueOf(bottleneck.name());
        TierDemand tier = tiers.stream().filter(t -> t.channel() == channel).findFirst().orElseThrow();
        StreamDemand largest = streams.stream().filter(s -> s.channel() == channel)
                .max(Comparator.comparingDouble(StreamDemand::bytes)).orElseThrow();
        String remedy = switch (channel) {
            case DDR, HOST -> "; place " + largest.value() + " in HBM if it fits there";
            case P2P -> "; a lower tensor-parallel degree sends less between sockets";
            case HBM, SRAM -> "";
        };
        String largestStream = String.format(Locale.ROOT, "largest stream: %s, %s %s", largest.value(),
                Sizes.bytes((long) largest.bytes()), largest.write() ? "written" : "read");
        String offer = bottleneck + " offers " + Sizes.rate(tier.offeredBytesPerSecond());
        if (pipelineSeconds <= 0) {
            return Optional.of(String.format(Locale.ROOT, "kernel %s is %s-bound: it does no compute, only %s traffic; %s,"
                    + " so a launch takes %s; %s%s", kernel, bottleneck, bottleneck, offer, Sizes.seconds(achievedSeconds),
                    largestStream, remedy));
        }
        return Optional.of(String.format(Locale.ROOT, "kernel %s is %s-bound: its %s streams need %s to keep its pipeline"
                + " busy but %s, so a launch takes %s instead of %s; %s%s", kernel, bottleneck, bottleneck,
                Sizes.rate(tier.requiredBytesPerSecond()), offer, Sizes.seconds(achievedSeconds),
                Sizes.seconds(pipelineSeconds), largestStream, remedy));
    }

    /** Concurrent streams to carry {@code required}, or the offer when the demand is unbounded. */
    private static long streamsFor(double required, double offered, double streamRate) {
        double rate = Double.isInfinite(required) ? offered : required;
        return Math.max(1, (long) Math.ceil(rate / streamRate - 1e-9));
    }

    static double offered(MemoryChannel channel, CostModel model) {
        TargetProfile p = model.profile();
        double memory = model.assumptions().memoryEfficiency().at(Corner.NOMINAL);
        return switch (channel) {
            case SRAM -> 2 * p.value(FigureKey.PMUS_PER_SOCKET) * p.value(FigureKey.PMU_BANDWIDTH_BYTES_PER_SECOND);
            case HBM -> p.value(FigureKey.HBM_BANDWIDTH_BYTES_PER_SECOND) * memory;
            case DDR -> p.value(FigureKey.DDR_BANDWIDTH_BYTES_PER_SECOND) * memory;
            case HOST -> p.value(FigureKey.HOST_PCIE_BYTES_PER_SECOND) * memory;
            case P2P -> p.value(FigureKey.P2P_BYTES_PER_SECOND) * model.assumptions().networkEfficiency().at(Corner.NOMINAL);
        };
    }
}
