package io.fastrtc.spring;

import io.fastrtc.stream.FastRtc;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * The runtime's graceful drain in a Spring context. When the context closes (SIGTERM through
 * Spring Boot's shutdown hook, or {@code close()}), it {@link FastRtc#drain() drains} the runtime
 * with {@code fastrtc.drain-timeout} and holds the shutdown until the drain is over: it stops in the
 * first phase ({@link SmartLifecycle#DEFAULT_PHASE}), before the web server's graceful shutdown and
 * stop, so the signalling routes and WebSockets keep serving the sessions that finish meanwhile.
 * Whenever a drain begins, on close or through {@code FastRtc#drain} on demand, readiness goes to
 * {@link ReadinessState#REFUSING_TRAFFIC} ({@code /actuator/health/readiness} answers 503).
 *
 * <p>Spring waits for each shutdown phase at most {@code spring.lifecycle.timeout-per-shutdown-phase}
 * (30 s by default): keep {@code fastrtc.drain-timeout} below it.
 */
public final class FastRtcDrain implements SmartLifecycle {

    private final FastRtc runtime;
    private final AtomicBoolean running = new AtomicBoolean();

    public FastRtcDrain(FastRtc runtime, ApplicationEventPublisher events) {
        this.runtime = runtime;
        runtime.whenDraining().thenRun(() -> AvailabilityChangeEvent.publish(events, this,
                ReadinessState.REFUSING_TRAFFIC));
    }

    @Override
    public void start() {
        running.set(true);
    }

    @Override
    public void stop() {
        runtime.drain().join();
        running.set(false);
    }

    /** Lets Spring stop the other beans of the phase meanwhile; it waits for {@code callback}. */
    @Override
    public void stop(Runnable callback) {
        runtime.drain().whenComplete((done, failure) -> {
            running.set(false);
            callback.run();
        });
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }
}
