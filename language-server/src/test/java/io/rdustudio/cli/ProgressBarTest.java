package io.rdustudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/** The progress bar: drawn on a terminal, redrawn on change only, silent anywhere else. */
class ProgressBarTest {

    @Test
    void onATerminalTheBarShowsThePhaseAndThePercentage() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err), true);
        bar.update("timing", 0.1);
        bar.update("timing", 0.1);
        bar.update("numerical run", 0.5);
        bar.finish();
        String drawn = err.toString();
        assertEquals(2, drawn.chars().filter(c -> c == '\r').count(), "redrawn only when something changed: " + drawn);
        assertTrue(drawn.contains("[###                           ]  10% timing"), drawn);
        assertTrue(drawn.contains("[###############               ]  50% numerical run"), drawn);
        assertTrue(drawn.endsWith(System.lineSeparator()), "the line is ended");
    }

    @Test
    void elsewhereNothingIsPrinted() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err), false);
        bar.update("timing", 0.5);
        bar.finish();
        assertEquals("", err.toString());
    }
}
