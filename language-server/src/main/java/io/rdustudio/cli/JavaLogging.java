package io.rdustudio.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * LSP4J logs through {@code java.util.logging}, whose default prints stack traces (for example
 * when a client disconnects). Like {@link OneLineLogLayout} for log4j: warnings and worse, one
 * line each, on stderr.
 */
final class JavaLogging {

    private JavaLogging() {
    }

    static void configure() {
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler stderr = new ConsoleHandler();
        stderr.setLevel(Level.WARNING);
        stderr.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                String line = "dfk: " + record.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + ": "
                        + formatMessage(record);
                if (record.getThrown() != null) {
                    line += " (" + record.getThrown() + ")";
                }
                return line + System.lineSeparator();
            }
        });
        root.addHandler(stderr);
        root.setLevel(Level.WARNING);
    }
}
