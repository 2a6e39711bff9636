package io.fastrtc.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.agent.ChatStream;
import io.fastrtc.agent.FakeSpeech;
import io.fastrtc.agent.VoiceAgent;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.Speech;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.turn.Interruption;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Traces of real WebSocket voice sessions: a spoken turn is a {@code fastrtc.turn} span under the
 * session's {@code fastrtc.session} span, current in the reply function and its producer; with the
 * voice agent, its steps are spans under the turn.
 */
class TracingConnectionTest {

    private final Tracing tracing = new Tracing();

    @AfterEach
    void close() {
        tracing.close();
    }

    private static String url(StreamServer server) {
        return server.baseUrl().replace("http:", "ws:") + "/websocket/offer";
    }

    /** Starts a session, lets the speech detector settle on silence, says something, waits for the reply's turn span. */
    private void converse(StreamServer server, String id) throws Exception {
        AudioFrame question = Speech.say("hello there how are you today");
        try (SocketCaller caller = SocketCaller.fastrtc(url(server), 16000, 16000)) {
            caller.start(id, Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stream().connectionIds().contains(id));
            Thread.sleep(500);
            caller.say(question);
            await().atMost(Duration.ofSeconds(40)).until(() -> !tracing.spans(OpenTelemetryTelemetry.TURN).isEmpty());
            caller.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> !tracing.spans(OpenTelemetryTelemetry.SESSION).isEmpty());
        }
    }

    @Test
    void aSpokenTurnIsASpanUnderTheSessionAndCurrentInTheReplyCode() throws Exception {
        List<SpanContext> inFunction = new CopyOnWriteArrayList<>();
        List<SpanContext> inProducer = new CopyOnWriteArrayList<>();
        ReplyOnPause handler = new ReplyOnPause(audio -> {
            inFunction.add(Span.current().getSpanContext());
            return Reply.generate(out -> {
                inProducer.add(Span.current().getSpanContext());
                out.send(FakeSpeech.tone(300));
            });
        });
        try (FastRtc rtc = FastRtc.builder().telemetry(OpenTelemetryTelemetry.create(tracing.sdk)).build();
                StreamServer server = StreamServer.start(Stream.builder().runtime(rtc).audio(handler).build())) {
            converse(server, "ws-traced");
        }

        SpanData session = tracing.only(OpenTelemetryTelemetry.SESSION);
        assertThat(session.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(session.getAttributes().get(OpenTelemetryTelemetry.TRANSPORT)).isEqualTo("websocket");
        assertThat(session.getAttributes().get(OpenTelemetryTelemetry.CONNECTION_ID)).isEqualTo("ws-traced");
        assertThat(session.getAttributes().get(OpenTelemetryTelemetry.CLOSE_REASON)).isEqualTo("client");
        assertThat(session.getEvents()).extracting(e -> e.getName()).contains("connected");

        SpanData turn = tracing.only(OpenTelemetryTelemetry.TURN);
        assertThat(turn.getParentSpanId()).isEqualTo(session.getSpanId());
        assertThat(turn.getTraceId()).isEqualTo(session.getTraceId());
        assertThat(turn.getAttributes().get(OpenTelemetryTelemetry.LATENCY_MS))
                .as("from the end of speech: at least the 400 ms of silence that ends the turn").isBetween(380L, 10_000L);
        assertThat(turn.getAttributes().get(OpenTelemetryTelemetry.INTERRUPTED)).isFalse();
        assertThat(inFunction).singleElement().satisfies(c -> {
            assertThat(c.isValid()).isTrue();
            assertThat(c.getSpanId()).isEqualTo(turn.getSpanId());
        });
        assertThat(inProducer).singleElement().satisfies(c -> assertThat(c.getSpanId()).isEqualTo(turn.getSpanId()));
    }

    @Test
    void talkingOverTheReplyEndsItsTurnInterruptedWithWhatWasHeardAndHandlerCodeSeesTheSession() throws Exception {
        List<SpanContext> atStartup = new CopyOnWriteArrayList<>();
        ReplyOnPause handler = ReplyOnPause.builder(audio -> Reply.of(FakeSpeech.tone(8000)))
                .startup(inputs -> {
                    atStartup.add(Span.current().getSpanContext());
                    return Collections.emptyIterator();
                }) // cut after 250 ms of speech, never held, so the reply goes silent at the cut
                .interruption(new Interruption(Duration.ofMillis(250), Duration.ofMillis(150), false)).build();
        AudioFrame question = Speech.say("hello there how are you today");
        try (FastRtc rtc = FastRtc.builder().telemetry(OpenTelemetryTelemetry.create(tracing.sdk)).build();
                StreamServer server = StreamServer.start(Stream.builder().runtime(rtc).audio(handler).build());
                SocketCaller caller = SocketCaller.fastrtc(url(server), 16000, 16000)) {
            caller.start("ws-cut", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stream().connectionIds().contains("ws-cut"));
            Thread.sleep(500);
            caller.say(question);
            assertThat(caller.awaitMessage("pause_detected", Duration.ofSeconds(30))).isNotNull();
            Thread.sleep(1500); // the 8 s reply plays
            caller.say(question);
            assertThat(caller.awaitMessage("interrupted", Duration.ofSeconds(10))).isNotNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> !tracing.spans(OpenTelemetryTelemetry.TURN).isEmpty());
            caller.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> !tracing.spans(OpenTelemetryTelemetry.SESSION).isEmpty());
        }

        SpanData session = tracing.only(OpenTelemetryTelemetry.SESSION);
        assertThat(atStartup).singleElement().satisfies(c -> assertThat(c.getSpanId()).isEqualTo(session.getSpanId()));
        SpanData cut = tracing.spans(OpenTelemetryTelemetry.TURN).stream()
                .filter(t -> t.getAttributes().get(OpenTelemetryTelemetry.TURN_NUMBER) == 1L).findFirst().orElseThrow();
        assertThat(cut.getParentSpanId()).isEqualTo(session.getSpanId());
        assertThat(cut.getAttributes().get(OpenTelemetryTelemetry.INTERRUPTED)).isTrue();
        assertThat(cut.getAttributes().get(OpenTelemetryTelemetry.INTERRUPTION_MS))
                .as("at least the 250 ms of speech that interrupt").isBetween(240L, 5_000L);
        assertThat(cut.getAttributes().get(OpenTelemetryTelemetry.PLAYED_MS))
                .as("some of the reply, not all of its 8 s").isBetween(200L, 7_000L);
        assertThat(cut.getEvents()).extracting(e -> e.getName()).containsExactly("first_audio", "interrupted");
    }

    @Test
    void theVoiceAgentsStepsAreSpansUnderTheTurn() throws Exception {
        FakeSpeech speech = new FakeSpeech();
        List<SpanContext> inModel = new CopyOnWriteArrayList<>();
        ChatStream chat = (id, text, tokens) -> {
            inModel.add(Span.current().getSpanContext());
            tokens.partial("It is three. ");
            tokens.partial("Goodbye.");
            tokens.complete();
            return ChatStream.Generation.of(() -> {
            }, (said, interrupted) -> {
            });
        };
        VoiceAgent agent = VoiceAgent.builder().speechToText(speech).chat(chat).textToSpeech(speech).build();
        try (FastRtc rtc = FastRtc.builder().telemetry(OpenTelemetryTelemetry.create(tracing.sdk)).build();
                StreamServer server = StreamServer.start(Stream.builder().runtime(rtc).audio(agent.handler()).build())) {
            converse(server, "ws-agent");
        }

        SpanData session = tracing.only(OpenTelemetryTelemetry.SESSION);
        SpanData turn = tracing.only(OpenTelemetryTelemetry.TURN);
        assertThat(turn.getParentSpanId()).isEqualTo(session.getSpanId());
        SpanData stt = tracing.only("fastrtc.stt");
        SpanData model = tracing.only("fastrtc.model");
        List<SpanData> tts = tracing.spans("fastrtc.tts");
        assertThat(tts).hasSize(2);
        for (SpanData step : List.of(stt, model, tts.get(0), tts.get(1))) {
            assertThat(step.getParentSpanId()).as(step.getName()).isEqualTo(turn.getSpanId());
            assertThat(step.getTraceId()).isEqualTo(turn.getTraceId());
        }
        assertThat(stt.getEndEpochNanos()).isLessThanOrEqualTo(model.getStartEpochNanos());
        assertThat(inModel).singleElement().satisfies(c -> assertThat(c.getSpanId()).isEqualTo(model.getSpanId()));
    }
}
