package io.fastrtc.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static io.fastrtc.agent.Replies.drain;
import static io.fastrtc.agent.Replies.replyOn;
import static org.awaitility.Awaitility.await;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.memory.ChatMemoryAccess;
import io.fastrtc.agent.FakeSpeech;
import io.fastrtc.agent.ModelTiming;
import io.fastrtc.agent.Replies;
import io.fastrtc.agent.VoiceAgent;
import io.fastrtc.handler.Emit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The voice agent on LangChain4j: a fake streaming model, offline speech, the agent's real replies. */
class LangChain4jVoiceAgentTest {

    final FakeSpeech speech = new FakeSpeech();
    final FakeStreamingChatModel model = new FakeStreamingChatModel();
    final Map<Object, ChatMemory> memories = new ConcurrentHashMap<>();

    interface Assistant extends ChatMemoryAccess {
        TokenStream chat(@MemoryId String connection, @dev.langchain4j.service.UserMessage String text);
    }

    static final class Clock {
        final AtomicInteger calls = new AtomicInteger();

        @Tool("The current time of day")
        String currentTime() {
            calls.incrementAndGet();
            return "twenty to four";
        }
    }

    VoiceAgent agent(dev.langchain4j.model.chat.StreamingChatModel m) {
        return VoiceAgent.builder().speechToText(speech)
                .chat(LangChain4jChat.of(m, id -> memories.computeIfAbsent(id, k -> MessageWindowChatMemory.withMaxMessages(20)),
                        "You are a voice assistant."))
                .textToSpeech(speech).timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void theFirstSentenceIsHeardBeforeTheModelHasFinished() throws Exception {
        model.timing = new ModelTiming(Duration.ofMillis(200), 20); // ~17 tokens: about a second of writing
        List<Long> audio = drain(replyOn(agent(model), "a"));

        assertThat(speech.texts()).containsExactly("It is ten past three.", "The sun sets at six tonight.", "Anything else?");
        assertThat(audio).hasSize(3);
        assertThat(audio.get(0)).as("first sentence's audio reached the caller before the model completed")
                .isLessThan(model.completedNanos);
        assertThat(memories.get("a").messages()).containsExactly(SystemMessage.from("You are a voice assistant."),
                UserMessage.from("what time is it"), AiMessage.from(model.answer));
    }

    @Test
    void eachConnectionHasItsOwnMemory() throws Exception {
        VoiceAgent agent = agent(model);
        drain(replyOn(agent, "a"));
        speech.hears = "and the weather";
        drain(replyOn(agent, "b"));
        drain(replyOn(agent, "a"));

        assertThat(model.requests).hasSize(3);
        assertThat(model.requests.get(1).messages()).as("b's first request knows nothing of a")
                .containsExactly(SystemMessage.from("You are a voice assistant."), UserMessage.from("and the weather"));
        assertThat(model.requests.get(2).messages()).containsExactly(SystemMessage.from("You are a voice assistant."),
                UserMessage.from("what time is it"), AiMessage.from(model.answer), UserMessage.from("and the weather"));
    }

    @Test
    void aConnectionThatEndedIsForgotten() throws Exception {
        VoiceAgent agent = VoiceAgent.builder().speechToText(speech).textToSpeech(speech)
                .chat(LangChain4jChat.of(model, id -> MessageWindowChatMemory.withMaxMessages(20))).build();
        drain(replyOn(agent, "a"));
        drain(replyOn(agent, "a"));
        agent.forget("a");
        drain(replyOn(agent, "a"));

        assertThat(model.requests).extracting(r -> r.messages().size()).containsExactly(1, 3, 1);
        assertThat(agent.transcript("a")).hasSize(2);
    }

    @Test
    void anInterruptedAnswerIsRememberedOnlyAsFarAsItWasSpoken() {
        model.timing = new ModelTiming(Duration.ofMillis(50), 8); // slow: the second sentence takes ~0.8 s
        VoiceAgent agent = agent(model);
        Replies.interruptThenAskAgain(agent, "a");

        assertThat(model.cancelled).as("the model's stream was cancelled").hasSize(1);
        List<ChatMessage> second = model.requests.get(1).messages();
        assertThat(second.get(0)).isEqualTo(SystemMessage.from("You are a voice assistant."));
        Replies.assertCutToTheFirstSentence(lines(second.subList(1, second.size())));
    }

    /** Messages as {@code "role: text"} lines. */
    static List<String> lines(List<ChatMessage> messages) {
        return messages.stream().map(m -> m instanceof UserMessage u ? "user: " + u.singleText()
                : m instanceof AiMessage a ? "assistant: " + a.text() : m.type() + ": " + m).toList();
    }

    @Test
    void anAiServiceCallsItsToolsAndKeepsPerConnectionMemory() throws Exception {
        Clock clock = new Clock();
        Assistant assistant = AiServices.builder(Assistant.class).streamingChatModel(model)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20)).tools(clock).build();
        VoiceAgent agent = VoiceAgent.builder().speechToText(speech).textToSpeech(speech)
                .chat(LangChain4jChat.aiService(assistant, Assistant::chat)).build();
        drain(replyOn(agent, "a"));

        assertThat(clock.calls).hasValue(1);
        assertThat(speech.texts()).containsExactly("It is twenty to four.", "Anything else?");
        List<ChatMessage> memory = assistant.getChatMemory("a").messages();
        assertThat(memory).first().isEqualTo(UserMessage.from("what time is it"));
        assertThat(memory.get(2)).isInstanceOf(ToolExecutionResultMessage.class);
        assertThat(memory).last().isEqualTo(AiMessage.from("It is twenty to four. Anything else?"));
        assertThat(assistant.getChatMemory("b")).as("no memory for another connection").isNull();
    }

    @Test
    void anAiServiceMemoryIsCutToWhatWasSpokenOnInterruption() {
        model.timing = new ModelTiming(Duration.ofMillis(50), 8);
        Assistant assistant = AiServices.builder(Assistant.class).streamingChatModel(model)
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20)).build();
        VoiceAgent agent = VoiceAgent.builder().speechToText(speech).textToSpeech(speech)
                .chat(LangChain4jChat.aiService(assistant, Assistant::chat)).build();
        Replies.interruptThenAskAgain(agent, "a");

        assertThat(model.cancelled).hasSize(1);
        Replies.assertCutToTheFirstSentence(lines(model.requests.get(1).messages()));
        assertThat(lines(assistant.getChatMemory("a").messages())).last().isEqualTo("assistant: " + model.answer);
    }

    @Test
    void aFailingModelGivesAnApologyAndTheConnectionGoesOn() {
        Replies.apologisesThenRecovers(agent(model), speech, model);
    }
}
