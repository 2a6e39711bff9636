package io.fastrtc.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import io.fastrtc.agent.FakeSpeech;
import io.fastrtc.agent.ModelTiming;
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

    @Test
    void aCallerAsksAndHearsTheAnswerWithItsTranscript() throws Exception {
        FakeSpeech recogniser = new FakeSpeech();
        FakeStreamingChatModel model = new FakeStreamingChatModel();
        model.timing = new ModelTiming(Duration.ofMillis(100), 40);
        Map<Object, ChatMemory> memories = new ConcurrentHashMap<>();
        VoiceAgent agent = VoiceAgent.builder()
                .speechToText(recogniser)
                .chat(LangChain4jChat.of(model, id -> memories.computeIfAbsent(id, k -> MessageWindowChatMemory.withMaxMessages(20))))
                .textToSpeech(new FreeTtsTextToSpeech())
                .build();
        Stream stream = Stream.builder().audio(agent.handler()).additionalOutputs(Chatbot.of("Conversation")).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.fastrtc(server.baseUrl().replace("http:", "ws:") + "/websocket/offer",
                        16000, 16000)) {
            caller.start("agent-call", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains("agent-call"));
            OutputFeed outputs = stream.outputStream("agent-call");
            long asked = System.nanoTime();
            caller.say(Speech.say("hello there what time is it"));

            await().atMost(Duration.ofSeconds(30)).until(() -> caller.media().stream()
                    .filter(m -> m.nanos() > asked && m.rms() > 1000).count() > 50); // a second of speech heard
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

    @SuppressWarnings("unchecked")
    private static List<Chatbot.Message> chat(AdditionalOutputs outputs) {
        return (List<Chatbot.Message>) outputs.get(0);
    }
}
