package io.fastrtc.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import io.fastrtc.agent.FakeSpeech;
import io.fastrtc.agent.ModelTiming;
import io.fastrtc.agent.Replies;
import io.fastrtc.agent.VoiceAgent;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.speech.freetts.FreeTtsTextToSpeech;
import io.fastrtc.stream.OutputFeed;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.Speech;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.ui.Chatbot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The agent as a real stream: a FastRTC WebSocket client ({@code /websocket/offer}) speaks (espeak-ng),
 * the stream's turn-taking hands the utterance to the agent, FreeTTS speaks the fake model's answer, and
 * the caller hears it while the transcript arrives as the stream's chatbot output.
 */
class LangChain4jAgentOverWebSocketTest {

    private final FakeSpeech recogniser = new FakeSpeech();
    private final FakeStreamingChatModel model = new FakeStreamingChatModel();
    private final Map<Object, ChatMemory> memories = new ConcurrentHashMap<>();
    private final VoiceAgent agent = VoiceAgent.builder()
            .speechToText(recogniser)
            .chat(LangChain4jChat.of(model, id -> memories.computeIfAbsent(id, k -> MessageWindowChatMemory.withMaxMessages(20))))
            .textToSpeech(new FreeTtsTextToSpeech())
            .build();
    private final Stream stream = Stream.builder().audio(agent.handler()).additionalOutputs(Chatbot.of("Conversation")).build();

    private static SocketCaller call(StreamServer server, String id) throws Exception {
        // The microphone at the handler's input rate, as FastRTC's WebSocket protocol has it (at 16 kHz the
        // server would hear the speech three times too fast, too short to interrupt a reply).
        SocketCaller caller = SocketCaller.fastrtc(server.baseUrl().replace("http:", "ws:") + "/websocket/offer", 48000, 16000);
        caller.start(id, Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stream().connectionIds().contains(id));
        return caller;
    }

    /** Waits until the caller has heard {@code frames} loud 20 ms media frames since {@code sinceNanos}. */
    private static void hears(SocketCaller caller, long sinceNanos, int frames) {
        await().atMost(Duration.ofSeconds(30)).until(() -> caller.media().stream()
                .filter(m -> m.nanos() > sinceNanos && m.rms() > 1000).count() > frames);
    }

    @Test
    void aCallerAsksAndHearsTheAnswerWithItsTranscript() throws Exception {
        try (StreamServer server = StreamServer.start(stream); SocketCaller caller = call(server, "agent-call")) {
            OutputFeed outputs = stream.outputStream("agent-call");
            long asked = System.nanoTime();
            caller.say(Speech.say("hello there what time is it"));

            hears(caller, asked, 50); // a second of the answer
            assertThat(caller.awaitMessage("fetch_output", Duration.ofSeconds(10))).isNotNull();
            List<Chatbot.Message> transcript = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && (transcript == null || transcript.size() < 2
                    || !transcript.get(1).content().equals(model.answer))) {
                AdditionalOutputs o = outputs.poll(Duration.ofSeconds(1));
                if (o != null) {
                    transcript = chat(o);
                }
            }
            assertThat(transcript).containsExactly(Chatbot.Message.user("what time is it"),
                    Chatbot.Message.assistant(model.answer));
            await().atMost(Duration.ofSeconds(20)).until(() -> memories.get("agent-call").messages().size() == 2);
            assertThat(memories.get("agent-call").messages()).containsExactly(UserMessage.from("what time is it"),
                    AiMessage.from(model.answer));

            caller.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.transcript("agent-call").isEmpty());
        }
    }

    @Test
    void talkingOverTheAgentCutsItsAnswerInItsMemory() throws Exception {
        model.timing = new ModelTiming(Duration.ofMillis(100), 3); // the second sentence needs about 4.5 s
        try (StreamServer server = StreamServer.start(stream); SocketCaller caller = call(server, "barge-in")) {
            long asked = System.nanoTime();
            caller.say(Speech.say("hello there what time is it"));
            hears(caller, asked, 10); // the first sentence is playing
            caller.say(Speech.say("no wait a moment"));

            assertThat(caller.awaitMessage("interrupted", Duration.ofSeconds(10))).isNotNull();
            // The next turn (what the caller said over it) comes once the interrupted one has settled.
            await().atMost(Duration.ofSeconds(20)).until(() -> memories.get("barge-in").messages().stream()
                    .filter(m -> m instanceof UserMessage).count() == 2);
            Replies.assertCutToTheFirstSentence(LangChain4jVoiceAgentTest.lines(memories.get("barge-in").messages()));
            assertThat(model.cancelled).as("the model stopped writing the interrupted answer").hasSize(1);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Chatbot.Message> chat(AdditionalOutputs outputs) {
        return (List<Chatbot.Message>) outputs.get(0);
    }
}
