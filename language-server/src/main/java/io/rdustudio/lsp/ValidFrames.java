package io.rdustudio.lsp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.function.Consumer;

import org.apache.log4j.Logger;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * The client's byte stream as lsp4j reads it, with every malformed frame taken out. lsp4j trusts
 * the framing: one frame with a missing or non-numeric {@code Content-Length} leaves it reading
 * each later message's body as headers, and the session never recovers; invalid JSON and JSON that
 * is no JSON-RPC message are logged and dropped without the error response JSON-RPC asks for. Here:
 * <ul>
 * <li>a frame whose {@code Content-Length} is missing, not a number, negative or above
 *     {@value #MAX_FRAME_BYTES} bytes is skipped, and reading picks up again at the next
 *     {@code Content-Length:} in the stream (bytes before a header are skipped the same way);</li>
 * <li>a body that is not JSON is answered with {@code ParseError} (-32700), and one that is JSON
 *     but not a request, a notification or a response with {@code InvalidRequest} (-32600), each
 *     with the request's id when one can be read, else {@code null}, as JSON-RPC 2.0 says;</li>
 * <li>every other frame passes through unchanged.</li>
 * </ul>
 * Everything skipped is logged to stderr with the reason.
 */
final class ValidFrames extends InputStream {

    private static final Logger LOG = Logger.getLogger(ValidFrames.class);

    /** Larger than any document a client sends (the CLI refuses files over 8 MB). */
    static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

    private static final String CONTENT_LENGTH = "Content-Length:";

    private final InputStream in;
    private final Consumer<ResponseMessage> answer;
    private byte[] frame = new byte[0];
    private int position;

    /** @param answer sends a response to the client (lsp4j's outgoing stream, which serialises writes) */
    ValidFrames(InputStream in, Consumer<ResponseMessage> answer) {
        this.in = in;
        this.answer = answer;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return frame[position++] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, frame.length - position);
        System.arraycopy(frame, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Makes sure unread bytes of a valid frame are there; false at the end of the stream. */
    private boolean fill() throws IOException {
        while (position >= frame.length) {
            Frame next = nextFrame();
            if (next == null) {
                return false;
            }
            String problem = problemWith(next);
            if (problem == null) {
                frame = next.bytes();
                position = 0;
            }
        }
        return true;
    }

    /** A frame as read: its headers (as sent) and body; null at the end of the stream. */
    private record Frame(String headers, byte[] body, Charset charset) {

        byte[] bytes() {
            byte[] head = headers.getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            return all;
        }
    }

    private Frame nextFrame() throws IOException {
        while (true) {
            StringBuilder headers = new StringBuilder();
            int length = -1;
            String badLength = null;
            Charset charset = StandardCharsets.UTF_8;
            String line;
            while ((line = readLine()) != null && !line.isEmpty()) {
                int header = line.indexOf(CONTENT_LENGTH);
                if (header > 0) {
                    LOG.warn("dfk lsp: skipped " + header + " bytes before a header: " + shorten(line.substring(0, header)));
                    line = line.substring(header);
                    headers.setLength(0);
                    length = -1;
                    badLength = null;
                }
                if (line.startsWith(CONTENT_LENGTH)) {
                    String value = line.substring(CONTENT_LENGTH.length()).trim();
                    try {
                        length = Integer.parseInt(value);
                        badLength = length < 0 || length > MAX_FRAME_BYTES ? value : null;
                    } catch (NumberFormatException e) {
                        badLength = value;
                    }
                } else if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    charset = charsetOf(line, charset);
                }
                headers.append(line).append("\r\n");
            }
            if (line == null) {
                return null;
            }
            if (badLength != null || length < 0) {
                LOG.warn("dfk lsp: skipped a frame with " + (badLength == null ? "no Content-Length"
                        : "Content-Length " + shorten(badLength)) + " (a number of bytes up to " + MAX_FRAME_BYTES
                        + " is needed); reading on at the next Content-Length header");
                continue;
            }
            headers.append("\r\n");
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                return null;
            }
            return new Frame(headers.toString(), body, charset);
        }
    }

    /** Null when the frame is a JSON-RPC message for lsp4j; else answers it (when JSON-RPC says to) and says why not. */
    private String problemWith(Frame frame) {
        JsonElement json;
        try {
            json = JsonParser.parseString(new String(frame.body(), frame.charset()));
        } catch (JsonParseException e) {
            String problem = "not JSON (" + e.getMessage() + ")";
            refuse(null, ResponseErrorCode.ParseError, "Parse error: the message is " + problem, problem);
            return problem;
        }
        if (!json.isJsonObject()) {
            String problem = "JSON but not an object: " + shorten(json.toString());
            refuse(null, ResponseErrorCode.InvalidRequest, "Invalid Request: a message is a JSON object", problem);
            return problem;
        }
        JsonObject message = json.getAsJsonObject();
        boolean call = message.has("method") && message.get("method").isJsonPrimitive()
                && message.get("method").getAsJsonPrimitive().isString();
        boolean response = message.has("id") && (message.has("result") || message.has("error"));
        if (call || response) {
            return null;
        }
        String problem = "neither a request, a notification nor a response: " + shorten(message.toString());
        refuse(idOf(message), ResponseErrorCode.InvalidRequest,
                "Invalid Request: a message has a \"method\" (a request or notification) or an \"id\" with a"
                        + " \"result\" or an \"error\" (a response)", problem);
        return problem;
    }

    private void refuse(JsonPrimitive id, ResponseErrorCode code, String message, String problem) {
        LOG.warn("dfk lsp: refused a message that is " + problem);
        ResponseMessage response = new ResponseMessage();
        response.setJsonrpc("2.0");
        if (id != null && id.isNumber()) {
            response.setId(id.getAsInt());
        } else if (id != null && id.isString()) {
            response.setId(id.getAsString());
        }
        response.setError(new ResponseError(code, message, null));
        try {
            answer.accept(response);
        } catch (RuntimeException e) {
            LOG.warn("dfk lsp: could not answer the refused message (" + e + ")");
        }
    }

    private static JsonPrimitive idOf(JsonObject message) {
        JsonElement id = message.get("id");
        return id != null && id.isJsonPrimitive() && (id.getAsJsonPrimitive().isNumber()
                || id.getAsJsonPrimitive().isString()) ? id.getAsJsonPrimitive() : null;
    }

    private static Charset charsetOf(String contentType, Charset fallback) {
        int at = contentType.indexOf("charset=");
        if (at < 0) {
            return fallback;
        }
        String name = contentType.substring(at + "charset=".length()).trim();
        try {
            return Charset.forName(name.equalsIgnoreCase("utf8") ? "UTF-8" : name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return fallback;
        }
    }

    /**
     * One header line without its line end, one char per byte; null at the end of the stream. Bytes
     * that are no header (a body after a bad length) come as long lines, searched for the next header.
     */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r' && line.size() < MAX_FRAME_BYTES) {
                line.write(c);
            }
        }
        if (c == -1 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
