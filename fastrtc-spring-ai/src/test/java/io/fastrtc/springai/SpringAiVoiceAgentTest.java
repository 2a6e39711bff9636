package io.fastrtc.springai;

import static io.fastrtc.agent.Replies.drain;
import static io.fastrtc.agent.Replies.replyOn;
import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.agent.FakeSpeech;
import io.fastrtc.agent.ModelTiming;
import io.fastrtc.agent.Replies;
import io.fastrtc.agent.VoiceAgent;
import io.fastrtc.springai.readme.AgentConfiguration;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.prompt.Prompt;

/** The voice agent on a Spring AI ChatClient: a fake streaming model, offline speech, the agent's real replies. */
class SpringAiVoiceAgentTest {

    final FakeSpeech speech = new FakeSpeech();
    final FakeChatModel model = new FakeChatModel();
    final ChatMemory memory = MessageWindowChatMemory.builder().build();
    final VoiceAgent agent = VoiceAgent.builder().speechToText(speech)
            .chat(SpringAiChat.of(ChatClient.create(model), memory, "You are a voice assistant."))
            .textToSpeech(speech).timeout(Duration.ofSeconds(10)).build();

    static List<String> texts(List<Message> messages) {
        return messages.stream().map(m -> m.getMessageType().getValue() + ": " + m.getText()).toList();
    }

    static List<String> texts(Prompt prompt) {
        return texts(prompt.getInstructions());
    }

    @Test
    void theFirstSentenceIsHeardBeforeTheModelHasFinished() {
        model.timing = new ModelTiming(Duration.ofMillis(200), 20);
        List<Long> audio = drain(replyOn(agent, "a"));

        assertThat(speech.texts()).containsExactly("It is ten past three.", "The sun sets at six tonight.", "Anything else?");
        assertThat(audio.get(0)).as("first sentence's audio came before the model completed").isLessThan(model.completedNanos);
        assertThat(texts(model.prompts.get(0))).containsExactly("system: You are a voice assistant.", "user: what time is it");
        assertThat(texts(memory.get("a"))).containsExactly("user: what time is it", "assistant: " + model.answer);
    }

    @Test
    void eachConnectionHasItsOwnMemory() {
        drain(replyOn(agent, "a"));
        speech.hears = "and the weather";
        drain(replyOn(agent, "b"));
        drain(replyOn(agent, "a"));

        assertThat(texts(model.prompts.get(1))).containsExactly("system: You are a voice assistant.", "user: and the weather");
        assertThat(texts(model.prompts.get(2))).containsExactly("system: You are a voice assistant.",
                "user: what time is it", "assistant: " + model.answer, "user: and the weather");
        agent.forget("a");
        assertThat(memory.get("a")).isEmpty();
        assertThat(memory.get("b")).hasSize(2);
    }

    @Test
    void anInterruptedAnswerIsRememberedOnlyAsFarAsItWasSpoken() {
        model.timing = new ModelTiming(Duration.ofMillis(50), 8);
        Replies.interruptThenAskAgain(agent, "a");

        assertThat(model.cancelled).as("the model's stream was cancelled").hasSize(1);
        Replies.assertCutToTheFirstSentence(texts(memory.get("a")));
    }

    @Test
    void toolsOnTheClientAreCalled() {
        int before = AgentConfiguration.WeatherTools.CALLS.get();
        // A real model (OpenAI, Ollama...) runs the tools itself; the fake one leaves that to Spring AI's advisor.
        ChatClient client = ChatClient.builder(model).defaultTools(new AgentConfiguration.WeatherTools())
                .defaultAdvisors(ToolCallingAdvisor.builder().build()).build();
        VoiceAgent withTools = VoiceAgent.builder().speechToText(speech).chat(SpringAiChat.of(client, memory, null))
                .textToSpeech(speech).build();
        speech.hears = "what is the weather in Paris";
        drain(replyOn(withTools, "a"));

        assertThat(AgentConfiguration.WeatherTools.CALLS.get()).isEqualTo(before + 1);
        assertThat(speech.texts()).containsExactly("It is sunny in Paris.", "Anything else?");
        assertThat(texts(memory.get("a"))).containsExactly("user: what is the weather in Paris",
                "assistant: It is sunny in Paris. Anything else?");
    }

    @Test
    void aFailingModelGivesAnApologyAndTheConnectionGoesOn() {
        Replies.apologisesThenRecovers(agent, speech, model);
    }
}
