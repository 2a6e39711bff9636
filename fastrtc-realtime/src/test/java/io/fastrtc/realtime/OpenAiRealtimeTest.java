package io.fastrtc.realtime;

import static io.fastrtc.realtime.Calls.awaitLoud;
import static io.fastrtc.realtime.Calls.loudMillis;
import static io.fastrtc.realtime.Calls.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.handler.AdditionalOutputs;
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

/**
 * The OpenAI bridge end to end: a real {@link Stream} on Javalin, callers on FastRTC's WebSocket
 * protocol or on a Twilio phone socket, and {@link FakeOpenAi} in place of OpenAI's servers.
 */
class OpenAiRealtimeTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    private FakeOpenAi fake;
    private StreamServer server;
    private final List<String> toolArguments = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFake() {
        fake = new FakeOpenAi();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        fake.close();
    }

    private OpenAiRealtime.Builder bridge() {
        return OpenAiRealtime.builder().apiKey("test-key").baseUrl(fake.url())
                .instructions("Be brief.")
                .tool(Tool.of("get_weather", "The weather in a city",
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}",
                        args -> {
                            toolArguments.add(args);
                            return "{\"forecast\":\"sunny\"}";
                        }));
    }

    private StreamServer serve(RealtimeHandler handler) {
        server = StreamServer.start(Stream.builder().audio(handler)
                .additionalOutputs(Chatbot.of("Conversation")).build());
        return server;
    }

    @Test
    void answersTheCallerOverAWebSocketWithTheConversationAsOutput() throws Exception {
        serve(bridge().build());
        try (SocketCaller caller = Calls.webSocket(server, "ws-answer");
                OutputFeed outputs = outputs(server, "ws-answer")) {
            caller.say(tone(48000, 300, 600));
            awaitLoud(caller, 2000, LONG);

            JsonNode update = fake.received("session.update").get(0).path("session");
            assertThat(update.path("type").asText()).isEqualTo("realtime");
            assertThat(update.path("audio").path("input").path("format").path("type").asText()).isEqualTo("audio/pcm");
            assertThat(update.path("audio").path("input").path("format").path("rate").asInt()).isEqualTo(24000);
            assertThat(update.path("audio").path("output").path("format").path("rate").asInt()).isEqualTo(24000);
            assertThat(update.path("audio").path("input").path("turn_detection").path("type").asText())
                    .isEqualTo("server_vad");
            assertThat(update.path("instructions").asText()).isEqualTo("Be brief.");
            assertThat(update.path("tools").get(0).path("name").asText()).isEqualTo("get_weather");
            assertThat(update.path("tools").get(0).path("parameters").path("required").get(0).asText()).isEqualTo("city");

            // 48 kHz from the caller reached the model as 24 kHz PCM of the same pitch
            assertThat(fake.speechFrequency(fake.connections.get(0))).isBetween(285.0, 315.0);
            assertThat(Calls.heardFrequency(caller.heard(), 0)).isBetween(425.0, 455.0);

            List<Chatbot.Message> conversation = awaitConversation(outputs, 2);
            assertThat(conversation.get(0)).isEqualTo(Chatbot.Message.user("caller turn 1"));
            assertThat(conversation.get(1).role()).isEqualTo("assistant");
            assertThat(conversation.get(1).content()).isEqualTo("Reply number 1 from the fake model");
        }
    }

    @Test
    void whatTheCallerSaysBeforeTheSessionIsReadyReachesTheModel() throws Exception {
        fake.greetingDelayMillis = 1200;
        serve(bridge().build());
        try (SocketCaller caller = Calls.webSocket(server, "ws-early")) {
            caller.say(io.fastrtc.audio.AudioFrame.silence(48000, 1, 100).concat(tone(48000, 300, 600)));
            Thread.sleep(1000);
            assertThat(fake.received("input_audio_buffer.append")).as("nothing sent before session.created").isEmpty();
            awaitLoud(caller, 1000, LONG);
            assertThat(fake.speechFrequency(fake.connections.get(0))).isBetween(285.0, 315.0);
        }
    }

    @Test
    void bargeInStopsPlaybackAndTruncatesTheReplyToWhatTheCallerHeard() throws Exception {
        fake.replyMillis = 6000;
        fake.maxAnswers = 1;
        serve(bridge().build());
        try (SocketCaller caller = Calls.webSocket(server, "ws-barge")) {
            caller.say(tone(48000, 300, 600));
            awaitLoud(caller, 1200, LONG);
            String item = fake.currentItem();
            caller.say(tone(48000, 300, 600));

            await().atMost(LONG).until(() -> !fake.received("conversation.item.truncate").isEmpty());
            assertThat(caller.awaitMessage("clear", Duration.ofSeconds(5))).isNotNull();
            Thread.sleep(1500); // anything still playing would be heard now
            JsonNode truncate = fake.received("conversation.item.truncate").get(0);
            double heard = loudMillis(caller.heard());

            assertThat(truncate.path("item_id").asText()).isEqualTo(item);
            assertThat(truncate.path("content_index").asInt()).isZero();
            int audioEnd = truncate.path("audio_end_ms").asInt();
            // The model emitted seconds ahead of the caller; only what was played counts.
            assertThat(audioEnd).isBetween(1100, 3500);
            assertThat((double) audioEnd).isCloseTo(heard, org.assertj.core.data.Offset.offset(200.0));
            assertThat(fake.received("conversation.item.truncate")).hasSize(1);
        }
    }

    @Test
    void withOurTurnDetectionTheBridgeCommitsTurnsAndCancelsAnInterruptedReply() throws Exception {
        fake.replyMillis = 6000;
        serve(bridge().localTurnDetection(WebRtcVad.shared(), Duration.ofMillis(500)).build());
        try (SocketCaller caller = Calls.webSocket(server, "ws-local")) {
            caller.say(tone(48000, 300, 600));
            awaitLoud(caller, 1200, LONG);
            JsonNode update = fake.received("session.update").get(0).path("session");
            assertThat(update.path("audio").path("input").has("turn_detection")).isTrue();
            assertThat(update.path("audio").path("input").path("turn_detection").isNull()).isTrue();
            assertThat(types(fake)).containsSubsequence("input_audio_buffer.commit", "response.create");
            assertThat(fake.received("response.cancel")).isEmpty();

            String item = fake.currentItem();
            caller.say(tone(48000, 300, 600));
            await().atMost(LONG).until(() -> !fake.received("conversation.item.truncate").isEmpty());
            assertThat(caller.awaitMessage("clear", Duration.ofSeconds(5))).isNotNull();
            double heardAtCut = loudMillis(caller.heard()); // the next answer comes only after this turn ends
            JsonNode truncate = fake.received("conversation.item.truncate").get(0);
            assertThat(truncate.path("item_id").asText()).isEqualTo(item);
            assertThat(fake.received("response.cancel")).hasSize(1);
            assertThat(truncate.path("audio_end_ms").asInt()).isBetween(1100, 3500);
            assertThat((double) truncate.path("audio_end_ms").asInt())
                    .isCloseTo(heardAtCut, org.assertj.core.data.Offset.offset(200.0));
            await().atMost(LONG).until(() -> fake.received("response.create").size() == 2); // the second turn
        }
    }

    private static List<String> types(FakeOpenAi fake) {
        return fake.connections.get(0).received.stream().map(m -> m.path("type").asText()).toList();
    }

    @Test
    void aToolCallRunsTheJavaFunctionAndItsResultGoesBackToTheModel() throws Exception {
        fake.toolCall = new String[] {"get_weather", "{\"city\":\"Paris\"}"};
        serve(bridge().build());
        try (SocketCaller caller = Calls.webSocket(server, "ws-tool");
                OutputFeed outputs = outputs(server, "ws-tool")) {
            caller.say(tone(48000, 300, 600));
            await().atMost(LONG).until(() -> !fake.received("response.create").isEmpty());

            assertThat(toolArguments).containsExactly("{\"city\":\"Paris\"}");
            JsonNode create = fake.received("conversation.item.create").get(0).path("item");
            assertThat(create.path("type").asText()).isEqualTo("function_call_output");
            assertThat(create.path("call_id").asText()).isEqualTo("call_1");
            assertThat(create.path("output").asText()).isEqualTo("{\"forecast\":\"sunny\"}");
            List<JsonNode> all = fake.connections.get(0).received;
            assertThat(all.indexOf(fake.received("response.create").get(0)))
                    .isGreaterThan(all.indexOf(fake.received("conversation.item.create").get(0)));

            awaitLoud(caller, 1000, LONG); // the answer that used the result
            assertThat(awaitConversation(outputs, 2).get(1).content()).startsWith("The tool said forecast sunny");
        }
    }

    @Test
    void aFailingOrUnknownToolTellsTheModelSoAndTheCallGoesOn() throws Exception {
        fake.toolCall = new String[] {"get_weather", "{\"city\":\"Atlantis\"}"};
        serve(OpenAiRealtime.builder().apiKey("test-key").baseUrl(fake.url())
                .tool(Tool.of("get_weather", "The weather", args -> {
                    throw new IllegalStateException("no such city: secret-internal-detail");
                })).build());
        try (SocketCaller caller = Calls.webSocket(server, "ws-toolfail")) {
            caller.say(tone(48000, 300, 600));
            await().atMost(LONG).until(() -> !fake.received("response.create").isEmpty());
            JsonNode output = Json.parse(fake.received("conversation.item.create").get(0).path("item").path("output").asText());
            assertThat(output.path("error").asText()).isEqualTo("the tool failed (IllegalStateException)");
            awaitLoud(caller, 1000, LONG);

            fake.toolCall = new String[] {"launch_rocket", "{}"};
            caller.say(tone(48000, 300, 600));
            await().atMost(LONG).until(() -> fake.received("conversation.item.create").size() == 2);
            output = Json.parse(fake.received("conversation.item.create").get(1).path("item").path("output").asText());
            assertThat(output.path("error").asText()).isEqualTo("no tool named launch_rocket");
        }
    }

    @Test
    void aRefusedKeyLeavesTheCallerConnectedInSilenceAndIsNeverShown() throws Exception {
        String secret = "sk-wrong-secret-4711";
        try (Calls.LogCapture logs = new Calls.LogCapture()) {
            RealtimeHandler handler = bridge().apiKey(secret).build();
            assertThat(handler.toString()).doesNotContain(secret);
            serve(handler);
            try (SocketCaller caller = Calls.webSocket(server, "ws-badkey")) {
                String toast = caller.awaitMessage("refused the API key", LONG);
                assertThat(toast).contains("OPENAI_API_KEY").doesNotContain(secret);
                caller.say(tone(48000, 300, 600));
                Thread.sleep(2500); // past the first retry delay: a refused key is not retried

                assertThat(fake.handshakes.get()).isEqualTo(1);
                assertThat(fake.keysSeen).containsExactly(secret);
                assertThat(loudMillis(caller.heard())).isZero();
                assertThat(caller.awaitClosed(Duration.ofMillis(100))).isNull();
                assertThat(server.stream().connectionIds()).containsExactly("ws-badkey");
            }
            assertThat(logs.text()).contains("refused").doesNotContain(secret);
        }
    }

    @Test
    void aRateLimitIsToldToTheCallerAndTheBridgeRecovers() throws Exception {
        fake.rateLimited = true;
        serve(bridge().build());
        try (SocketCaller caller = Calls.webSocket(server, "ws-429")) {
            assertThat(caller.awaitMessage("rate-limited", LONG)).isNotNull();
            fake.rateLimited = false;
            Thread.sleep(1200); // the first retry waits a second
            caller.say(tone(48000, 300, 600));
            awaitLoud(caller, 1500, LONG);
            assertThat(fake.handshakes.get()).isEqualTo(2);

            // a rate-limit error event inside the session: told, without the vendor's message
            fake.error(fake.connections.get(0), "invalid_request_error", "rate_limit_exceeded",
                    "Rate limit reached for org-hidden-123");
            String toast = caller.awaitMessage("rate-limited", LONG);
            assertThat(toast).doesNotContain("org-hidden-123");
            double before = loudMillis(caller.heard());
            caller.say(tone(48000, 300, 600));
            awaitLoud(caller, before + 1500, LONG); // the session goes on
        }
    }

    @Test
    void aSocketDroppedMidAnswerGivesAnApologyAndTheNextTurnReconnects() throws Exception {
        fake.replyMillis = 4000;
        fake.dropAfterMillis = 1000;
        serve(bridge().apology(tone(16000, 220, 800)).build());
        try (SocketCaller caller = Calls.webSocket(server, "ws-drop")) {
            caller.say(tone(48000, 300, 600));
            assertThat(caller.awaitMessage("Lost the connection", LONG)).isNotNull();
            // what arrived before the drop (1 s of 440 Hz) plays, then the 800 ms, 220 Hz apology
            awaitLoud(caller, 1600, LONG);
            Thread.sleep(500);
            assertThat(loudMillis(caller.heard())).isBetween(1600.0, 2000.0);
            assertThat(Calls.lastLoudFrequency(caller.heard(), 500)).isBetween(205.0, 235.0);
            assertThat(fake.open.values()).doesNotContain(fake.connections.get(0));

            Thread.sleep(1200); // the bridge reconnects after a second
            double before = loudMillis(caller.heard());
            caller.say(tone(48000, 300, 600));
            awaitLoud(caller, before + 3000, LONG);
            assertThat(fake.connections).hasSize(2);
            assertThat(caller.awaitClosed(Duration.ofMillis(100))).isNull();
        }
        await().atMost(LONG).until(() -> fake.openSockets() == 0);
    }

    @Test
    void aPhoneCallIsResampledBothWays() throws Exception {
        serve(bridge().build());
        try (SocketCaller caller = Calls.phone(server, "MZ0000000000000000000000000000realtime")) {
            caller.say(tone(8000, 300, 600));
            awaitLoud(caller, 1500, LONG);
            assertThat(fake.speechFrequency(fake.connections.get(0))).isBetween(285.0, 315.0); // 8 kHz -> 24 kHz
            assertThat(caller.heard().get(caller.heard().size() - 1).frame().sampleRate()).isEqualTo(8000);
            assertThat(Calls.heardFrequency(caller.heard(), 0)).isBetween(420.0, 460.0); // 24 kHz -> 8 kHz µ-law
        }
    }

    @Test
    void callsReleaseTheirModelSocketsAndThreads() throws Exception {
        serve(bridge().build());
        call("ws-warmup");
        long threads = bridgeThreads();
        for (int i = 0; i < 4; i++) {
            call("ws-churn-" + i);
        }
        assertThat(fake.connections).hasSize(5);
        assertThat(threads).isPositive(); // the count below counts something
        // One HTTP client serves every call: its threads are reused, not added per call.
        assertThat(bridgeThreads()).isLessThanOrEqualTo(threads + 1);
    }

    /** Live threads of the bridges' HTTP client and tool runs. */
    private static long bridgeThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("realtime-")).count();
    }

    private void call(String id) throws Exception {
        try (SocketCaller caller = Calls.webSocket(server, id)) {
            caller.say(tone(48000, 300, 600));
            awaitLoud(caller, 500, LONG);
        }
        await().atMost(LONG).until(() -> fake.openSockets() == 0 && server.stream().connectionIds().isEmpty());
    }

    @Test
    void withoutAKeyTheBuilderSaysWhatToSet() {
        assertThatThrownBy(() -> new OpenAiRealtime.Builder(name -> null).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("OPENAI_API_KEY");
        OpenAiRealtime.Builder fromEnv = new OpenAiRealtime.Builder(name -> name.equals("OPENAI_API_KEY") ? "sk-env" : null);
        assertThat(fromEnv.build().toString()).doesNotContain("sk-env");
        assertThat(fromEnv.apiKey("sk-given").toString()).doesNotContain("sk-given");
        assertThatThrownBy(() -> fromEnv.baseUrl("https://api.openai.com/v1/realtime"))
                .hasMessageContaining("ws://");
    }

    static OutputFeed outputs(StreamServer server, String id) {
        Calls.awaitSession(server, id);
        return server.stream().outputStream(id);
    }

    @SuppressWarnings("unchecked")
    static List<Chatbot.Message> awaitConversation(OutputFeed outputs, int messages) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (System.nanoTime() < deadline) {
            AdditionalOutputs o = outputs.poll(Duration.ofMillis(200));
            if (o != null && ((List<Chatbot.Message>) o.get(0)).size() >= messages) {
                return (List<Chatbot.Message>) o.get(0);
            }
        }
        throw new AssertionError("no conversation of " + messages + " messages");
    }
}
