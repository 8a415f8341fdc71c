package io.rdustudio.lsp.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The LSP frames in the bytes a server wrote, for tests that look at the wire itself. */
public final class Frames {

    private static final Pattern HEADER = Pattern.compile("Content-Length: (\\d+)\r\n(?:[A-Za-z-]+: [^\r\n]*\r\n)*\r\n");

    private Frames() {
    }

    /**
     * The JSON messages of {@code bytes}, which must be {@code Content-Length} frames and nothing
     * else; a last frame still being written is left out.
     */
    public static List<JsonObject> of(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1); // one char per byte: lengths stay byte counts
        List<JsonObject> messages = new ArrayList<>();
        int position = 0;
        while (position < text.length()) {
            Matcher header = HEADER.matcher(text).region(position, text.length());
            if (!header.lookingAt()) {
                String rest = text.substring(position);
                boolean arriving = !rest.contains("\r\n\r\n")
                        && (rest.startsWith("Content-Length: ") || "Content-Length: ".startsWith(rest));
                if (arriving) {
                    break;
                }
                throw new AssertionError("not an LSP frame at byte " + position + ": "
                        + text.substring(position, Math.min(text.length(), position + 80)));
            }
            int end = header.end() + Integer.parseInt(header.group(1));
            if (end > text.length()) {
                break;
            }
            String body = new String(text.substring(header.end(), end).getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8);
            messages.add(JsonParser.parseString(body).getAsJsonObject());
            position = end;
        }
        return messages;
    }

    /** One frame around {@code json}, as a client writes it. */
    public static byte[] frame(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }
}
