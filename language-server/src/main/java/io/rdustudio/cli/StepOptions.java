package io.rdustudio.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.rdustudio.core.diag.Diagnostic;
import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.ir.Program;
import io.rdustudio.dfk.lowering.LoweringResult;
import io.rdustudio.emulator.Emulation;
import picocli.CommandLine.Option;

/**
 * The multi-step options that {@code run} and {@code compare} share (a picocli mixin):
 * {@code --steps N [--vary NAME=START] [--every-step]}, checked before the file is read, and
 * turned into {@link Emulation.Steps} whose programs are the file lowered again with the constant set.
 */
final class StepOptions {

    @Option(names = "--steps", paramLabel = "N",
            description = "time N steps back to back (decode: one token each; timing only)")
    Long steps;

    @Option(names = "--vary", paramLabel = "NAME=START",
            description = "with --steps: step i runs the program with constant NAME = START + i (a growing KV length)")
    Map<String, Long> vary = new LinkedHashMap<>();

    @Option(names = "--every-step",
            description = "with --steps: emulate every step instead of fitting a per-step model to a few of them")
    boolean everyStep;

    /**
     * Refuses options that do not go together (exit 2); {@code timed} says whether the command
     * runs timing only, as a multi-step run must.
     */
    void check(boolean timed, PrintWriter err) {
        if (steps == null && (!vary.isEmpty() || everyStep)) {
            throw ProgramInput.fail(err, (vary.isEmpty() ? "--every-step" : "--vary") + " applies to a multi-step run;"
                    + " give the number of steps with --steps N", DfkCli.EXIT_USAGE);
        }
        if (steps == null) {
            return;
        }
        if (steps < 1) {
            throw ProgramInput.fail(err, "--steps must be at least 1, not " + steps, DfkCli.EXIT_USAGE);
        }
        if (!timed) {
            throw ProgramInput.fail(err, "--steps times a multi-step run, and numerical runs execute one step;"
                    + " add --timing-only", DfkCli.EXIT_USAGE);
        }
        if (vary.size() > 1) {
            throw ProgramInput.fail(err, "--vary takes one constant (the one that grows per step), not "
                    + String.join(" and ", vary.keySet()), DfkCli.EXIT_USAGE);
        }
    }

    /** The steps the options ask for, if any. */
    Optional<Emulation.Steps> of(ProgramInput.Ready ready, PrintWriter err) {
        if (steps == null) {
            return Optional.empty();
        }
        Emulation.Steps multi = Emulation.Steps.repeated(steps);
        if (!vary.isEmpty()) {
            Map.Entry<String, Long> v = vary.entrySet().iterator().next();
            multi = Emulation.Steps.varying(steps, v.getKey(), v.getValue(), value -> lowered(ready, v.getKey(), value, err));
        }
        return Optional.of(multi.withEveryStep(everyStep));
    }

    /**
     * The file lowered with {@code constant = value}; a value the program does not allow stops the
     * command with the lowering's errors, each at its place.
     */
    private static Program lowered(ProgramInput.Ready ready, String constant, long value, PrintWriter err) {
        LoweringResult r = ready.relower().apply(Map.of(constant, value));
        List<Diagnostic> errors = r.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).toList();
        if (errors.isEmpty() && r.program() != null) {
            return r.program();
        }
        err.println("dfk: with --vary " + constant + "=" + value + " the program does not lower:");
        errors.forEach(d -> err.println(ready.header().diagnosticLine(d)));
        err.flush();
        throw new ProgramInput.Stop(DfkCli.EXIT_ERRORS_FOUND);
    }
}
