package io.rdustudio.emulator.numeric;

import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** What a kernel run reports to, and asks, the run it belongs to: dump hook, cancellation, first non-finite value. */
final class RunContext {

    private final Consumer<Intermediate> dump;
    private final BooleanSupplier cancelled;
    private NonFinite firstNonFinite;

    RunContext(Consumer<Intermediate> dump, BooleanSupplier cancelled) {
        this.dump = dump;
        this.cancelled = cancelled == null ? () -> false : cancelled;
    }

    static RunContext quiet() {
        return new RunContext(null, null);
    }

    void checkCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("numerical run cancelled");
        }
    }

    boolean dumping() {
        return dump != null;
    }

    void dump(Intermediate value) {
        if (dump != null) {
            dump.accept(value);
        }
    }

    boolean sawNonFinite() {
        return firstNonFinite != null;
    }

    void nonFinite(NonFinite found) {
        if (firstNonFinite == null) {
            firstNonFinite = found;
        }
    }

    Optional<NonFinite> firstNonFinite() {
        return Optional.ofNullable(firstNonFinite);
    }
}
