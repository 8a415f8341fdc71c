package io.rdustudio.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar on stderr, drawn only when the command runs on a terminal
 * ({@link System#console()}), so that logs and pipes stay clean. Redrawn when the percentage or the
 * phase changes; {@link #finish()} ends the line.
 */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private long lastPercent = -1;
    private String lastPhase = "";
    private boolean drawn;

    ProgressBar(PrintWriter err) {
        this(err, System.console() != null);
    }

    ProgressBar(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** @param fraction of the whole command done, 0 to 1 */
    void update(String phase, double fraction) {
        if (!terminal) {
            return;
        }
        long percent = Math.round(100 * Math.max(0, Math.min(1, fraction)));
        if (percent == lastPercent && phase.equals(lastPhase)) {
            return;
        }
        lastPercent = percent;
        lastPhase = phase;
        int filled = (int) (WIDTH * percent / 100);
        err.print(String.format(Locale.ROOT, "\r[%s%s] %3d%% %-24s", "#".repeat(filled), " ".repeat(WIDTH - filled),
                percent, phase));
        err.flush();
        drawn = true;
    }

    /** Ends the bar's line, if one was drawn, so that what follows starts on a line of its own. */
    void finish() {
        if (drawn) {
            err.println();
            err.flush();
            drawn = false;
        }
    }
}
