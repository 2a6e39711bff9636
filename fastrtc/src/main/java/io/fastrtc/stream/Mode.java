package io.fastrtc.stream;

/** Direction of a stream, as FastRTC names it. */
public enum Mode {
    /** Client sends media, the handler's result goes back (the default). */
    SEND_RECEIVE("send-receive"),
    /** Client to server only. */
    SEND("send"),
    /** Server to client only. */
    RECEIVE("receive");

    private final String wireName;

    Mode(String wireName) {
        this.wireName = wireName;
    }

    /** FastRTC's spelling, e.g. {@code "send-receive"}. */
    public String wireName() {
        return wireName;
    }
}
