package io.fastrtc.speech.socket;

/**
 * A streaming speech service failed: it refused the connection, closed it with an error, dropped
 * it, or did not answer in time. The message names the service, what failed, the service's own
 * explanation and what to do; it never contains the API key.
 */
public final class SpeechServiceException extends RuntimeException {

    private final int status;
    private final int closeCode;

    public SpeechServiceException(int status, int closeCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.closeCode = closeCode;
    }

    /** The HTTP status that refused the WebSocket handshake (401 bad key, 429 rate limit, ...), or 0. */
    public int status() {
        return status;
    }

    /**
     * The WebSocket close code the connection ended with (1006 if it was dropped without one), or
     * 0 if it never opened or the failure was not a close.
     */
    public int closeCode() {
        return closeCode;
    }
}
