package io.fastrtc.protocol;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data-channel messages from server to client, exactly as FastRTC sends them. FastRTC has two
 * envelopes and clients depend on both: {@code {"type","data"}} for most messages and
 * {@code {"type","message"}} for warnings and errors. We keep both.
 */
public final class Messages {

    /** The code of drain notices, refusals and close reasons. */
    public static final String DRAINING = "draining";

    private Messages() {
    }

    public static String log(String data) {
        return data("log", data);
    }

    public static String sendInput() {
        return data("send_input", List.of());
    }

    public static String fetchOutput() {
        return data("fetch_output", List.of());
    }

    /** {@code ReplyOnStopWords} heard a stop word and is now listening for the turn. */
    public static String stopword() {
        return data("stopword", "");
    }

    public static String endStream(String message) {
        return data("end_stream", message);
    }

    public static String error(String message) {
        return envelope("error", "message", message);
    }

    public static String warning(String message) {
        return envelope("warning", "message", message);
    }

    /**
     * The server is draining (shutting down or being replaced): the session goes on, but ends by
     * {@code deadline}. A {@code warning}, so FastRTC's UIs show {@code message} as a toast; programs
     * read {@code code} ({@code "draining"}), {@code deadline} (ISO-8601 instant) and {@code seconds}
     * (left when sent, for clients whose clock differs).
     */
    public static String draining(Instant deadline, long seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "warning");
        m.put("message", "The server is restarting: this session ends within " + seconds
                + " s. Reconnect to continue.");
        m.put("code", DRAINING);
        m.put("deadline", deadline.toString());
        m.put("seconds", seconds);
        return Json.write(m);
    }

    /** The drain deadline passed: FastRTC's {@code end_stream}, which UIs show and stop on, with {@code code}. */
    public static String drained() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "end_stream");
        m.put("data", "The server restarted. Reconnect to continue.");
        m.put("code", DRAINING);
        return Json.write(m);
    }

    private static String data(String type, Object data) {
        return envelope(type, "data", data);
    }

    private static String envelope(String type, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put(key, value);
        return Json.write(m);
    }
}
