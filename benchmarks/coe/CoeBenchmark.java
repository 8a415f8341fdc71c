// CoE serving benchmarks (issue 6): simulating 100,000 requests over 150 experts (target under 5 s),
// and a sweep over 1..1,000 experts on three platforms, 1,000 requests a point (target under 30 s).
//
// Run with benchmarks/coe-sim.sh, which builds the CoE plugin (no install) and starts this
// single-file program on its classes:
//   java -cp <core and coe classes>:<gson jar> benchmarks/coe/CoeBenchmark.java [simulate|sweep|all] [--slow-timing-ms N]
//
// The model timings come from RooflineResolver below, not from the timing emulator: an
// emulator-backed resolver needs a DFK program, i.e. the grammar (the coe-lang side builds that
// one). The figures it uses are the target profiles' (HBM bandwidth, peak FLOP/s per device). The
// simulator memoises each model's times per prompt and output length, so the resolver is asked a
// few dozen times per run whatever it costs; --slow-timing-ms makes every timing call that slow
// (an emulated run takes milliseconds) to show that.

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.rdustudio.coe.ServingResult;
import io.rdustudio.coe.ServingSimulator;
import io.rdustudio.coe.Sweep;
import io.rdustudio.coe.SweepResult;
import io.rdustudio.coe.model.CachePolicy;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.ExpertMix;
import io.rdustudio.coe.model.Hardware;
import io.rdustudio.coe.model.ModelFootprint;
import io.rdustudio.coe.model.ModelResolver;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.ModelTiming;
import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.coe.model.RouterDecl;
import io.rdustudio.coe.model.RuntimePolicy;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.target.FigureKey;
import io.rdustudio.core.target.TargetKind;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;

public class CoeBenchmark {

    static final AtomicLong TIMING_CALLS = new AtomicLong();
    static long slowNanos;

    /**
     * A roofline of a Llama-class decoder from the profile: a decode step reads every weight and
     * the KV cache once from HBM over the tensor-parallel devices; a prefill is bound by FLOPs
     * (2 per parameter per token) or by the weight read, whichever is slower.
     */
    static final class RooflineResolver implements ModelResolver {
        @Override
        public ResolvedModel resolve(ModelSpec spec, int tp, TargetProfile platform) {
            ModelSpec.Parametric p = (ModelSpec.Parametric) spec;
            ModelFootprint f = ModelFootprint.ofShape(p);
            boolean gpu = platform.kind() == TargetKind.GPU;
            double bw = tp * platform.value(FigureKey.HBM_BANDWIDTH_BYTES_PER_SECOND);
            double flops = tp * platform.value(gpu ? FigureKey.PEAK_FLOPS_PER_GPU : FigureKey.PEAK_FLOPS_PER_SOCKET);
            double params = p.parameters();
            ModelTiming timing = new ModelTiming() {
                @Override
                public double prefillSeconds(int promptTokens, int batch) {
                    slow();
                    return Math.max(2 * params * promptTokens * batch / flops, f.weightBytes() / bw);
                }

                @Override
                public double decodeStepSeconds(int kvLengthTokens, int batch) {
                    slow();
                    return (f.weightBytes() + (double) batch * kvLengthTokens * f.kvCacheBytesPerToken()) / bw;
                }
            };
            return new ResolvedModel(f, timing);
        }
    }

    static void slow() {
        TIMING_CALLS.incrementAndGet();
        if (slowNanos > 0) {
            long end = System.nanoTime() + slowNanos;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }
    }

    static Deployment samba(int experts, int batch) {
        SourceLocation at = SourceLocation.UNKNOWN;
        ModelSpec.Parametric llama = ModelSpec.Parametric.llama2_7b();
        return new Deployment("samba-coe", new Hardware("sn40l-node", 1, at), new RouterDecl(llama, Optional.empty(), 8, at),
                List.of(new ExpertDecl("expert", llama, "general", DType.BF16, 8, false, experts, at)),
                new RuntimePolicy(CachePolicy.LRU, batch, 0.01, 4096, true, at), List.of(), List.of(), at);
    }

    static Workload chat(int requests, double rate) {
        return new Workload("chatbot", 128, 20, rate, new ExpertMix.Zipf(0.8), requests, 42, SourceLocation.UNKNOWN);
    }

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "all";
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--slow-timing-ms")) {
                slowNanos = (long) (Double.parseDouble(args[i + 1]) * 1e6);
            }
        }
        System.out.printf("Java %s, %d cores, timing calls cost %.1f ms extra%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), slowNanos / 1e6);
        ModelResolver resolver = new RooflineResolver();
        TargetProfile sn40l = TargetProfiles.load("sn40l-node");
        if (what.equals("simulate") || what.equals("all")) {
            for (int run = 1; run <= 3; run++) {
                TIMING_CALLS.set(0);
                long t0 = System.nanoTime();
                ServingResult r = ServingSimulator.simulate(samba(150, 8), chat(100_000, 40), resolver, sn40l, () -> false,
                        f -> {
                        });
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("simulate run %d: %.3f s for %,d requests over 150 experts (p90 %.4f s, hit rate %.3f, "
                        + "%d timing calls)%n", run, s, r.requests().size(), r.latency().p90Seconds(), r.hitRate(), TIMING_CALLS.get());
            }
        }
        if (what.equals("sweep") || what.equals("all")) {
            List<TargetProfile> platforms = List.of(sn40l, TargetProfiles.load("dgx-a100"), TargetProfiles.load("dgx-h100"));
            for (int run = 1; run <= 2; run++) {
                TIMING_CALLS.set(0);
                long t0 = System.nanoTime();
                SweepResult r = Sweep.run(samba(150, 8), chat(1000, 4), resolver, platforms, Sweep.range(1, 1000), 1000,
                        () -> false, f -> {
                        });
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("sweep run %d: %.3f s for %,d points (1..1,000 experts x 3 platforms, 1,000 requests each; "
                        + "dgx-a100 out of memory from %s; %d timing calls)%n", run, s, r.points().size(),
                        r.firstOutOfMemory("dgx-a100").orElse(-1), TIMING_CALLS.get());
            }
        }
    }
}
