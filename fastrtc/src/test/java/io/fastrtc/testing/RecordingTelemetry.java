package io.fastrtc.testing;

import io.fastrtc.telemetry.Scope;
import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.telemetry.Telemetry;
import io.fastrtc.telemetry.Transport;
import io.fastrtc.telemetry.TurnTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Telemetry} that writes every event as a line ({@code "started webrtc id"}, {@code
 * "call id AUDIO_CHUNK"}, {@code "closed id client"}...), for tests of what the runtime reports.
 */
public final class RecordingTelemetry implements Telemetry {

    private final List<String> events = new CopyOnWriteArrayList<>();
    /** Scopes entered and not yet closed, over every thread. */
    private final AtomicInteger openScopes = new AtomicInteger();

    public List<String> events() {
        return events;
    }

    /** Events starting with {@code prefix}. */
    public List<String> events(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }

    public long count(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).count();
    }

    public int openScopes() {
        return openScopes.get();
    }

    @Override
    public void offerRefused(Transport transport, String reason) {
        events.add("refused " + transport.tag() + " " + reason);
    }

    @Override
    public SessionTelemetry sessionStarted(Transport transport, String stream, String connectionId) {
        events.add("started " + transport.tag() + " " + connectionId);
        String id = connectionId;
        return new SessionTelemetry() {
            @Override
            public void connected(Duration setup) {
                events.add("connected " + id + " " + (setup.isNegative() ? "negative" : "ok"));
            }

            @Override
            public void handlerCall(Call call, long nanos) {
                events.add("call " + id + " " + call + (nanos >= 0 ? "" : " negative"));
            }

            @Override
            public void handlerFailed(Throwable error) {
                events.add("failed " + id + " " + error.getClass().getSimpleName());
            }

            @Override
            public void framesDropped(int count) {
                events.add("dropped " + id + " " + count);
            }

            @Override
            public void audioQuality(Duration jitterBufferDelay, double concealedRatio) {
                events.add("quality " + id + " " + (jitterBufferDelay.isNegative() ? "negative" : "ok") + " "
                        + (concealedRatio >= 0 && concealedRatio <= 1 ? "ok" : "out-of-range " + concealedRatio));
            }

            @Override
            public TurnTelemetry turnStarted() {
                events.add("turn " + id);
                return new TurnTelemetry() {
                    @Override
                    public void firstAudio(Duration latency) {
                        events.add("first-audio " + id);
                    }

                    @Override
                    public void interrupted(Duration latency, Duration played) {
                        events.add("interrupted " + id);
                    }

                    @Override
                    public void ended() {
                        events.add("turn-ended " + id);
                    }
                };
            }

            @Override
            public Scope enter() {
                openScopes.incrementAndGet();
                return openScopes::decrementAndGet;
            }

            @Override
            public void closed(String reason) {
                events.add("closed " + id + " " + reason);
            }
        };
    }
}
