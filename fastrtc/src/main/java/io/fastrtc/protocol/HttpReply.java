package io.fastrtc.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transport-neutral HTTP answer: status, body and its content type (JSON unless said otherwise).
 * Adapters (Javalin, Spring) only copy it out.
 *
 * <p>Failures use FastRTC's shape {@code {"status":"failed","meta":{"error":code,...}}}. The errors
 * FastRTC defines come with HTTP 200, as its clients expect; malformed requests get 4xx with the
 * same shape plus a {@code message}, so clients that read the body first still understand them.
 */
public record HttpReply(int status, String body, String contentType) {

    public static final String JSON = "application/json";

    /** A JSON answer. */
    public HttpReply(int status, String body) {
        this(status, body, JSON);
    }

    public static HttpReply ok(Object json) {
        return new HttpReply(200, Json.write(json));
    }

    public static HttpReply answer(String sdp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sdp", sdp);
        m.put("type", "answer");
        return ok(m);
    }

    public static HttpReply success() {
        return ok(Map.of("status", "success"));
    }

    private static Map<String, Object> failure(Map<String, Object> meta) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "failed");
        m.put("meta", meta);
        return m;
    }

    /** A FastRTC failure code with HTTP 200 and optional extra meta fields (e.g. {@code limit}). */
    public static HttpReply failed(String code, Map<String, Object> extra) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("error", code);
        meta.putAll(extra);
        return ok(failure(meta));
    }

    public static HttpReply failed(int status, String code, String message) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("error", code);
        meta.put("message", message);
        return new HttpReply(status, Json.write(failure(meta)));
    }
}
