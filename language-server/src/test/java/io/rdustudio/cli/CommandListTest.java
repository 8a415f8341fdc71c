package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.Command;

/** {@code dfk} and {@code dfk coe} without a command name every command they have, from picocli's registry. */
class CommandListTest {

    @Test
    void dfkAloneNamesEveryCommand() {
        Dfk.Run run = Dfk.run().assertNoTrace();

        assertEquals(DfkCli.EXIT_USAGE, run.exitCode(), run.printed());
        assertTrue(run.err().contains("name a command: check, estimate, place, memory, run, compare, coe or lsp"),
                run.printed());
        namesEverySubcommand(DfkCli.class, run);
    }

    @Test
    void coeAloneNamesEveryCoeCommand() {
        Dfk.Run run = Dfk.run("coe").assertNoTrace();

        assertEquals(DfkCli.EXIT_USAGE, run.exitCode(), run.printed());
        assertTrue(run.err().contains("name a coe command: check, simulate, sweep, plan, export or import"), run.printed());
        namesEverySubcommand(CoeCommand.class, run);
    }

    /** Whatever is registered later is named too: the list is not written out anywhere. */
    private static void namesEverySubcommand(Class<?> command, Dfk.Run run) {
        for (Class<?> sub : command.getAnnotation(Command.class).subcommands()) {
            String name = sub.getAnnotation(Command.class).name();
            assertTrue(run.err().contains(" " + name), () -> "'" + name + "' is not named\n" + run.printed());
        }
    }
}
