package io.fastrtc.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.memory.ChatMemoryAccess;
import io.fastrtc.agent.FakeSpeech;
import io.fastrtc.agent.ReadmeSnippets;
import io.fastrtc.agent.VoiceAgent;
import io.fastrtc.speech.SpeechToText;
import io.fastrtc.speech.TextToSpeech;
import io.fastrtc.stream.Stream;
import io.fastrtc.ui.Chatbot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's LangChain4j snippets are these methods' bodies, verbatim; the AI Service one runs on the fake model. */
class ReadmeSnippetsTest {

    static final class WeatherTools {
        @Tool("The weather forecast for a city")
        String forecast(String city) {
            return "sunny in " + city;
        }
    }

    static Stream streamingModel(SpeechToText stt, TextToSpeech tts) {
        // README: begin
        StreamingChatModel model = OpenAiStreamingChatModel.builder()
                .apiKey(System.getenv("OPENAI_API_KEY")).modelName("gpt-4o-mini").build();
        VoiceAgent agent = VoiceAgent.builder()
                .speechToText(stt)              // any SpeechToText, e.g. from fastrtc-speech
                .chat(LangChain4jChat.of(model, id -> MessageWindowChatMemory.withMaxMessages(20),
                        "You are a helpful voice assistant. Answer in short spoken sentences."))
                .textToSpeech(tts)
                .build();
        Stream stream = Stream.builder()
                .audio(agent.handler())         // ReplyOnPause; each connection has its own memory
                .additionalOutputs(Chatbot.of("Conversation"))
                .build();
        // README: end
        return stream;
    }

    // README: begin
    interface Assistant extends ChatMemoryAccess {
        @SystemMessage("You are a helpful voice assistant. Answer in short spoken sentences.")
        TokenStream chat(@MemoryId String connection, @UserMessage String text);
    }
    // README: end

    static VoiceAgent aiService(StreamingChatModel model, SpeechToText stt, TextToSpeech tts) {
        // README: begin
        Assistant assistant = AiServices.builder(Assistant.class)
                .streamingChatModel(model)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
                .tools(new WeatherTools())      // your @Tool methods
                .build();
        VoiceAgent agent = VoiceAgent.builder()
                .speechToText(stt)
                .chat(LangChain4jChat.aiService(assistant, Assistant::chat))
                .textToSpeech(tts)
                .build();
        // README: end
        return agent;
    }

    @Test
    void theReadmeShowsTheseSnippets() throws Exception {
        List<String> snippets = ReadmeSnippets.in(Path.of("src/test/java/io/fastrtc/langchain4j/ReadmeSnippetsTest.java"));
        assertThat(snippets).hasSize(3);
        assertThat(ReadmeSnippets.readme()).contains(snippets.toArray(String[]::new));
    }

    @Test
    void theAiServiceSnippetAnswers() {
        FakeSpeech speech = new FakeSpeech();
        VoiceAgent agent = aiService(new FakeStreamingChatModel(), speech, speech);
        io.fastrtc.agent.Replies.drain(io.fastrtc.agent.Replies.replyOn(agent, "a"));
        assertThat(speech.texts()).first().isEqualTo("It is ten past three.");
    }
}
