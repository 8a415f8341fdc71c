package io.rdustudio.dfk.ide;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The call whose parentheses enclose a cursor, found in the text rather than the syntax tree: while
 * a call is being typed ({@code matmul(a, }) it does not parse yet, and that is exactly when
 * signature help and attribute completion are asked for. The scan skips comments and strings and
 * starts afresh at every brace, so one unclosed parenthesis earlier in the file does not mislead it
 * (a brace inside a block comment that spans lines may, a price for not scanning the whole file).
 *
 * @param callee          the name written before the opening parenthesis
 * @param calleeOffset    where that name starts
 * @param arguments       the arguments written so far, up to the cursor, the last one the cursor's
 * @param insideBrackets  whether the cursor is inside brackets or parentheses within the call ({@code w[l},
 *                        {@code perm=[0, }, {@code (a + })
 */
public record CallAtCursor(String callee, int calleeOffset, List<Argument> arguments, boolean insideBrackets) {

    /**
     * One argument of the call as written.
     *
     * @param attribute the attribute name when it is written {@code name=value}, else null
     */
    public record Argument(int offset, String text, String attribute) {

        public boolean positional() {
            return attribute == null;
        }
    }

    private static final Pattern NAMED = Pattern.compile("^\\s*([A-Za-z_][A-Za-z_0-9]*)\\s*=(?!=)");

    public CallAtCursor {
        arguments = List.copyOf(arguments);
    }

    /** The argument the cursor is in. */
    public Argument current() {
        return arguments.get(arguments.size() - 1);
    }

    /** How many positional arguments come before the cursor's argument. */
    public int positionalBefore() {
        int n = 0;
        for (int i = 0; i < arguments.size() - 1; i++) {
            if (arguments.get(i).positional()) {
                n++;
            }
        }
        return n;
    }

    /** The attribute names the call already gives, the cursor's argument excluded. */
    public List<String> attributesGiven() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < arguments.size() - 1; i++) {
            if (!arguments.get(i).positional()) {
                names.add(arguments.get(i).attribute());
            }
        }
        return names;
    }

    private static final class Frame {
        final char opener;
        final String callee;
        final int calleeOffset;
        final List<Integer> argumentStarts = new ArrayList<>();

        Frame(char opener, String callee, int calleeOffset, int firstArgument) {
            this.opener = opener;
            this.callee = callee;
            this.calleeOffset = calleeOffset;
            argumentStarts.add(firstArgument);
        }
    }

    /** The innermost named call around {@code offset} in {@code text}, if there is one. */
    public static Optional<CallAtCursor> find(String text, int offset) {
        int end = Math.min(Math.max(offset, 0), text.length());
        Deque<Frame> open = new ArrayDeque<>();
        // every brace starts afresh, so the scan may start at the line of the last one: the cost of
        // a request then does not grow with the file
        int brace = Math.max(text.lastIndexOf('{', end - 1), text.lastIndexOf('}', end - 1));
        int i = brace < 0 ? 0 : text.lastIndexOf('\n', brace) + 1;
        while (i < end) {
            char c = text.charAt(i);
            if (c == '/' && i + 1 < end && text.charAt(i + 1) == '/' || c == '#') {
                i = lineEnd(text, i);
                continue;
            }
            if (c == '/' && i + 1 < end && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                i = close < 0 ? end : close + 2;
                continue;
            }
            if (c == '"') {
                i = stringEnd(text, i);
                continue;
            }
            switch (c) {
                case '{', '}' -> open.clear();
                case '(', '[' -> {
                    int nameEnd = i;
                    while (nameEnd > 0 && Character.isWhitespace(text.charAt(nameEnd - 1)) && c == '(') {
                        nameEnd--;
                    }
                    int nameStart = nameEnd;
                    while (nameStart > 0 && isIdentifierPart(text.charAt(nameStart - 1))) {
                        nameStart--;
                    }
                    String name = nameStart < nameEnd && !Character.isDigit(text.charAt(nameStart))
                            && !declares(text, nameStart) ? text.substring(nameStart, nameEnd) : null;
                    open.push(new Frame(c, name, nameStart, i + 1));
                }
                case ')', ']' -> {
                    if (!open.isEmpty()) {
                        open.pop();
                    }
                }
                case ',' -> {
                    if (!open.isEmpty()) {
                        open.peek().argumentStarts.add(i + 1);
                    }
                }
                default -> {
                }
            }
            i++;
        }
        boolean brackets = false;
        for (Frame frame : open) {
            if (frame.opener == '[') {
                brackets = true;
                continue;
            }
            if (frame.callee == null) {
                brackets = true;
                continue;
            }
            List<Argument> arguments = new ArrayList<>();
            for (int a = 0; a < frame.argumentStarts.size(); a++) {
                int from = frame.argumentStarts.get(a);
                int to = a + 1 < frame.argumentStarts.size() ? frame.argumentStarts.get(a + 1) - 1 : end;
                String argument = text.substring(from, to);
                Matcher named = NAMED.matcher(argument);
                arguments.add(new Argument(from, argument, named.find() ? named.group(1) : null));
            }
            return Optional.of(new CallAtCursor(frame.callee, frame.calleeOffset, arguments, brackets));
        }
        return Optional.empty();
    }

    /** Whether the name at {@code nameStart} is being declared ({@code kernel k(}, {@code fn f(}), not called. */
    private static boolean declares(String text, int nameStart) {
        int end = nameStart;
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        int start = end;
        while (start > 0 && isIdentifierPart(text.charAt(start - 1))) {
            start--;
        }
        String word = text.substring(start, end);
        return end < nameStart && (word.equals("kernel") || word.equals("fn"));
    }

    private static int lineEnd(String text, int from) {
        int newline = text.indexOf('\n', from);
        return newline < 0 ? text.length() : newline;
    }

    private static int stringEnd(String text, int from) {
        int i = from + 1;
        while (i < text.length() && text.charAt(i) != '"' && text.charAt(i) != '\n') {
            i += text.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, text.length());
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
