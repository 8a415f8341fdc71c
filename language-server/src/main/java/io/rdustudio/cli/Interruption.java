package io.rdustudio.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT, SIGTERM) during a command that writes files. The JVM halts as soon as its
 * shutdown hooks return, so the hook does not merely raise a flag: it raises it, then waits until
 * the command has wound down ({@link #close()}: the run saw the flag, deleted its staging folders
 * and printed why it stopped), at most {@value #WAIT_SECONDS} s. The exit status is then the
 * JVM's for the signal (130 for SIGINT).
 *
 * <p>Use: {@code try (Interruption i = Interruption.install()) { ... i::requested ... }}, with the
 * message printed inside the block.
 */
final class Interruption implements AutoCloseable {

    /** The longest the hook holds the JVM for a run to stop; a run polls its flag at least every operation. */
    static final long WAIT_SECONDS = 10;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::interrupted, "dfk-interrupt");

    private Interruption() {
    }

    static Interruption install() {
        Interruption i = new Interruption();
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    /** Whether the user asked to stop. */
    boolean requested() {
        return requested.get();
    }

    private void interrupted() {
        requested.set(true);
        try {
            finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command is over, whether it finished, failed or stopped: the hook may let the JVM halt. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is stopping and the hook is running: it returns now that the latch is open
        }
    }
}
