package io.rdustudio.emulator.timing;

import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

import io.rdustudio.core.ir.Orchestration;

/**
 * How to time a program.
 *
 * @param orchestration overrides the schedule's orchestration when present
 * @param unfused       every operator its own kernel (intermediates through HBM, one launch each)
 * @param cancelled     polled between calls; once true the run stops and the result is incomplete
 * @param progress      receives the fraction of calls done, 0 to 1
 * @param bufferTiles   overrides the capacity, in tiles, of the stage buffer holding the named value
 *                      (what-if experiments and tests); empty normally
 * @param programsResident every kernel's configuration is already on the device, as in the second and later
 *                      steps of a multi-step run: hardware orchestration pays no program load (software
 *                      orchestration reloads at every launch anyway); default false
 */
public record TimingOptions(Optional<Orchestration> orchestration, boolean unfused, BooleanSupplier cancelled,
        DoubleConsumer progress, Map<String, Long> bufferTiles, boolean programsResident) {

    public static final TimingOptions DEFAULT = new TimingOptions(Optional.empty(), false, () -> false, f -> {
    }, Map.of(), false);

    public TimingOptions {
        bufferTiles = Map.copyOf(bufferTiles);
    }

    public TimingOptions withOrchestration(Orchestration o) {
        return new TimingOptions(Optional.of(o), unfused, cancelled, progress, bufferTiles, programsResident);
    }

    public TimingOptions withUnfused(boolean u) {
        return new TimingOptions(orchestration, u, cancelled, progress, bufferTiles, programsResident);
    }

    public TimingOptions withCancellation(BooleanSupplier c, DoubleConsumer p) {
        return new TimingOptions(orchestration, unfused, c, p, bufferTiles, programsResident);
    }

    public TimingOptions withBufferTiles(Map<String, Long> tiles) {
        return new TimingOptions(orchestration, unfused, cancelled, progress, tiles, programsResident);
    }

    public TimingOptions withProgramsResident(boolean resident) {
        return new TimingOptions(orchestration, unfused, cancelled, progress, bufferTiles, resident);
    }
}
