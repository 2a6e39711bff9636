package io.fastrtc.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data-channel messages from server to client, exactly as FastRTC sends them. FastRTC has two
 * envelopes and clients depend on both: {@code {"type","data"}} for most messages and
 * {@code {"type","message"}} for warnings and errors. We keep both.
 */
public final class Messages {

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
