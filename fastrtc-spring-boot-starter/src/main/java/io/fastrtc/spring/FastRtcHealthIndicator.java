package io.fastrtc.spring;

import io.fastrtc.stream.FastRtc;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code fastrtc} component of {@code /actuator/health}: the runtime (its engine and threads)
 * and how many more sessions it takes.
 * <ul>
 *   <li>{@code UP} while the runtime is open and below {@code maxTotalConnections};
 *   <li>{@code OUT_OF_SERVICE} when it is full: it is alive but refuses new sessions
 *       ({@code concurrency_limit_reached}), so a load balancer or a readiness probe should send new
 *       callers elsewhere, and a liveness probe must not restart it (keep this component out of the
 *       liveness group);
 *   <li>{@code DOWN} once the runtime is closed (the context is shutting down).
 * </ul>
 * Details: {@code openSessions}, {@code maxTotalConnections}, {@code capacityLeft} and {@code
 * peerConnections} (native peer connections not yet released).
 */
public final class FastRtcHealthIndicator implements HealthIndicator {

    private final FastRtc runtime;

    public FastRtcHealthIndicator(FastRtc runtime) {
        this.runtime = runtime;
    }

    @Override
    public Health health() {
        int open = runtime.openSessions();
        int max = runtime.maxTotalConnections();
        Health.Builder health = runtime.isClosed() ? Health.down() : open >= max ? Health.outOfService() : Health.up();
        return health.withDetail("openSessions", open).withDetail("maxTotalConnections", max)
                .withDetail("capacityLeft", Math.max(0, max - open))
                .withDetail("peerConnections", runtime.openPeerConnections()).build();
    }
}
