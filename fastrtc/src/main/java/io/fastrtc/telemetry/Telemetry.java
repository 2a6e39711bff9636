package io.fastrtc.telemetry;

import java.util.List;

/**
 * Receives a runtime's events. Every method has a no-op default, so an implementation overrides only
 * what it records; {@link #of} fans events out to several (metrics and tracing together).
 * Set on the runtime with {@code FastRtc.builder().telemetry(...)}.
 */
public interface Telemetry {

    /** Records nothing; the default. */
    Telemetry NONE = new Telemetry() {
    };

    /**
     * The runtime started and admits at most {@code maxTotalConnections} sessions at once: the
     * denominator of "capacity left", which metrics need for a "nearly full" alert and which no
     * session event carries.
     */
    default void runtimeStarted(int maxTotalConnections) {
    }

    /**
     * A new session was refused before it started. {@code reason} is the refusal's error code, as
     * the client sees it ({@code concurrency_limit_reached}, {@code rate_limited}, {@code
     * draining}, {@code invalid_sdp}, ...): a small fixed set, safe as a tag.
     */
    default void offerRefused(Transport transport, String reason) {
    }

    /**
     * A session was admitted and is being set up; what it returns receives that session's events
     * until {@link SessionTelemetry#closed}. {@code stream} is the stream's name for tags (never a
     * connection id); {@code connectionId} is for traces and logs only.
     */
    default SessionTelemetry sessionStarted(Transport transport, String stream, String connectionId) {
        return SessionTelemetry.NONE;
    }

    /** Several telemetries as one; each call goes to every one of them in order. */
    static Telemetry of(Telemetry... all) {
        return Fanout.of(List.of(all));
    }
}
