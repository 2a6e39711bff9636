package io.fastrtc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.stream.FastRtc;
import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.telemetry.Transport;
import io.fastrtc.telemetry.TurnTelemetry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerTelemetryTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerTelemetry telemetry = new MicrometerTelemetry(registry);

    private double sessions(String transport, String state) {
        return registry.get(MicrometerTelemetry.SESSIONS).tags("transport", transport, "state", state).gauge().value();
    }

    @Test
    void sessionsMoveFromConnectingToConnectedAndLeaveWhenClosed() {
        assertThat(sessions("webrtc", "connecting")).isZero();
        SessionTelemetry a = telemetry.sessionStarted(Transport.WEBRTC, "video", "a");
        SessionTelemetry b = telemetry.sessionStarted(Transport.WEBRTC, "video", "b");
        SessionTelemetry phone = telemetry.sessionStarted(Transport.TELEPHONE, "audio", "CA1");
        assertThat(sessions("webrtc", "connecting")).isEqualTo(2);
        a.connected(Duration.ofMillis(300));
        a.connected(Duration.ofMillis(900)); // a reconnection is not a second setup
        assertThat(sessions("webrtc", "connecting")).isEqualTo(1);
        assertThat(sessions("webrtc", "connected")).isEqualTo(1);
        assertThat(registry.get(MicrometerTelemetry.SETUP).tag("transport", "webrtc").timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerTelemetry.SETUP).tag("transport", "webrtc").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300);

        a.closed("client");
        a.closed("error"); // once only
        b.closed("timeout"); // never connected
        assertThat(sessions("webrtc", "connecting")).isZero();
        assertThat(sessions("webrtc", "connected")).isZero();
        assertThat(sessions("telephone", "connecting")).isEqualTo(1);
        assertThat(registry.get(MicrometerTelemetry.CLOSED).tags("transport", "webrtc", "reason", "client").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get(MicrometerTelemetry.CLOSED).tags("transport", "webrtc", "reason", "timeout").counter()
                .count()).isEqualTo(1);
        assertThat(registry.find(MicrometerTelemetry.CLOSED).tag("reason", "error").counter()).isNull();
        phone.closed("client");
        assertThat(sessions("telephone", "connecting")).isZero();
    }

    @Test
    void theLimitIsTheRuntimes() {
        assertThat(registry.get(MicrometerTelemetry.LIMIT).gauge().value()).isZero();
        FastRtc rtc = FastRtc.builder().maxTotalConnections(37).telemetry(telemetry).build();
        rtc.close();
        assertThat(registry.get(MicrometerTelemetry.LIMIT).gauge().value()).isEqualTo(37);
    }

    @Test
    void refusalsAreCountedByTransportAndReasonWithUnknownReasonsAsOther() {
        telemetry.offerRefused(Transport.WEBRTC, "concurrency_limit_reached");
        telemetry.offerRefused(Transport.WEBRTC, "concurrency_limit_reached");
        telemetry.offerRefused(Transport.WEBSOCKET, "rate_limited");
        telemetry.offerRefused(Transport.WEBRTC, "the offer of peer 12345 is bad");
        assertThat(registry.get(MicrometerTelemetry.REFUSED).tags("transport", "webrtc", "reason",
                "concurrency_limit_reached").counter().count()).isEqualTo(2);
        assertThat(registry.get(MicrometerTelemetry.REFUSED).tags("transport", "websocket", "reason", "rate_limited")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerTelemetry.REFUSED).tags("reason", "other").counter().count()).isEqualTo(1);
    }

    @Test
    void handlerTimeErrorsAndDropsAreRecorded() {
        SessionTelemetry s = telemetry.sessionStarted(Transport.WEBSOCKET, "audio", "ws");
        s.handlerCall(SessionTelemetry.Call.AUDIO_CHUNK, 2_000_000);
        s.handlerCall(SessionTelemetry.Call.AUDIO_CHUNK, 4_000_000);
        s.handlerCall(SessionTelemetry.Call.VIDEO_FRAME, 10_000_000);
        s.handlerFailed(new IllegalStateException());
        s.framesDropped(3);
        s.framesDropped(2);
        var chunks = registry.get(MicrometerTelemetry.HANDLER).tag("call", "audio_chunk").timer();
        assertThat(chunks.count()).isEqualTo(2);
        assertThat(chunks.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(6);
        assertThat(registry.get(MicrometerTelemetry.HANDLER).tag("call", "video_frame").timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerTelemetry.HANDLER_ERRORS).tag("transport", "websocket").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(MicrometerTelemetry.HANDLER_ERRORS).tag("transport", "webrtc").counter().count())
                .isZero();
        assertThat(registry.get(MicrometerTelemetry.DROPPED).tag("transport", "websocket").counter().count())
                .isEqualTo(5);
    }

    @Test
    void turnAndInterruptionLatenciesAndAudioQualityAreRecorded() {
        SessionTelemetry s = telemetry.sessionStarted(Transport.WEBRTC, "audio", "voice");
        TurnTelemetry turn = s.turnStarted();
        turn.firstAudio(Duration.ofMillis(700));
        turn.interrupted(Duration.ofMillis(150), Duration.ofSeconds(2));
        turn.ended();
        s.audioQuality(Duration.ofMillis(60), 0.02);
        s.audioQuality(Duration.ofMillis(80), 0.0);
        assertThat(registry.get(MicrometerTelemetry.TURN).tag("transport", "webrtc").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(700);
        assertThat(registry.get(MicrometerTelemetry.INTERRUPTION).tag("transport", "webrtc").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(150);
        assertThat(registry.get(MicrometerTelemetry.JITTER).timer().mean(TimeUnit.MILLISECONDS)).isEqualTo(70);
        assertThat(registry.get(MicrometerTelemetry.CONCEALED).summary().mean()).isEqualTo(0.01);
    }

    @Test
    void noMeterIsTaggedWithAConnectionId() {
        SessionTelemetry s = telemetry.sessionStarted(Transport.WEBRTC, "audio", "secret-connection-id");
        s.connected(Duration.ofMillis(1));
        s.handlerCall(SessionTelemetry.Call.AUDIO_CHUNK, 1);
        s.turnStarted().firstAudio(Duration.ofMillis(1));
        s.closed("client");
        telemetry.offerRefused(Transport.WEBRTC, "invalid_sdp");
        for (Meter m : registry.getMeters()) {
            assertThat(m.getId().getTags()).allSatisfy(t -> assertThat(t.getValue()).doesNotContain("secret"));
            assertThat(m.getId().getTags()).extracting(t -> t.getKey())
                    .isSubsetOf("transport", "state", "reason", "call", "le"); // le: a histogram bucket
        }
    }
}
