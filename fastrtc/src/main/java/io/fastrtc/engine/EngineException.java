package io.fastrtc.engine;

/** A WebRTC operation failed (bad SDP, timeout, closed connection). The message says which and why. */
public class EngineException extends RuntimeException {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
