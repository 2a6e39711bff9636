package io.fastrtc.security;

import java.util.Map;

/**
 * A refused request: what an {@link Authorizer} throws, and what the library throws when a limit is
 * reached. Carries the HTTP status, a short error code and a message for the client; adapters answer
 * it with {@code HttpReply.refused(e)} or {@code HttpReply.error(e)} ({@code io.fastrtc.transport}).
 */
public class AccessDenied extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> headers;

    /** Refuses with a client-error {@code status} (400-499) and a message the client sees. */
    public AccessDenied(int status, String message) {
        this(checked(status), codeOf(status), message, Map.of());
    }

    /** The library's own refusals (limits, failures), with their error code and response headers. */
    public AccessDenied(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    /** 401: the caller did not say who it is (no or bad credentials). */
    public static AccessDenied unauthorized(String message) {
        return new AccessDenied(401, message);
    }

    /** 403: the caller is known but may not do this. */
    public static AccessDenied forbidden(String message) {
        return new AccessDenied(403, message);
    }

    public int status() {
        return status;
    }

    /** The error code clients see, e.g. {@code "unauthorized"}, {@code "rate_limited"}. */
    public String code() {
        return code;
    }

    /** Headers to send with the refusal (e.g. {@code Retry-After}). */
    public Map<String, String> headers() {
        return headers;
    }


    private static int checked(int status) {
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("an authorizer refuses with a client error status (400-499); got "
                    + status + ". Use 401 when credentials are missing or wrong, 403 when they do not allow this");
        }
        return status;
    }

    private static String codeOf(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 429 -> "rate_limited";
            default -> "access_denied";
        };
    }
}
