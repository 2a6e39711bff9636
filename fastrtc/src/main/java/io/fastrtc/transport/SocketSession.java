package io.fastrtc.transport;

/**
 * One open WebSocket as the stream sees it, returned by {@code Stream.openWebSocket} or
 * {@code Stream.openTelephone}. The adapter calls it from its network threads; both methods return
 * quickly (a {@code start} at the concurrency limit may wait up to a second for a slot) and never
 * throw.
 */
public interface SocketSession {

    /**
     * The longest text frame a session reads (a second of 48 kHz µ-law in base64 is 64 000
     * characters); it ends a longer one with 1009. An adapter must let frames this long through:
     * servers with a smaller default (Tomcat: 8 KiB) must be told.
     */
    int MAX_TEXT_CHARS = 64 * 1024;

    /**
     * Ignores everything: what an adapter forwards to when a socket has no session, because the
     * stream closed it while opening it and the server reported that close before {@code open...}
     * returned.
     */
    SocketSession NONE = new SocketSession() {
        @Override
        public void onText(String text) {
        }

        @Override
        public void onClose(int code, String reason) {
        }
    };

    /** A text frame from the client; call it in arrival order, one frame at a time. */
    void onText(String text);

    /** The socket is closed, whichever side closed it or if it failed; further calls are ignored. */
    void onClose(int code, String reason);
}
