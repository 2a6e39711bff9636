package io.fastrtc.transport;

/**
 * The server's side of one WebSocket, as an adapter exposes it to the stream.
 *
 * <p>The stream never calls these methods concurrently for one socket, so an adapter may pass them
 * straight to a server API that is not thread-safe (Spring's {@code WebSocketSession}). Sending may
 * be asynchronous. Either method may fail (throw) once the socket is gone; the stream then treats
 * the socket as closed.
 */
public interface SocketPeer {

    /** Sends one text frame. */
    void send(String text);

    /**
     * Closes the socket with a close code (RFC 6455 §7.4) and a reason of at most 123 UTF-8 bytes
     * (the stream shortens longer ones). Never called after the adapter reported the close. The
     * stream may call it while it is still opening the session (a refused socket); a server that
     * then reports the close before {@code open...} returned may drop that report.
     */
    void close(int code, String reason);
}
