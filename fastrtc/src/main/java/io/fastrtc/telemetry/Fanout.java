package io.fastrtc.telemetry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@link Telemetry#of}: each event to every telemetry, in order. */
final class Fanout implements Telemetry {
    private final List<Telemetry> all;

    private Fanout(List<Telemetry> all) {
        this.all = all;
    }

    static Telemetry of(List<Telemetry> all) {
        return all.size() == 1 ? all.get(0) : new Fanout(List.copyOf(all));
    }

    @Override
    public void runtimeStarted(int maxTotalConnections) {
        all.forEach(t -> t.runtimeStarted(maxTotalConnections));
    }

    @Override
    public void offerRefused(Transport transport, String reason) {
        all.forEach(t -> t.offerRefused(transport, reason));
    }

    @Override
    public SessionTelemetry sessionStarted(Transport transport, String stream, String connectionId) {
        List<SessionTelemetry> sessions = new ArrayList<>(all.size());
        all.forEach(t -> sessions.add(t.sessionStarted(transport, stream, connectionId)));
        return new Sessions(sessions);
    }

    private record Sessions(List<SessionTelemetry> all) implements SessionTelemetry {
        @Override
        public void connected(Duration setup) {
            all.forEach(s -> s.connected(setup));
        }

        @Override
        public void handlerCall(Call call, long nanos) {
            all.forEach(s -> s.handlerCall(call, nanos));
        }

        @Override
        public void handlerFailed(Throwable error) {
            all.forEach(s -> s.handlerFailed(error));
        }

        @Override
        public void framesDropped(int count) {
            all.forEach(s -> s.framesDropped(count));
        }

        @Override
        public void audioQuality(Duration jitterBufferDelay, double concealedRatio) {
            all.forEach(s -> s.audioQuality(jitterBufferDelay, concealedRatio));
        }

        @Override
        public TurnTelemetry turnStarted() {
            List<TurnTelemetry> turns = new ArrayList<>(all.size());
            all.forEach(s -> turns.add(s.turnStarted()));
            return new Turns(turns);
        }

        @Override
        public Scope enter() {
            return scopes(all.stream().map(SessionTelemetry::enter).toList());
        }

        @Override
        public void closed(String reason) {
            all.forEach(s -> s.closed(reason));
        }
    }

    private record Turns(List<TurnTelemetry> all) implements TurnTelemetry {
        @Override
        public void firstAudio(Duration latency) {
            all.forEach(t -> t.firstAudio(latency));
        }

        @Override
        public void interrupted(Duration latency, Duration played) {
            all.forEach(t -> t.interrupted(latency, played));
        }

        @Override
        public Scope enter() {
            return scopes(all.stream().map(TurnTelemetry::enter).toList());
        }

        @Override
        public void ended() {
            all.forEach(TurnTelemetry::ended);
        }
    }

    /** Closes in reverse order, as nested scopes must be. */
    private static Scope scopes(List<Scope> opened) {
        return () -> {
            for (int i = opened.size() - 1; i >= 0; i--) {
                opened.get(i).close();
            }
        };
    }
}
