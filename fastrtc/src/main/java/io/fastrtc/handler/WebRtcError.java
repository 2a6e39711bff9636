package io.fastrtc.handler;

/**
 * An error meant for the user, like FastRTC's {@code WebRTCError}: thrown from a handler, its
 * message is sent to the client as {@code {"type":"error","message":...}} (the built-in UI shows
 * it as a toast) and the connection lives on. Any other exception a handler throws reaches the
 * client only as a generic message with an error id that is also in the server log, since its
 * message may name files, hosts or data.
 */
public class WebRtcError extends RuntimeException {

    public WebRtcError(String message) {
        super(message);
    }

    public WebRtcError(String message, Throwable cause) {
        super(message, cause);
    }
}
