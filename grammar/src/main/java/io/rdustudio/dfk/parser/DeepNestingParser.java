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

    /**
     * Brackets deeper than this are refused before parsing: no program nests that deep, and the
     * generated parser's error recovery takes quadratic time on deep unclosed brackets.
     */
    static final int MAX_NESTING = 2_000;

    @Override
    protected IParseResult doParse(String ruleName, CharStream in, NodeModelBuilder nodeModelBuilder,
            int initialLookAhead) {
        int depth = maxNesting(in);
        if (depth > MAX_NESTING) {
            throw new org.eclipse.xtext.parser.ParseException("brackets nest " + depth + " deep, more than the "
                    + MAX_NESTING + " DFK accepts; flatten the expression with intermediate let constants or values",
                    new IllegalArgumentException("nesting " + depth));
        }
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

    /** The deepest bracket nesting of the input (comments and strings are not told apart: a bound). */
    static int maxNesting(CharStream in) {
        int depth = 0;
        int max = 0;
        String text = in.size() == 0 ? "" : in.substring(0, in.size() - 1);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                max = Math.max(max, ++depth);
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
        }
        return max;
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
