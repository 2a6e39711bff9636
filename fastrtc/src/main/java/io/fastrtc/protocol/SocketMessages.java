package io.fastrtc.protocol;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Server-to-client events of the two socket protocols: FastRTC's {@code /websocket/offer}, which is
 * modelled on Twilio Media Streams, and Twilio Media Streams itself, whose events also carry the
 * {@code streamSid} (pass null for FastRTC's protocol).
 */
public final class SocketMessages {

    /** What follows a media event's payload. */
    private static final String PAYLOAD_END = "\"}}";

    private SocketMessages() {
    }

    /**
     * {@code {"event":"media","streamSid":..,"media":{"payload":base64}}}: audio to play. The JSON
     * around the payload is written once per stream: a phone call gets 50 of these a second.
     */
    public static Function<byte[], String> media(String streamSid) {
        String empty = event("media", streamSid, "media", Map.of("payload", ""));
        String head = empty.substring(0, empty.length() - PAYLOAD_END.length());
        if (!empty.endsWith(PAYLOAD_END) || !head.endsWith("\"payload\":\"")) {
            throw new IllegalStateException("unexpected media event " + empty);
        }
        return payload -> head + Base64.getEncoder().encodeToString(payload) + PAYLOAD_END;
    }

    /** {@code {"event":"mark",..,"mark":{"name":..}}}: Twilio echoes it once the audio before it has played. */
    public static String mark(String streamSid, String name) {
        return event("mark", streamSid, "mark", Map.of("name", name));
    }

    /** {@code {"event":"clear",..}}: drop the audio the client has buffered (barge-in). */
    public static String clear(String streamSid) {
        return event("clear", streamSid, null, null);
    }

    public static String pong() {
        return event("pong", null, null, null);
    }

    private static String event(String event, String streamSid, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event);
        if (streamSid != null) {
            m.put("streamSid", streamSid);
        }
        if (key != null) {
            m.put(key, value);
        }
        return Json.write(m);
    }
}
