package io.rdustudio.cli;

import org.apache.log4j.Layout;
import org.apache.log4j.spi.LoggingEvent;
import org.apache.log4j.spi.ThrowableInformation;

/**
 * Writes each log event as one line on stderr, naming a throwable by its class and message but
 * never printing its stack trace: users of the CLI and of editors see messages, not traces
 * (configured in {@code log4j.properties}).
 */
public final class OneLineLogLayout extends Layout {

    @Override
    public String format(LoggingEvent event) {
        StringBuilder line = new StringBuilder("dfk: ")
                .append(event.getLevel().toString().toLowerCase(java.util.Locale.ROOT))
                .append(": ")
                .append(event.getRenderedMessage());
        ThrowableInformation thrown = event.getThrowableInformation();
        if (thrown != null && thrown.getThrowable() != null) {
            line.append(" (").append(thrown.getThrowable()).append(')');
        }
        return line.append(System.lineSeparator()).toString();
    }

    /** False: this layout has already described the throwable, so the appender must not print its trace. */
    @Override
    public boolean ignoresThrowable() {
        return false;
    }

    @Override
    public void activateOptions() {
        // no options
    }
}
