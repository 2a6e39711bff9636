package io.fastrtc.springai;

import static io.fastrtc.agent.Replies.drain;
import static io.fastrtc.agent.Replies.replyOn;
import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.agent.ChatStream;
import io.fastrtc.agent.FakeSpeech;
import io.fastrtc.agent.VoiceAgent;
import io.fastrtc.spring.FastRtcAutoConfiguration;
import io.fastrtc.stream.Stream;
import io.fastrtc.ui.Chatbot;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The voice agent appears in a Spring application that has Spring AI, speech-to-text and text-to-speech. */
class FastRtcSpringAiAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastRtcAutoConfiguration.class, FastRtcSpringAiAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    static class Speech {
        @Bean
        FakeSpeech speech() {
            return new FakeSpeech();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Model {
        @Bean
        FakeChatModel chatModel() {
            return new FakeChatModel();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStream {
        @Bean
        Stream myStream(Stream.Builder fastrtc, VoiceAgent agent) {
            return fastrtc.audio(agent.handler()).build();
        }
    }

    @Test
    void speechBeansAndAChatModelGiveATalkingStream() {
        runner.withUserConfiguration(Speech.class, Model.class)
                .withPropertyValues("fastrtc.agent.system-message=Be brief.", "fastrtc.agent.timeout=5s")
                .run(context -> {
                    assertThat(context).hasSingleBean(SpringAiChat.class).hasSingleBean(VoiceAgent.class)
                            .hasSingleBean(Stream.class);
                    assertThat(context.getBean(VoiceAgentProperties.class).timeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(context.getBean(Stream.class).additionalOutputs()).containsExactly(Chatbot.of("Conversation"));

                    drain(replyOn(context.getBean(VoiceAgent.class), "a"));
                    FakeChatModel model = context.getBean(FakeChatModel.class);
                    assertThat(SpringAiVoiceAgentTest.texts(model.prompts.get(0)))
                            .containsExactly("system: Be brief.", "user: what time is it");
                    assertThat(context.getBean(FakeSpeech.class).texts()).hasSize(3);
                });
    }

    @Test
    void theApplicationsOwnStreamAndChatAreKept() {
        ChatStream own = (id, text, tokens) -> {
            throw new IllegalStateException("unused");
        };
        runner.withUserConfiguration(Speech.class, Model.class, OwnStream.class)
                .withBean("ownChat", ChatStream.class, () -> own)
                .run(context -> {
                    assertThat(context).hasSingleBean(Stream.class).hasBean("myStream").doesNotHaveBean(SpringAiChat.class);
                    assertThat(context.getBean(ChatStream.class)).isSameAs(own);
                });
    }

    @Test
    void withoutSpeechBeansOrWhenDisabledThereIsNoAgent() {
        runner.withUserConfiguration(Model.class).run(context ->
                assertThat(context).doesNotHaveBean(VoiceAgent.class).doesNotHaveBean(Stream.class));
        runner.withUserConfiguration(Speech.class, Model.class).withPropertyValues("fastrtc.agent.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(VoiceAgent.class).doesNotHaveBean(Stream.class));
    }

    @Test
    void speechWithoutAChatModelSaysWhatToAdd() {
        runner.withUserConfiguration(Speech.class).run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("needs a Spring AI chat model")
                .hasMessageContaining("fastrtc.agent.enabled=false"));
    }

    @Test
    void theModelIsReachedThroughTheChatModelInterface() {
        runner.withUserConfiguration(Speech.class).withBean(ChatModel.class, FakeChatModel::new)
                .run(context -> assertThat(context).hasSingleBean(VoiceAgent.class));
    }
}
