package io.fastrtc.stream;

/** A {@code webrtc_id} that names no open connection of this stream. */
public class UnknownConnectionException extends IllegalArgumentException {

    private final String webrtcId;

    public UnknownConnectionException(String webrtcId) {
        super("no open connection has webrtc_id '" + abbreviate(webrtcId)
                + "'; it never connected or has already closed");
        this.webrtcId = webrtcId;
    }

    public String webrtcId() {
        return webrtcId;
    }

    private static String abbreviate(String id) {
        return id == null ? "null" : id.length() > 64 ? id.substring(0, 64) + "..." : id;
    }
}
