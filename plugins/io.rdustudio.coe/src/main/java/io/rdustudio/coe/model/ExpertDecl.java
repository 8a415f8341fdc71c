package io.rdustudio.coe.model;

import java.util.Objects;

import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.SourceLocation;

/**
 * One expert, or {@code count} alike (Samba-CoE declares 150 Llama2-7B-class experts at once).
 * The copies are named by {@link #instanceName(int)}; nothing expands them eagerly, so a
 * declaration of a million experts costs nothing until the check refuses it.
 *
 * @param name           the expert's name; with {@code count > 1}, the stem of its copies' names
 * @param model          the expert's model
 * @param domain         its domain tag (what workloads' weights and traces may name instead of
 *                       an expert), e.g. {@code "finance"}; empty when none
 * @param dtype          the element type of its weights and KV cache; for a parametric model it
 *                       replaces the spec's own ({@link #effectiveModel()})
 * @param tensorParallel sockets (GPUs) one run of the expert spans (8 in Samba-CoE: TP8)
 * @param pinned         whether the expert stays in HBM for good instead of going through the LRU cache
 * @param count          how many alike this declaration stands for; 1 for a single expert
 * @param location       where the expert is declared
 */
public record ExpertDecl(String name, ModelSpec model, String domain, DType dtype, int tensorParallel,
        boolean pinned, int count, SourceLocation location) {

    public ExpertDecl {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(location, "location");
    }

    /**
     * The name of copy {@code index} (0-based): {@link #name()} itself when {@code count == 1},
     * else {@code name_000}, {@code name_001}, ..., zero-padded to at least three digits (more when
     * {@code count > 1000}), so that names sort in declaration order.
     */
    public String instanceName(int index) {
        if (index < 0 || index >= Math.max(1, count)) {
            throw new IndexOutOfBoundsException("copy " + index + " of " + count + " of expert " + name);
        }
        if (count == 1) {
            return name;
        }
        int digits = Math.max(3, Integer.toString(count - 1).length());
        String number = Integer.toString(index);
        return name + "_" + "0".repeat(digits - number.length()) + number;
    }

    /** The model the resolver is asked for: a parametric spec at this expert's dtype, a reference as written. */
    public ModelSpec effectiveModel() {
        return model instanceof ModelSpec.Parametric p ? p.withDtype(dtype) : model;
    }

    /** The same expert declared {@code copies} times (sweeps grow a deployment this way). */
    public ExpertDecl withCount(int copies) {
        return new ExpertDecl(name, model, domain, dtype, tensorParallel, pinned, copies, location);
    }
}
