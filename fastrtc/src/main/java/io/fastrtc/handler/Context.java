package io.fastrtc.handler;

import io.fastrtc.telephone.PhoneCall;
import java.util.Optional;

/**
 * The connection a handler call belongs to, like FastRTC's {@code get_current_context()}.
 * Available on the thread that runs the handler.
 */
public interface Context {

    /** The client-chosen id of this connection. */
    String webrtcId();

    /** The principal the stream's authorizer gave the client that opened this connection; empty without one. */
    default Optional<String> principal() {
        return Optional.empty();
    }

    /** Shows a warning toast on the client ({@code {"type":"warning","message":...}}). */
    void warn(String message);

    /**
     * Shows an error toast on the client without ending the connection. To end a handler call with
     * a message for the user, throw {@link WebRtcError}; any other exception is shown only as an error id.
     */
    void error(String message);

    /** Sends a raw text message on the connection's data channel or WebSocket (dropped on a phone call). */
    void sendMessage(String text);

    /** The phone call this connection serves; empty for WebRTC and WebSocket clients. */
    default Optional<PhoneCall> phoneCall() {
        return Optional.empty();
    }

    /** The context of the handler call running on this thread, if any. */
    static Optional<Context> current() {
        return Optional.ofNullable(ContextHolder.CURRENT.get());
    }

    /** Binds contexts to handler threads; used by the stream, not by handlers. */
    final class ContextHolder {
        static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();

        private ContextHolder() {
        }

        public static void set(Context context) {
            if (context == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(context);
            }
        }
    }
}
