package io.fastrtc.engine;

/**
 * libwebrtc refused what the remote side sent (its offer or answer, a candidate line): the client's
 * fault, unlike the other {@link EngineException}s (a timeout, a closed connection, an engine that
 * cannot start), which are the server's.
 */
public class InvalidSdpException extends EngineException {

    public InvalidSdpException(String message) {
        super(message);
    }

    public InvalidSdpException(String message, Throwable cause) {
        super(message, cause);
    }
}
