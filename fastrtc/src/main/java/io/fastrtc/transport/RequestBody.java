package io.fastrtc.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a JSON request body safely, for any server: never more than a limit into memory (whatever
 * {@code Content-Length} claims, chunked or not), and strictly as UTF-8 (JSON's only encoding).
 */
public final class RequestBody {

    /** Largest {@code POST /webrtc/offer} (and Twilio webhook) body; a browser offer is 3-10 KB. */
    public static final int MAX_OFFER_BYTES = 64 * 1024;

    private RequestBody() {
    }

    /**
     * The body as text.
     *
     * @throws ProtocolException 413 over {@code maxBytes}, 400 if it is not UTF-8 or the client
     *     stopped sending halfway
     */
    public static String read(InputStream in, int maxBytes) throws ProtocolException {
        byte[] bytes;
        try {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new ProtocolException(400, "incomplete_request", "the request body could not be read to its end");
        }
        if (bytes.length > maxBytes) {
            throw new ProtocolException(413, "request_too_large", "request body is larger than " + maxBytes
                    + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(400, "invalid_encoding", "request body is not valid UTF-8");
        }
    }

    /**
     * Checks that a body is declared as JSON, as FastAPI does for FastRTC: no {@code Content-Type}
     * or a JSON one. A browser can send other types cross-site without asking the server first
     * (a CORS "simple request"); refusing them keeps other sites' pages from posting to the routes.
     *
     * @throws ProtocolException 415 for any other type
     */
    public static void checkJson(String contentType) throws ProtocolException {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            throw new ProtocolException(415, "unsupported_media_type", "send the body as Content-Type:"
                    + " application/json; got " + (type.length() > 60 ? type.substring(0, 60) + "..." : type));
        }
    }
}
