package io.fastrtc.credentials;

/** Credentials could not be obtained; the message names the request and the reason. */
public class TurnCredentialsException extends RuntimeException {

    private final int status;

    TurnCredentialsException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The provider's HTTP status, or 0 if no answer came (timeout, connection refused, interruption). */
    public int status() {
        return status;
    }
}
