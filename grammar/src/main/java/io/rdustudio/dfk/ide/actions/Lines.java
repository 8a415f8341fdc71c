package io.rdustudio.dfk.ide.actions;

import java.util.List;

/** Line breaking for generated code: lists that do not fit a line continue aligned under their first item. */
final class Lines {

    /** The longest line generated code writes, as the examples do. */
    static final int WIDTH = 110;

    private Lines() {
    }

    /**
     * {@code open + items joined by ", " + close}, on one line when it fits at {@code column}; else
     * broken after commas, each continuation line aligned with the first item.
     */
    static String list(int column, String open, List<String> items, String close) {
        String oneLine = open + String.join(", ", items) + close;
        if (column + oneLine.length() <= WIDTH || items.isEmpty()) {
            return oneLine;
        }
        String align = " ".repeat(column + open.length());
        StringBuilder s = new StringBuilder(open);
        int width = column + open.length();
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i) + (i + 1 < items.size() ? "," : close);
            if (i > 0 && width + 1 + item.length() > WIDTH) {
                s.append('\n').append(align);
                width = align.length();
            } else if (i > 0) {
                s.append(' ');
                width++;
            }
            s.append(item);
            width += item.length();
        }
        return s.toString();
    }

    /** The width of the last line of {@code text} when it starts at {@code column}. */
    static int endColumn(int column, String text) {
        int newline = text.lastIndexOf('\n');
        return newline < 0 ? column + text.length() : text.length() - newline - 1;
    }
}
