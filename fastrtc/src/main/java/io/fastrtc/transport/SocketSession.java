package io.fastrtc.transport;

/**
 * One open WebSocket as the stream sees it, returned by {@code Stream.openWebSocket} or
 * {@code Stream.openTelephone}. The adapter calls it from its network threads; both methods return
 * quickly (a {@code start} at the concurrency limit may wait up to a second for a slot) and never
 * throw.
 */
public interface SocketSession {

    /** A text frame from the client; call it in arrival order, one frame at a time. */
    void onText(String text);

    /** The socket is closed, whichever side closed it or if it failed; further calls are ignored. */
    void onClose(int code, String reason);
}
