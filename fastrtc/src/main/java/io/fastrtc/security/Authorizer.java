package io.fastrtc.security;

/**
 * Decides who may use a stream, from the request alone: the application's hook, called for every
 * entry point (offer, trickled candidate, additional inputs, output stream, ICE configuration,
 * WebSocket and phone sessions) before anything else is done.
 *
 * <pre>{@code
 * Stream.builder()
 *     .video(handler)
 *     .authorizer(request -> {
 *         User user = sessions.find(request.cookie("SESSION"));
 *         if (user == null) {
 *             throw AccessDenied.unauthorized("log in first");
 *         }
 *         return user.id();
 *     })
 * }</pre>
 *
 * <p>The returned principal names the caller. A connection belongs to the principal that opened
 * it: its inputs and outputs are reachable only by requests the authorizer gives the same
 * principal (or that show the connection's token). Two callers the authorizer gives one principal
 * share their connections.
 */
@FunctionalInterface
public interface Authorizer {

    /**
     * The caller's principal (non-empty), or throws {@link AccessDenied} to refuse the request with
     * its status and message. Returning null or empty refuses with 401; any other exception
     * refuses with 500 (and is logged), so a failing authorizer never admits anyone.
     */
    String authorize(Request request);
}
