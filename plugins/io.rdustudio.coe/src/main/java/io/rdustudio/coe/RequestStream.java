package io.rdustudio.coe;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

import io.rdustudio.coe.model.ExpertMix;
import io.rdustudio.coe.model.ResolvedModel;
import io.rdustudio.coe.model.Workload;

/**
 * A workload's requests, in arrival order: when each arrives, which expert it needs, its lengths.
 * Poisson arrivals and the mix's choices come from two independent streams split from the
 * workload's seed (so a different mix keeps the same arrival times); a trace is replayed.
 * {@code StrictMath} keeps the draws identical on every machine and JVM.
 */
final class RequestStream {

    final double[] arrival;
    final int[] expert;
    final int[] prompt;
    final int[] output;

    private RequestStream(double[] arrival, int[] expert, int[] prompt, int[] output) {
        this.arrival = arrival;
        this.expert = expert;
        this.prompt = prompt;
        this.output = output;
    }

    int size() {
        return arrival.length;
    }

    /**
     * The requests of {@code w} on a checked deployment: its policy's output cap, each expert's and
     * the router's context (unbounded for a model that did not resolve, which the check reports).
     *
     * @throws DeploymentException for a trace with bad lines
     */
    static RequestStream of(CheckedDeployment c, Workload w) {
        ExpertTable table = c.table();
        IntUnaryOperator contextOf = e -> {
            ResolvedModel m = c.declModels()[table.decl(e)];
            return m == null ? Integer.MAX_VALUE : m.footprint().maxContextTokens();
        };
        int routerContext = c.router() == null ? Integer.MAX_VALUE : c.router().footprint().maxContextTokens();
        return of(w, table, c.deployment().policy().maxOutputTokens(), contextOf, routerContext);
    }

    /**
     * @param outputCap the policy's most output tokens
     * @param contextOf the maximum context of each expert, by index (for trace lines)
     * @param routerContext the router's maximum context (for trace lines)
     * @throws DeploymentException for a trace with bad lines
     */
    static RequestStream of(Workload w, ExpertTable table, int outputCap, IntUnaryOperator contextOf, int routerContext) {
        SplittableRandom root = new SplittableRandom(w.seed());
        SplittableRandom arrivals = root.split();
        SplittableRandom choices = root.split();
        if (w.mix() instanceof ExpertMix.Trace t) {
            return replay(new TraceReader(t.jsonLines(), table, w, outputCap, contextOf, routerContext, choices).read());
        }
        int n = w.requests();
        double[] arrival = new double[n];
        int[] expert = new int[n];
        int[] prompt = new int[n];
        int[] output = new int[n];
        double[] cumulative = cumulativeWeights(w.mix(), table);
        double clock = 0;
        int out = Math.min(w.outputTokens(), outputCap);
        for (int i = 0; i < n; i++) {
            clock += -StrictMath.log(1 - arrivals.nextDouble()) / w.arrivalsPerSecond();
            arrival[i] = clock;
            expert[i] = pick(cumulative, choices);
            prompt[i] = w.promptTokens();
            output[i] = out;
        }
        return new RequestStream(arrival, expert, prompt, output);
    }

    private static RequestStream replay(List<TraceReader.Line> lines) {
        Integer[] order = new Integer[lines.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(lines.get(a).arrivalSeconds(), lines.get(b).arrivalSeconds()));
        int n = order.length;
        double[] arrival = new double[n];
        int[] expert = new int[n];
        int[] prompt = new int[n];
        int[] output = new int[n];
        for (int i = 0; i < n; i++) {
            TraceReader.Line line = lines.get(order[i]);
            arrival[i] = line.arrivalSeconds();
            expert[i] = line.expert();
            prompt[i] = line.promptTokens();
            output[i] = line.outputTokens();
        }
        return new RequestStream(arrival, expert, prompt, output);
    }

    /** Running sums of each expert's weight under the mix (checked: finite, one positive). */
    static double[] cumulativeWeights(ExpertMix mix, ExpertTable table) {
        double[] weight = new double[table.size()];
        if (mix instanceof ExpertMix.Zipf z) {
            for (int k = 0; k < weight.length; k++) {
                weight[k] = 1.0 / StrictMath.pow(k + 1, z.s());
            }
        } else if (mix instanceof ExpertMix.Weights ws) {
            for (Map.Entry<String, Double> e : ws.byExpertOrDomain().entrySet()) {
                int[] named = table.lookup(e.getKey());
                if (named.length > 0) {
                    for (int x : named) {
                        weight[x] += e.getValue() / named.length;
                    }
                } else {
                    List<Integer> domain = table.domain(e.getKey());
                    for (int x : domain) {
                        weight[x] += e.getValue() / domain.size();
                    }
                }
            }
        } else {
            Arrays.fill(weight, 1.0);
        }
        double[] cumulative = new double[weight.length];
        double sum = 0;
        for (int k = 0; k < weight.length; k++) {
            sum += weight[k];
            cumulative[k] = sum;
        }
        return cumulative;
    }

    /** The first expert whose running sum exceeds a uniform draw below the total. */
    private static int pick(double[] cumulative, SplittableRandom rng) {
        double u = rng.nextDouble() * cumulative[cumulative.length - 1];
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
