package io.fastrtc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.testing.EventStream;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.ui.Chatbot.Message;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.speech.freetts.FreeTtsTextToSpeech;
import io.fastrtc.speech.pocketsphinx.PocketSphinxSpeechToText;
import io.fastrtc.stream.OutputFeed;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.TestPeer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The voice chat end to end over a real peer connection: a FreeTTS-spoken question goes in as a
 * microphone track, pocketsphinx hears it, the offline chat model answers, FreeTTS speaks.
 */
class VoiceChatDemoTest {

    static final String WEATHER_ANSWER = "I cannot look outside, but I hope it is sunny where you are.";

    static RtcEngine clients;
    static FreeTtsTextToSpeech tts;
    ExampleApp example;

    @BeforeAll
    static void setUp() {
        clients = RtcEngine.create();
        tts = new FreeTtsTextToSpeech().warmup();
    }

    @AfterAll
    static void tearDown() {
        clients.close();
    }

    @BeforeEach
    void start() {
        VoiceChat chat = new VoiceChat(new PocketSphinxSpeechToText(), new RuleBasedChatModel(), tts);
        example = new ExampleApp(chat.stream(), VoiceChatDemo.create(chat.stream()));
    }

    @AfterEach
    void stop() {
        example.close();
    }

    static long loudSince(TestPeer peer, long sinceNanos) {
        return peer.heard().stream().filter(h -> h.nanos() >= sinceNanos && h.rms() > 1000).count();
    }

    @SuppressWarnings("unchecked")
    static List<Message> messages(AdditionalOutputs outputs) {
        return (List<Message>) outputs.get(0);
    }

    @Test
    void answersASpokenQuestionAloudAndInTheTranscript() throws Exception {
        // Half a second of quiet first, as a person takes a breath, so the first word is not clipped.
        AudioFrame question = AudioFrame.silence(16000, 1, 500).concat(tts.synthesize("what is the weather like today"));
        try (TestPeer peer = new TestPeer(clients, "voice-1").sendAudio().dataChannel("text")) {
            assertThat(Signaling.connect(peer, example.base + "/webrtc/offer", "voice-1").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            try (OutputFeed feed = example.stream.outputStream("voice-1");
                    EventStream sse = EventStream.open(example.base + "/outputs?webrtc_id=voice-1")) {
                long start = System.nanoTime();
                peer.say(question);
                long spoken = start + (long) (question.durationMillis() * 1e6);

                List<AdditionalOutputs> transcripts = new ArrayList<>();
                while (transcripts.size() < 2) {
                    AdditionalOutputs next = feed.poll(Duration.ofSeconds(60));
                    assertThat(next).as("transcript %d", transcripts.size() + 1).isNotNull();
                    transcripts.add(next);
                }
                // First what was heard, then the conversation with the answer.
                assertThat(messages(transcripts.get(0))).singleElement().satisfies(m -> {
                    assertThat(m.role()).isEqualTo("user");
                    assertThat(m.content()).contains("weather", "today");
                });
                List<Message> conversation = messages(transcripts.get(1));
                assertThat(conversation).hasSize(2);
                assertThat(conversation.get(0)).isEqualTo(messages(transcripts.get(0)).get(0));
                assertThat(conversation.get(1)).isEqualTo(Message.assistant(WEATHER_ANSWER));

                // The answer is heard, after the question.
                await().atMost(Duration.ofSeconds(30)).until(() -> loudSince(peer, spoken) >= 100);
                // One snapshot for both counts: more of the answer arrives all the time.
                List<TestPeer.Heard> heard = List.copyOf(peer.heard());
                assertThat(heard.stream().filter(h -> h.rms() > 1000 && h.nanos() < spoken))
                        .as("nothing loud before the question ended").isEmpty();

                // The page's feed: [[{"role":"user",...},{"role":"assistant",...}]]
                await().atMost(Duration.ofSeconds(10)).until(() -> sse.outputs().size() >= 2);
                JsonNode last = sse.outputs().get(1).get(0);
                assertThat(last.get(1).get("role").asText()).isEqualTo("assistant");
                assertThat(last.get(1).get("content").asText()).isEqualTo(WEATHER_ANSWER);
                assertThat(last.get(0).get("content").asText()).contains("weather");
            }
        }
    }

    @Test
    void servesThePageAtTheRoot() throws Exception {
        HttpResponse<String> page = example.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"voicechat.js\">",
                "href=\"assets/style.css\"", "href=\"voicechat.css\"", "id=\"transcript\"", "id=\"toggle\"",
                "id=\"voice\"");

        // The page's script imports the client shared with the video page (VoiceChatBrowserTest runs it).
        assertThat(example.get("/voicechat.js").body()).contains("from \"./assets/client.js\"");
        assertThat(example.get("/assets/client.js").statusCode()).isEqualTo(200);
        assertThat(example.get("/voicechat.css").statusCode()).isEqualTo(200);
        assertThat(example.get("/assets/style.css").statusCode()).isEqualTo(200);

        // The same assistant in the built-in UI, the conversation rendered by a chatbot output.
        assertThat(example.get("/ui/").statusCode()).isEqualTo(200);
        HttpResponse<String> config = example.get("/ui/config");
        assertThat(config.body()).contains("\"modality\":\"audio\"", "\"type\":\"chatbot\"", "Voice chat");
    }
}
