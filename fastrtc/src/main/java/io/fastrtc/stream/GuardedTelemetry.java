package io.fastrtc.stream;

import io.fastrtc.telemetry.Scope;
import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.telemetry.Telemetry;
import io.fastrtc.telemetry.Transport;
import io.fastrtc.telemetry.TurnTelemetry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's {@link Telemetry} as the core calls it: an exception thrown by a metrics or tracing
 * module is caught and logged (the first at WARN, the rest at DEBUG), so it never breaks a session or
 * delays a frame further. {@link Telemetry#NONE} is used unwrapped, and a session or turn that
 * records nothing stays {@code NONE}, so the core can skip its clock reads for it.
 */
final class GuardedTelemetry implements Telemetry {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedTelemetry.class);

    private final Telemetry inner;
    private final AtomicBoolean warned = new AtomicBoolean();

    private GuardedTelemetry(Telemetry inner) {
        this.inner = inner;
    }

    static Telemetry of(Telemetry telemetry) {
        return telemetry == Telemetry.NONE ? telemetry : new GuardedTelemetry(telemetry);
    }

    private void run(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException | LinkageError e) {
            failed(e);
        }
    }

    private <T> T get(Supplier<T> event, T fallback) {
        try {
            T value = event.get();
            return value == null ? fallback : value;
        } catch (RuntimeException | LinkageError e) {
            failed(e);
            return fallback;
        }
    }

    private void failed(Throwable e) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("telemetry {} failed; its events go on, later failures are logged at DEBUG", inner, e);
        } else {
            LOG.debug("telemetry {} failed", inner, e);
        }
    }

    @Override
    public void runtimeStarted(int maxTotalConnections) {
        run(() -> inner.runtimeStarted(maxTotalConnections));
    }

    @Override
    public void offerRefused(Transport transport, String reason) {
        run(() -> inner.offerRefused(transport, reason));
    }

    @Override
    public SessionTelemetry sessionStarted(Transport transport, String stream, String connectionId) {
        SessionTelemetry session = get(() -> inner.sessionStarted(transport, stream, connectionId), SessionTelemetry.NONE);
        return session == SessionTelemetry.NONE ? session : new Session(session);
    }

    private final class Session implements SessionTelemetry {
        private final SessionTelemetry inner;

        Session(SessionTelemetry inner) {
            this.inner = inner;
        }

        @Override
        public void connected(Duration setup) {
            run(() -> inner.connected(setup));
        }

        @Override
        public void handlerCall(Call call, long nanos) {
            run(() -> inner.handlerCall(call, nanos));
        }

        @Override
        public void handlerFailed(Throwable error) {
            run(() -> inner.handlerFailed(error));
        }

        @Override
        public void framesDropped(int count) {
            run(() -> inner.framesDropped(count));
        }

        @Override
        public void audioQuality(Duration jitterBufferDelay, double concealedRatio) {
            run(() -> inner.audioQuality(jitterBufferDelay, concealedRatio));
        }

        @Override
        public TurnTelemetry turnStarted() {
            TurnTelemetry turn = get(inner::turnStarted, TurnTelemetry.NONE);
            return turn == TurnTelemetry.NONE ? turn : new Turn(turn);
        }

        @Override
        public Scope enter() {
            return scope(get(inner::enter, Scope.NOOP));
        }

        @Override
        public void closed(String reason) {
            run(() -> inner.closed(reason));
        }
    }

    private final class Turn implements TurnTelemetry {
        private final TurnTelemetry inner;

        Turn(TurnTelemetry inner) {
            this.inner = inner;
        }

        @Override
        public void firstAudio(Duration latency) {
            run(() -> inner.firstAudio(latency));
        }

        @Override
        public void interrupted(Duration latency, Duration played) {
            run(() -> inner.interrupted(latency, played));
        }

        @Override
        public Scope enter() {
            return scope(get(inner::enter, Scope.NOOP));
        }

        @Override
        public void ended() {
            run(inner::ended);
        }
    }

    private Scope scope(Scope opened) {
        return opened == Scope.NOOP ? opened : () -> run(opened::close);
    }
}
