package io.rdustudio.dfk.parser;

import java.util.concurrent.atomic.AtomicReference;

import org.antlr.runtime.CharStream;
import org.eclipse.xtext.nodemodel.impl.NodeModelBuilder;
import org.eclipse.xtext.parser.IParseResult;

import io.rdustudio.dfk.parser.antlr.DfkParser;

/**
 * The generated recursive-descent parser uses about a dozen stack frames per nesting level, so a
 * deeply nested expression overflows an ordinary thread's stack. Parsing runs on a thread with a
 * large stack (reserved, not committed, until used): ten thousand nested parentheses parse. Beyond
 * that the file gets one clear error instead of a crash.
 */
public class DeepNestingParser extends DfkParser {

    /** Bytes of stack for the parsing thread. */
    static final long PARSER_STACK_BYTES = 1L << 30;

    @Override
    protected IParseResult doParse(String ruleName, CharStream in, NodeModelBuilder nodeModelBuilder,
            int initialLookAhead) {
        AtomicReference<IParseResult> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread parser = new Thread(null, () -> {
            try {
                result.set(super.doParse(ruleName, in, nodeModelBuilder, initialLookAhead));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "dfk-parser", PARSER_STACK_BYTES);
        parser.start();
        try {
            parser.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.eclipse.xtext.service.OperationCanceledError(new java.util.concurrent.CancellationException());
        }
        Throwable t = failure.get();
        if (t == null) {
            return result.get();
        }
        if (isStackOverflow(t)) {
            throw new org.eclipse.xtext.parser.ParseException(
                    "expression nested too deeply to parse; flatten it with intermediate let constants or values",
                    new IllegalStateException(t));
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    private static boolean isStackOverflow(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StackOverflowError) {
                return true;
            }
        }
        return false;
    }
}
