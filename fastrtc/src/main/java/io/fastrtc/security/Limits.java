package io.fastrtc.security;

/**
 * Per-stream limits that hold when clients misbehave. Each has a default that a FastRTC client
 * never reaches; change one with its {@code with...} method:
 * {@code Limits.DEFAULT.withOffersPerMinute(10)}.
 *
 * <p>Fixed limits, not configurable: request bodies of at most 64 KiB (413), at most 16 media
 * sections per offer, data-channel messages of at most 16 KiB (answered with an {@code error}).
 * The limit across streams, the total number of sessions, is the runtime's
 * ({@code FastRtc.builder().maxTotalConnections(n)}).
 *
 * @param offersPerMinute new sessions (offers, WebSocket or phone sessions) a client may open per
 *     minute, in bursts of up to as many; a client is the principal when there is an authorizer,
 *     else its address (an IPv6 client's /64 network); further offers get 429 {@code rate_limited}
 * @param candidatesPerConnection ICE candidates a connection may send, in its offer or trickled;
 *     further ones get 429 {@code too_many_candidates}
 * @param messagesPerSecond data-channel messages a connection may send per second, in bursts of up
 *     to twice as many; further ones are dropped and the client told so once a second
 * @param outputListenersPerConnection output streams a client may hold open on one connection
 *     (each holds a request thread); further ones get 429 {@code too_many_listeners}
 */
public record Limits(int offersPerMinute, int candidatesPerConnection, int messagesPerSecond,
        int outputListenersPerConnection) {

    public static final Limits DEFAULT = new Limits(60, 100, 50, 4);

    public Limits {
        positive("offersPerMinute", offersPerMinute);
        positive("candidatesPerConnection", candidatesPerConnection);
        positive("messagesPerSecond", messagesPerSecond);
        positive("outputListenersPerConnection", outputListenersPerConnection);
    }

    public Limits withOffersPerMinute(int perMinute) {
        return new Limits(perMinute, candidatesPerConnection, messagesPerSecond, outputListenersPerConnection);
    }

    public Limits withCandidatesPerConnection(int candidates) {
        return new Limits(offersPerMinute, candidates, messagesPerSecond, outputListenersPerConnection);
    }

    public Limits withMessagesPerSecond(int perSecond) {
        return new Limits(offersPerMinute, candidatesPerConnection, perSecond, outputListenersPerConnection);
    }

    public Limits withOutputListenersPerConnection(int listeners) {
        return new Limits(offersPerMinute, candidatesPerConnection, messagesPerSecond, listeners);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1; got " + value);
        }
    }
}
