package io.rdustudio.ide;

import java.util.Arrays;
import java.util.List;

/**
 * The one semantic-token legend the language server advertises for all its languages: the token
 * types and modifiers, in the order their indices and bits encode them. Types are the LSP's own
 * (so themes colour them without configuration); what they do not say, DFK says with modifiers
 * (a tensor's role, a loop variable). {@code docs/lsp-extensions.md} lists what each one marks.
 */
public final class SemanticTokenLegend {

    private SemanticTokenLegend() {
    }

    /** Token types; {@link #ordinal()} is the index a token carries. */
    public enum Type {
        KEYWORD("keyword"), COMMENT("comment"), STRING("string"), NUMBER("number"), OPERATOR("operator"),
        TYPE("type"), ENUM_MEMBER("enumMember"), FUNCTION("function"), CLASS("class"), PARAMETER("parameter"),
        TYPE_PARAMETER("typeParameter"), VARIABLE("variable"), PROPERTY("property"), NAMESPACE("namespace");

        private final String lsp;

        Type(String lsp) {
            this.lsp = lsp;
        }

        public String lsp() {
            return lsp;
        }
    }

    /** Token modifiers; bit {@link #ordinal()} of a token's modifier set. */
    public enum Modifier {
        DECLARATION("declaration"), READONLY("readonly"), STATIC("static"), DEFAULT_LIBRARY("defaultLibrary"),
        MODIFICATION("modification"), INPUT("input"), WEIGHT("weight"), STATE("state"), OUTPUT("output"),
        LOCAL("local"), LOOP("loop");

        private final String lsp;

        Modifier(String lsp) {
            this.lsp = lsp;
        }

        public String lsp() {
            return lsp;
        }

        public int bit() {
            return 1 << ordinal();
        }
    }

    public static List<String> types() {
        return Arrays.stream(Type.values()).map(Type::lsp).toList();
    }

    public static List<String> modifiers() {
        return Arrays.stream(Modifier.values()).map(Modifier::lsp).toList();
    }
}
