package io.fastrtc.speech.openai;

/**
 * A call to an OpenAI-compatible service failed. The message names the request, the HTTP status,
 * the service's own explanation and what to do about it.
 */
public final class OpenAiException extends RuntimeException {

    private final int status;

    OpenAiException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status (401 bad key, 429 rate limit or quota, 5xx service failure), or 0 if no response came. */
    public int status() {
        return status;
    }
}
