package io.fastrtc.telemetry;

import java.util.Locale;

/** How a session reached the server; a low-cardinality tag for metrics. */
public enum Transport {
    WEBRTC,
    WEBSOCKET,
    TELEPHONE;

    /** The tag value: {@code webrtc}, {@code websocket} or {@code telephone}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
