package io.fastrtc.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.security.Cors;
import io.fastrtc.security.Request;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transport-neutral HTTP answer: status, body (JSON unless a {@code Content-Type} header says
 * otherwise, see {@link #contentType()}) and headers. Adapters (Javalin, Spring) only copy it out,
 * headers included (they carry {@code Set-Cookie}, {@code Retry-After}, CORS).
 *
 * <p>Failures use FastRTC's shape {@code {"status":"failed","meta":{"error":code,...}}}. The errors
 * FastRTC defines come with HTTP 200, as its clients expect; malformed requests get 4xx with the
 * same shape plus a {@code message}, so clients that read the body first still understand them.
 */
public record HttpReply(int status, String body, Map<String, String> headers) {

    public static final String JSON = "application/json";

    /** Writes only maps, lists and scalars; parsing, with its limits, is the protocol package's. */
    private static final ObjectMapper WRITER = new ObjectMapper();

    public HttpReply {
        headers = Map.copyOf(headers);
    }

    public HttpReply(int status, String body) {
        this(status, body, Map.of());
    }

    /** The body's media type: the {@code Content-Type} header, {@value #JSON} without one. */
    public String contentType() {
        return headers.getOrDefault("Content-Type", JSON);
    }

    public static HttpReply ok(Object json) {
        return new HttpReply(200, write(json));
    }

    private static String write(Object json) {
        try {
            return WRITER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * FastRTC's answer, {@code {"sdp","type":"answer"}}, plus the connection's {@code token}: FastRTC
     * clients ignore it (and {@code setRemoteDescription} ignores unknown fields); ours send it back
     * to prove they opened the connection.
     */
    public static HttpReply answer(String sdp, String token) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sdp", sdp);
        m.put("type", "answer");
        m.put("token", token);
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
        return new HttpReply(status, write(failure(meta)));
    }

    /**
     * A value a component refused ({@code InvalidInputException}): 422 {@code invalid_input} with the
     * component's message, which every adapter answers in the library's routes and the app's.
     */
    public static HttpReply invalidInput(String message) {
        return error(422, "invalid_input", message);
    }

    public HttpReply withStatus(int newStatus) {
        return new HttpReply(newStatus, body, headers);
    }

    public HttpReply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpReply(status, body, h);
    }

    public HttpReply withHeaders(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.putAll(more);
        return new HttpReply(status, body, h);
    }

    /** A refusal in FastRTC's failure shape, {@code {"status":"failed","meta":{"error","message"}}}. */
    public static HttpReply refused(AccessDenied e) {
        return failed(e.status(), e.code(), e.getMessage()).withHeaders(e.headers());
    }

    /** A refusal as {@code {"error": code, "message": ...}}, the shape of routes that are not FastRTC's. */
    public static HttpReply error(AccessDenied e) {
        return error(e.status(), e.code(), e.getMessage()).withHeaders(e.headers());
    }

    /** A malformed request as {@code {"error": code, "message": ...}}. */
    public static HttpReply error(ProtocolException e) {
        return error(e.status(), e.code(), e.getMessage());
    }

    /** {@code {"error":code,"message":message}}, the shape of the web UI's routes and of the app routes' mapped exceptions. */
    public static HttpReply error(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return ok(body).withStatus(status);
    }

    /**
     * The answer to an {@code OPTIONS} preflight under {@code cors}: 204 with the allowed method and
     * headers for an allowed origin, 403 {@code origin_not_allowed} otherwise.
     */
    public static HttpReply preflight(Cors cors, Request request) {
        Map<String, String> allowed = cors.preflightHeaders(request);
        if (allowed == null) {
            return error(403, "origin_not_allowed", "this origin may not call these routes; the server allows other"
                    + " origins with Stream.builder().cors(Cors.allowOrigins(...))");
        }
        return new HttpReply(204, "").withHeaders(allowed);
    }
}
