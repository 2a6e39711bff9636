package io.fastrtc.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryFanoutTest {

    /** Writes every event it gets, prefixed with its name, to a shared log. */
    private record Recorder(String name, List<String> log) implements Telemetry {
        @Override
        public void runtimeStarted(int maxTotalConnections) {
            log.add(name + " runtime " + maxTotalConnections);
        }

        @Override
        public void offerRefused(Transport transport, String reason) {
            log.add(name + " refused " + transport.tag() + " " + reason);
        }

        @Override
        public SessionTelemetry sessionStarted(Transport transport, String stream, String connectionId) {
            return new SessionTelemetry() {
                @Override
                public void connected(Duration setup) {
                    log.add(name + " connected " + setup.toMillis());
                }

                @Override
                public TurnTelemetry turnStarted() {
                    return new TurnTelemetry() {
                        @Override
                        public Scope enter() {
                            log.add(name + " enter");
                            return () -> log.add(name + " exit");
                        }
                    };
                }
            };
        }
    }

    @Test
    void everyEventReachesEveryTelemetryAndScopesCloseInReverse() {
        List<String> log = new ArrayList<>();
        Telemetry both = Telemetry.of(new Recorder("a", log), new Recorder("b", log));

        both.runtimeStarted(50);
        both.offerRefused(Transport.WEBSOCKET, "draining");
        SessionTelemetry session = both.sessionStarted(Transport.WEBRTC, "echo", "id-1");
        session.connected(Duration.ofMillis(42));
        try (Scope ignored = session.turnStarted().enter()) {
            log.add("handler");
        }

        assertThat(log).containsExactly("a runtime 50", "b runtime 50", "a refused websocket draining", "b refused websocket draining",
                "a connected 42", "b connected 42", "a enter", "b enter", "handler", "b exit", "a exit");
    }

    @Test
    void oneTelemetryIsUsedAsItIs() {
        Telemetry one = new Recorder("a", new ArrayList<>());
        assertThat(Telemetry.of(one)).isSameAs(one);
    }
}
