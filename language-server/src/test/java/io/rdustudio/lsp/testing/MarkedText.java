package io.rdustudio.lsp.testing;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * A snippet with its positions marked in the text instead of counted by hand: {@code <|>} marks a
 * cursor, {@code <<...>>} a range. {@link #text()} is the snippet without the marks; cursors and
 * ranges are numbered in the order they appear.
 *
 * <pre>
 * MarkedText t = MarkedText.of("y = <<mat<|>mul>>(a, b)");
 * t.cursor(0)   // the position between "mat" and "mul"
 * t.range(0)    // the range of "matmul"
 * </pre>
 */
public final class MarkedText {

    private static final String CURSOR = "<|>";
    private static final String OPEN = "<<";
    private static final String CLOSE = ">>";

    private final String text;
    private final List<Position> cursors;
    private final List<Range> ranges;

    private MarkedText(String text, List<Position> cursors, List<Range> ranges) {
        this.text = text;
        this.cursors = cursors;
        this.ranges = ranges;
    }

    public static MarkedText of(String marked) {
        StringBuilder plain = new StringBuilder();
        List<Position> cursors = new ArrayList<>();
        List<Range> ranges = new ArrayList<>();
        List<Position> open = new ArrayList<>();
        int line = 0;
        int column = 0;
        for (int i = 0; i < marked.length();) {
            if (marked.startsWith(CURSOR, i)) {
                cursors.add(new Position(line, column));
                i += CURSOR.length();
            } else if (marked.startsWith(OPEN, i)) {
                open.add(new Position(line, column));
                i += OPEN.length();
            } else if (marked.startsWith(CLOSE, i) && !open.isEmpty()) {
                ranges.add(new Range(open.remove(open.size() - 1), new Position(line, column)));
                i += CLOSE.length();
            } else {
                char c = marked.charAt(i++);
                plain.append(c);
                if (c == '\n') {
                    line++;
                    column = 0;
                } else {
                    column++;
                }
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException("a range opened with << at " + open + " is never closed with >>");
        }
        return new MarkedText(plain.toString(), List.copyOf(cursors), List.copyOf(ranges));
    }

    public String text() {
        return text;
    }

    public Position cursor(int index) {
        return cursors.get(index);
    }

    public Range range(int index) {
        return ranges.get(index);
    }

    public List<Range> ranges() {
        return ranges;
    }

    /** The position of {@code target} inside the first occurrence of {@code context} in any text. */
    public static Position positionOf(String text, String context, String target) {
        int at = text.indexOf(context);
        if (at < 0) {
            throw new AssertionError("the text does not contain " + context);
        }
        int offset = at + context.indexOf(target);
        String before = text.substring(0, offset);
        int line = (int) before.chars().filter(c -> c == '\n').count();
        return new Position(line, offset - (before.lastIndexOf('\n') + 1));
    }
}
