package io.rdustudio.coelang.resolver;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.rdustudio.coe.model.ModelResolutionException;
import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Program;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.lowering.DfkLowering;
import io.rdustudio.dfk.lowering.LoweringResult;

/**
 * A DFK program lowered at the lengths and batch being served: the constants it binds to the prompt
 * length, the KV length and the batch are set ({@link DfkLowering#lower(Model, Map)}), every other
 * constant keeps its value as written, apart from fixed overrides (the template's shape figures).
 * What both the bundled Llama template and a model given by reference are.
 *
 * <p>Lowering reads the program's shared syntax tree, so it runs under the tree's lock (it takes
 * milliseconds; the emulation that follows does not hold it).
 */
final class BoundProgram {

    private final Model model;
    private final String failure;
    private final Map<String, Long> fixed;
    private final String prompt;
    private final String kv;
    private final String batch;
    private volatile Program ownLengths;

    /**
     * @param failure what an error message starts with when the program does not lower
     * @param fixed   constants set whatever is served
     * @param prompt  the constant holding the prompt length, "" when the program binds none (likewise {@code kv}, {@code batch})
     */
    BoundProgram(Model model, String failure, Map<String, Long> fixed, String prompt, String kv, String batch) {
        this.model = model;
        this.failure = failure;
        this.fixed = Map.copyOf(fixed);
        this.prompt = prompt;
        this.kv = kv;
        this.batch = batch;
    }

    boolean bindsPrompt() {
        return !prompt.isEmpty();
    }

    boolean bindsKv() {
        return !kv.isEmpty();
    }

    boolean bindsBatch() {
        return !batch.isEmpty();
    }

    /**
     * The program at {@code promptTokens}, a KV cache of {@code kvTokens} positions and
     * {@code sequences} sequences; a value the program does not bind is ignored.
     *
     * @throws ModelResolutionException when it does not lower (the first errors say why)
     */
    Program lower(long promptTokens, long kvTokens, int sequences) {
        Map<String, Long> bound = new LinkedHashMap<>();
        if (bindsPrompt()) {
            bound.put(prompt, promptTokens);
        }
        if (bindsKv()) {
            bound.put(kv, kvTokens);
        }
        if (bindsBatch()) {
            bound.put(batch, (long) sequences);
        }
        Map<String, Long> overrides = new LinkedHashMap<>(fixed);
        overrides.putAll(bound);
        LoweringResult result;
        synchronized (model) {
            result = DfkLowering.lower(model, overrides);
        }
        String errors = result.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).map(Diagnostic::message)
                .distinct().limit(3).collect(Collectors.joining("; "));
        if (!errors.isEmpty()) {
            String at = bound.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining(", "));
            throw new ModelResolutionException(failure + (at.isEmpty() ? "" : " (at " + at + ")") + ": " + errors);
        }
        return result.program();
    }

    /** The program with none of the served values set: its own lengths and batch (lowered once). */
    Program asWritten() {
        Program known = ownLengths;
        if (known == null) {
            known = new BoundProgram(model, failure, fixed, "", "", "").lower(0, 0, 0);
            ownLengths = known;
        }
        return known;
    }

    /** The program at its own lengths, with {@code sequences} sequences when it binds the batch. */
    Program atBatch(int sequences) {
        return new BoundProgram(model, failure, fixed, "", "", batch).lower(0, 0, sequences);
    }

    /** The value {@code constant} has as the program is written (0 for ""). */
    long written(String constant) {
        return constant.isEmpty() ? 0 : asWritten().constants().getOrDefault(constant, 0L);
    }

    String promptConstant() {
        return prompt;
    }

    String kvConstant() {
        return kv;
    }
}
