package io.fastrtc.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.agent.AgentTracing;
import io.fastrtc.telemetry.Scope;
import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.telemetry.Telemetry;
import io.fastrtc.telemetry.Transport;
import io.fastrtc.telemetry.TurnTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spans {@link OpenTelemetryTelemetry} makes of a runtime's events, seen by an in-memory exporter. */
class OpenTelemetryTelemetryTest {

    private final Tracing tracing = new Tracing();
    private final Telemetry telemetry = OpenTelemetryTelemetry.create(tracing.sdk);

    @AfterEach
    void close() {
        tracing.close();
    }

    @Test
    void aSessionIsAServerSpanWithItsTurnsAsChildren() {
        SessionTelemetry session = telemetry.sessionStarted(Transport.WEBSOCKET, "voice", "ws-1");
        session.connected(Duration.ofMillis(35));
        session.framesDropped(2);
        session.framesDropped(1);
        TurnTelemetry first = session.turnStarted();
        first.firstAudio(Duration.ofMillis(420));
        first.ended();
        TurnTelemetry second = session.turnStarted();
        second.firstAudio(Duration.ofMillis(380));
        second.interrupted(Duration.ofMillis(260), Duration.ofMillis(1180));
        second.ended();
        assertThat(tracing.spans(OpenTelemetryTelemetry.SESSION)).as("open until closed").isEmpty();
        session.closed("client");
        session.closed("client");

        SpanData s = tracing.only(OpenTelemetryTelemetry.SESSION);
        assertThat(s.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(s.getParentSpanContext().isValid()).as("a root: nothing was current").isFalse();
        assertThat(s.getAttributes().get(OpenTelemetryTelemetry.TRANSPORT)).isEqualTo("websocket");
        assertThat(s.getAttributes().get(OpenTelemetryTelemetry.STREAM)).isEqualTo("voice");
        assertThat(s.getAttributes().get(OpenTelemetryTelemetry.CONNECTION_ID)).isEqualTo("ws-1");
        assertThat(s.getAttributes().get(OpenTelemetryTelemetry.CLOSE_REASON)).isEqualTo("client");
        assertThat(s.getAttributes().get(OpenTelemetryTelemetry.FRAMES_DROPPED)).isEqualTo(3L);
        assertThat(s.getEvents()).extracting(EventData::getName).containsExactly("connected");
        assertThat(s.getEvents().get(0).getAttributes().get(OpenTelemetryTelemetry.SETUP_MS)).isEqualTo(35L);
        assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        var turns = tracing.spans(OpenTelemetryTelemetry.TURN);
        assertThat(turns).hasSize(2).allSatisfy(t -> {
            assertThat(t.getParentSpanId()).isEqualTo(s.getSpanId());
            assertThat(t.getTraceId()).isEqualTo(s.getTraceId());
        });
        assertThat(turns.get(0).getAttributes().get(OpenTelemetryTelemetry.TURN_NUMBER)).isEqualTo(1L);
        assertThat(turns.get(0).getAttributes().get(OpenTelemetryTelemetry.LATENCY_MS)).isEqualTo(420L);
        assertThat(turns.get(0).getAttributes().get(OpenTelemetryTelemetry.INTERRUPTED)).isFalse();
        assertThat(turns.get(0).getAttributes().get(OpenTelemetryTelemetry.PLAYED_MS)).isNull();
        assertThat(turns.get(1).getAttributes().get(OpenTelemetryTelemetry.TURN_NUMBER)).isEqualTo(2L);
        assertThat(turns.get(1).getAttributes().get(OpenTelemetryTelemetry.INTERRUPTED)).isTrue();
        assertThat(turns.get(1).getAttributes().get(OpenTelemetryTelemetry.INTERRUPTION_MS)).isEqualTo(260L);
        assertThat(turns.get(1).getAttributes().get(OpenTelemetryTelemetry.PLAYED_MS)).isEqualTo(1180L);
        assertThat(turns.get(1).getEvents()).extracting(EventData::getName).containsExactly("first_audio", "interrupted");
    }

    @Test
    void enteringMakesTheSpanCurrentAndClosingRestoresTheOuterOne() {
        Span outer = tracing.sdk.getTracer("app").spanBuilder("http request").startSpan();
        SessionTelemetry session;
        try (io.opentelemetry.context.Scope request = outer.makeCurrent()) {
            session = telemetry.sessionStarted(Transport.WEBRTC, "video", "peer-1");
        }
        TurnTelemetry turn = session.turnStarted();
        assertThat(Span.current().getSpanContext().isValid()).isFalse();
        try (Scope s = session.enter()) {
            String sessionSpan = Span.current().getSpanContext().getSpanId();
            try (Scope t = turn.enter()) {
                assertThat(Span.current().getSpanContext().getSpanId()).isNotEqualTo(sessionSpan);
                Span.current().setAttribute("user.marker", "in turn");
            }
            assertThat(Span.current().getSpanContext().getSpanId()).isEqualTo(sessionSpan);
        }
        assertThat(Span.current().getSpanContext().isValid()).as("restored on close").isFalse();
        turn.ended();
        session.closed("server");
        outer.end();

        SpanData s = tracing.only(OpenTelemetryTelemetry.SESSION);
        assertThat(s.getParentSpanId()).as("a child of the request that admitted it").isEqualTo(outer.getSpanContext().getSpanId());
        SpanData t = tracing.only(OpenTelemetryTelemetry.TURN);
        assertThat(t.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("user.marker")))
                .as("user code wrote on the turn span").isEqualTo("in turn");
    }

