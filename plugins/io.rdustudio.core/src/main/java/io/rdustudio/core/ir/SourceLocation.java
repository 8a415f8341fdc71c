package io.rdustudio.core.ir;

/**
 * Where an IR node came from, so that every result can point back at text.
 *
 * @param uri    the document's URI as the front end knows it (file URI or editor URI)
 * @param offset zero-based character offset of the first character
 * @param length number of characters covered
 * @param line   one-based line of the first character
 * @param column one-based column of the first character
 */
public record SourceLocation(String uri, int offset, int length, int line, int column) {

    /** A location for nodes synthesised by a pass (collectives inserted by tensor parallelism, say). */
    public static SourceLocation synthetic(SourceLocation near) {
        return near == null ? UNKNOWN : near;
    }

    public static final SourceLocation UNKNOWN = new SourceLocation("", 0, 0, 1, 1);

    public int endOffset() {
        return offset + length;
    }

    @Override
    public String toString() {
        return uri + ":" + line + ":" + column;
    }
}
