package io.rdustudio.coe.model;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a workload's prompts spread over the experts. The experts are taken in declaration order,
 * each declaration's copies in {@link ExpertDecl#instanceName(int)} order.
 */
public sealed interface ExpertMix permits ExpertMix.Uniform, ExpertMix.Zipf, ExpertMix.Weights, ExpertMix.Trace {

    /** Every expert equally likely. */
    record Uniform() implements ExpertMix {
    }

    /**
     * Zipf's law over the experts in declaration order: the expert of rank {@code k} (1-based) is
     * picked with probability proportional to {@code 1 / k^s}.
     *
     * @param s the exponent; 0 is uniform, about 1 is typical of natural traffic; must be at least 0
     */
    record Zipf(double s) implements ExpertMix {
    }

    /**
     * Explicit relative weights. A key is an expert's declared name (its weight is split evenly
     * over its copies), one copy's instance name, or a domain tag (split evenly over the experts of
     * that domain). Experts no key reaches get weight 0. Weights are relative: they need not sum to
     * 1, must be finite and at least 0, and at least one must be positive. Iteration order is kept.
     *
     * @param byExpertOrDomain weight per expert name, instance name or domain
     */
    record Weights(Map<String, Double> byExpertOrDomain) implements ExpertMix {

        public Weights {
            byExpertOrDomain = Collections.unmodifiableMap(new LinkedHashMap<>(byExpertOrDomain));
        }
    }

    /**
     * Requests replayed from a file in JSON Lines: one JSON object per line, blank lines ignored.
     * Fields: {@code "arrivalSeconds"} (number, at least 0; required), exactly one of
     * {@code "expert"} (an expert's declared or instance name) or {@code "domain"} (a domain tag;
     * one of its experts is drawn uniformly from the workload's seed), and optionally
     * {@code "promptTokens"} and {@code "outputTokens"} (positive integers; the workload's
     * lengths when absent). Lines need not be in time order; they are served in arrival order,
     * ties in file order. The workload's arrival rate is not used.
     *
     * @param jsonLines the trace file; the language side resolves a relative path against the
     *                  descriptor's folder, so here it is absolute or relative to the working directory
     */
    record Trace(Path jsonLines) implements ExpertMix {

        public Trace {
            Objects.requireNonNull(jsonLines, "jsonLines");
        }
    }
}
