package io.fastrtc.realtime;

import static io.fastrtc.realtime.Calls.awaitLoud;
import static io.fastrtc.realtime.Calls.loudMillis;
import static io.fastrtc.realtime.Calls.tone;
import static io.fastrtc.realtime.OpenAiRealtimeTest.awaitConversation;
import static io.fastrtc.realtime.OpenAiRealtimeTest.outputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.stream.OutputFeed;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.turn.WebRtcVad;
import io.fastrtc.ui.Chatbot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Gemini Live bridge end to end against {@link FakeGemini}, through a real stream and socket callers. */
class GeminiLiveTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    private FakeGemini fake;
    private StreamServer server;
    private final List<String> toolArguments = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFake() {
        fake = new FakeGemini();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        fake.close();
    }

    private GeminiLive.Builder bridge() {
        return GeminiLive.builder().apiKey("test-key").baseUrl(fake.url())
                .model("gemini-test-live").voice("Puck").instructions("Be brief.")
                .tool(Tool.of("book_table", "Books a table", "{\"type\":\"object\",\"properties\":"
                        + "{\"people\":{\"type\":\"integer\"}}}", args -> {
                            toolArguments.add(args);
                            return "booked for 4";
                        }));
    }

    private void serve(RealtimeHandler handler) {
        server = StreamServer.start(Stream.builder().audio(handler)
                .additionalOutputs(Chatbot.of("Conversation")).build());
    }

    @Test
    void setsUpTheSessionSends16kHzAndPlaysTheModelTurnWithTranscripts() throws Exception {
        serve(bridge().build());
        try (SocketCaller caller = Calls.webSocket(server, "gm-answer");
                OutputFeed outputs = outputs(server, "gm-answer")) {
            caller.say(tone(48000, 300, 600));
            awaitLoud(caller, 2000, LONG);

            List<JsonNode> setups = fake.received(m -> m.has("setup"));
            assertThat(setups).hasSize(1);
            JsonNode setup = setups.get(0).path("setup");
            assertThat(setup.path("model").asText()).isEqualTo("models/gemini-test-live");
            assertThat(setup.path("generationConfig").path("responseModalities").get(0).asText()).isEqualTo("AUDIO");
            assertThat(setup.path("generationConfig").path("speechConfig").path("voiceConfig")
                    .path("prebuiltVoiceConfig").path("voiceName").asText()).isEqualTo("Puck");
            assertThat(setup.path("systemInstruction").path("parts").get(0).path("text").asText()).isEqualTo("Be brief.");
            assertThat(setup.path("tools").get(0).path("functionDeclarations").get(0).path("name").asText())
                    .isEqualTo("book_table");
            assertThat(setup.has("inputAudioTranscription") && setup.has("outputAudioTranscription")).isTrue();
            // the set-up came first, and audio only after setupComplete
            assertThat(fake.connections.get(0).received.get(0).has("setup")).isTrue();
            JsonNode audio = fake.received(m -> m.path("realtimeInput").has("audio")).get(0);
            assertThat(audio.path("realtimeInput").path("audio").path("mimeType").asText())
                    .isEqualTo("audio/pcm;rate=16000");

            assertThat(fake.speechFrequency(fake.connections.get(0))).isBetween(285.0, 315.0); // 48 kHz -> 16 kHz
            assertThat(Calls.heardFrequency(caller.heard(), 0)).isBetween(425.0, 455.0);

            List<Chatbot.Message> conversation = awaitConversation(outputs, 2);
            assertThat(conversation).containsExactly(Chatbot.Message.user("caller turn 1"),
                    Chatbot.Message.assistant("Reply number 1 from the fake model"));
        }
    }

    @Test
    void anInterruptionStopsPlaybackAtOnce() throws Exception {
        fake.replyMillis = 8000;
        fake.maxAnswers = 1;
        serve(bridge().build());
        try (SocketCaller caller = Calls.webSocket(server, "gm-barge")) {
            caller.say(tone(48000, 300, 600));
            awaitLoud(caller, 1000, LONG);
            caller.say(tone(48000, 300, 600));
            assertThat(caller.awaitMessage("clear", LONG)).isNotNull();
            double atClear = loudMillis(caller.heard());
            Thread.sleep(1500);
            // The model had generated seconds more than was played; none of it is heard after the cut.
            assertThat(loudMillis(caller.heard())).isLessThan(atClear + 150).isLessThan(3000);
        }
    }

    @Test
    void withOurTurnDetectionTheBridgeSendsActivityStartAndEnd() throws Exception {
        fake.replyMillis = 8000;
        serve(bridge().localTurnDetection(WebRtcVad.shared(), Duration.ofMillis(500)).build());
        try (SocketCaller caller = Calls.webSocket(server, "gm-local")) {
            caller.say(tone(48000, 300, 600));
            awaitLoud(caller, 1000, LONG);
            JsonNode setup = fake.received(m -> m.has("setup")).get(0).path("setup");
            assertThat(setup.path("realtimeInputConfig").path("automaticActivityDetection").path("disabled")
                    .asBoolean()).isTrue();
            assertThat(activities()).containsExactly("activityStart", "activityEnd");

            caller.say(tone(48000, 300, 600));
            assertThat(caller.awaitMessage("clear", LONG)).isNotNull();
            double atClear = loudMillis(caller.heard());
            Thread.sleep(800); // the caller is still talking: nothing plays
            assertThat(loudMillis(caller.heard())).isLessThan(atClear + 150);
            await().atMost(LONG).until(() -> activities().size() == 4);
            awaitLoud(caller, atClear + 1000, LONG); // the answer to the second turn
        }
    }

    private List<String> activities() {
        return fake.connections.get(0).received.stream().map(m -> m.path("realtimeInput"))
                .filter(r -> r.has("activityStart") || r.has("activityEnd"))
                .map(r -> r.has("activityStart") ? "activityStart" : "activityEnd").toList();
    }

    @Test
    void aToolCallIsAnsweredWithAToolResponse() throws Exception {
        fake.toolCall = new String[] {"book_table", "{\"people\":4}"};
        serve(bridge().build());
        try (SocketCaller caller = Calls.webSocket(server, "gm-tool")) {
            caller.say(tone(48000, 300, 600));
            await().atMost(LONG).until(() -> !fake.received(m -> m.has("toolResponse")).isEmpty());
            assertThat(toolArguments).containsExactly("{\"people\":4}");
            JsonNode response = fake.received(m -> m.has("toolResponse")).get(0)
                    .path("toolResponse").path("functionResponses").get(0);
            assertThat(response.path("id").asText()).isEqualTo("fc_1");
            assertThat(response.path("name").asText()).isEqualTo("book_table");
            assertThat(response.path("response").path("result").asText()).isEqualTo("booked for 4");
            awaitLoud(caller, 1000, LONG);
        }
    }

    @Test
    void aRefusedKeyIsToldWithoutTheKeyAndNotRetried() throws Exception {
        String secret = "AIza-wrong-secret-0815";
        try (Calls.LogCapture logs = new Calls.LogCapture()) {
            serve(bridge().apiKey(secret).build());
            try (SocketCaller caller = Calls.webSocket(server, "gm-badkey")) {
                assertThat(caller.awaitMessage("refused the API key", LONG)).contains("GEMINI_API_KEY")
                        .doesNotContain(secret);
                caller.say(tone(48000, 300, 600));
                Thread.sleep(2500);
                assertThat(fake.handshakes.get()).isEqualTo(1);
                assertThat(fake.keysSeen).containsExactly(secret); // it did travel, in the query
                assertThat(loudMillis(caller.heard())).isZero();
                assertThat(caller.awaitClosed(Duration.ofMillis(100))).isNull();
            }
            assertThat(logs.text()).contains("refused").doesNotContain(secret);
        }
    }

    @Test
    void aDroppedSessionReconnectsAndAnswersAgain() throws Exception {
        fake.replyMillis = 3000;
        fake.dropAfterMillis = 800;
        serve(bridge().build());
        try (SocketCaller caller = Calls.webSocket(server, "gm-drop")) {
            caller.say(tone(48000, 300, 600));
            assertThat(caller.awaitMessage("Lost the connection", LONG)).isNotNull();
            await().atMost(LONG).until(() -> fake.connections.size() == 2);
            double before = loudMillis(caller.heard());
            caller.say(tone(48000, 300, 600));
            awaitLoud(caller, before + 2500, LONG);
            assertThat(fake.received(m -> m.has("setup"))).hasSize(2);
        }
        await().atMost(LONG).until(() -> fake.openSockets() == 0);
    }

    @Test
    void anAnnouncedSessionEndIsFollowedByANewSessionWithoutBotheringTheCaller() throws Exception {
        serve(bridge().build());
        try (SocketCaller caller = Calls.webSocket(server, "gm-goaway")) {
            caller.say(tone(48000, 300, 600));
            awaitLoud(caller, 2500, LONG);
            fake.goAway(fake.connections.get(0));
            await().atMost(Duration.ofSeconds(5)).until(() -> fake.connections.size() == 2);
            double before = loudMillis(caller.heard());
            caller.say(tone(48000, 300, 600));
            awaitLoud(caller, before + 2500, LONG);
            assertThat(caller.received()).noneMatch(m -> m.contains("\"error\""));
        }
    }

    @Test
    void withoutAKeyTheBuilderSaysWhatToSet() {
        assertThatThrownBy(() -> new GeminiLive.Builder(name -> null).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GEMINI_API_KEY");
        RealtimeHandler handler = new GeminiLive.Builder(name -> "AIza-from-env").build();
        assertThat(handler.toString()).doesNotContain("AIza-from-env");
    }
}
