package io.rdustudio.core.ir;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lowered DFK program: the entry file and everything it imports, resolved, with shapes inferred.
 * This is what every analysis, the emulator and the CoE simulator take; none of them ever sees
 * the syntax tree.
 *
 * @param constants every {@code let} in scope, evaluated
 * @param tensors   program-level tensors in declaration order
 * @param kernels   kernel instances by instance name, in first-use order
 * @param schedule  the launch sequence, absent for a library file
 */
public record Program(String name, String uri, Map<String, Long> constants, List<TensorDecl> tensors,
        Map<String, Kernel> kernels, Optional<Schedule> schedule) {

    public Program {
        constants = Map.copyOf(constants);
        tensors = List.copyOf(tensors);
        kernels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(kernels));
    }

    public Optional<TensorDecl> tensor(String tensorName) {
        return tensors.stream().filter(t -> t.name().equals(tensorName)).findFirst();
    }

    /** Total elements of all weight tensors: the model's parameter count. */
    public long parameterCount() {
        long n = 0;
        for (TensorDecl t : tensors) {
            if (t.role() == Role.WEIGHT) {
                n = Math.addExact(n, t.type().shape().elements());
            }
        }
        return n;
    }

    public Program withSchedule(Schedule newSchedule) {
        return new Program(name, uri, constants, tensors, kernels, Optional.of(newSchedule));
    }
}
