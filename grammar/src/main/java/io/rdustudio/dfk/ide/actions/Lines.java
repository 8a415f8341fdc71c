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

    /**
     * {@code kernel NAME(PARAMS) -> (RESULTS) with HINTS {} as the examples lay it out: the parameters
     * aligned under the first one when they do not fit; the results, and then the hints, on a
     * continuation line indented by eight when they do not fit after what precedes them.
     */
    static String kernelHeader(String name, List<String> params, List<String> results, String hints) {
        String head = "kernel " + name;
        StringBuilder s = new StringBuilder(head).append(list(head.length(), "(", params, ")"));
        if (!results.isEmpty()) {
            String after = " -> " + list(endColumn(s) + 4, "(", results, ")");
            if (!after.contains("\n") && endColumn(s) + after.length() <= WIDTH) {
                s.append(after);
            } else {
                s.append("\n        -> ").append(list(12, "(", results, ")"));
            }
        }
        if (!hints.isEmpty()) {
            s.append(endColumn(s) + 6 + hints.length() + 2 <= WIDTH ? " with " : "\n        with ").append(hints);
        }
        return s.append(" {").toString();
    }

    /** {@code TARGETS = NAME(ARGS)} written at {@code column}, the arguments aligned when they do not fit. */
    static String call(int column, List<String> targets, String name, List<String> args) {
        String head = (targets.isEmpty() ? "" : String.join(", ", targets) + " = ") + name;
        return head + list(column + head.length(), "(", args, ")");
    }

    private static int endColumn(CharSequence text) {
        return endColumn(0, text.toString());
    }

    /** The width of the last line of {@code text} when it starts at {@code column}. */
    static int endColumn(int column, String text) {
        int newline = text.lastIndexOf('\n');
        return newline < 0 ? column + text.length() : text.length() - newline - 1;
    }
}