    @Test
    void aHandlerFailureMarksTheSessionAndARefusalIsAnEventOfTheCurrentSpan() {
        SessionTelemetry session = telemetry.sessionStarted(Transport.TELEPHONE, "phone", "CA1");
        session.handlerFailed(new IllegalStateException("boom"));
        session.closed("error");
        SpanData s = tracing.only(OpenTelemetryTelemetry.SESSION);
        assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(s.getStatus().getDescription()).isEqualTo("handler failed: IllegalStateException");
        assertThat(s.getEvents()).extracting(EventData::getName).containsExactly("exception");

        Span request = tracing.sdk.getTracer("app").spanBuilder("POST /webrtc/offer").startSpan();
        try (io.opentelemetry.context.Scope in = request.makeCurrent()) {
            telemetry.offerRefused(Transport.WEBRTC, "concurrency_limit_reached");
        }
        request.end();
        SpanData r = tracing.only("POST /webrtc/offer");
        assertThat(r.getEvents()).singleElement().satisfies(e -> {
            assertThat(e.getName()).isEqualTo("fastrtc.offer_refused");
            assertThat(e.getAttributes().get(OpenTelemetryTelemetry.REFUSAL)).isEqualTo("concurrency_limit_reached");
        });
    }

    @Test
    void theAgentStepsAreChildrenOfTheTurnAndNothingOutsideATracedSession() {
        AgentTracing agent = ServiceLoader.load(AgentTracing.class).findFirst().orElseThrow();
        assertThat(agent).isInstanceOf(AgentSpans.class);
        try (AgentTracing.Step outside = agent.start("stt")) {
            assertThat(outside).isSameAs(AgentTracing.Step.NONE);
        }

        SessionTelemetry session = telemetry.sessionStarted(Transport.WEBRTC, "agent", "peer-2");
        TurnTelemetry turn = session.turnStarted();
        try (Scope t = turn.enter()) {
            AgentTracing.Step model = agent.start("model");
            try (Scope m = model.enter()) {
                assertThat(Span.current().getSpanContext().isValid()).isTrue();
                AgentTracing.Step tts = agent.start("tts");
                tts.failed(new IllegalStateException("voice missing"));
                tts.close();
            }
            model.close();
            model.close();
        }
        turn.ended();
        session.closed("client");

        SpanData turnSpan = tracing.only(OpenTelemetryTelemetry.TURN);
        SpanData model = tracing.only("fastrtc.model");
        SpanData tts = tracing.only("fastrtc.tts");
        assertThat(model.getParentSpanId()).isEqualTo(turnSpan.getSpanId());
        assertThat(tts.getParentSpanId()).as("started while the model step was current").isEqualTo(model.getSpanId());
        assertThat(tts.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(tracing.spans("fastrtc.stt")).isEmpty();
    }
}
