package io.fastrtc.springai;

import io.fastrtc.agent.ChatStream;
import io.fastrtc.agent.VoiceAgent;
import io.fastrtc.speech.SpeechToText;
import io.fastrtc.speech.TextToSpeech;
import io.fastrtc.spring.FastRtcAutoConfiguration;
import io.fastrtc.stream.Stream;
import io.fastrtc.ui.Chatbot;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A voice agent from Spring AI, with no code: in an application with Spring AI's chat client on the
 * classpath, a {@link SpeechToText} bean and a {@link TextToSpeech} bean, this builds a
 * {@link VoiceAgent} on the application's {@link ChatClient} (its {@code ChatClient} bean, or one built
 * from its {@code ChatClient.Builder} / {@link ChatModel}, e.g. from a Spring AI model starter) and, if the
 * application declares no {@link Stream}, the stream that serves it, with the conversation as its
 * chatbot output. Declare your own {@link ChatStream}, {@link VoiceAgent} or {@link Stream} bean to
 * replace any of them; {@code fastrtc.agent.enabled=false} turns it off.
 */
@AutoConfiguration(before = FastRtcAutoConfiguration.class,
        afterName = "org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration")
@ConditionalOnClass({ChatClient.class, VoiceAgent.class})
@ConditionalOnBean({SpeechToText.class, TextToSpeech.class})
@ConditionalOnProperty(prefix = "fastrtc.agent", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(VoiceAgentProperties.class)
public class FastRtcSpringAiAutoConfiguration {

    /** The application's chat client, or one on its only {@code ChatModel}; with its {@code ChatMemory} bean if it has one. */
    @Bean
    @ConditionalOnMissingBean({ChatStream.class, VoiceAgent.class})
    SpringAiChat fastRtcChat(ObjectProvider<ChatClient> client, ObjectProvider<ChatClient.Builder> builder,
            ObjectProvider<ChatModel> model, ObjectProvider<ChatMemory> memory, VoiceAgentProperties properties) {
        ChatClient chatClient = client.getIfUnique();
        ChatModel chatModel = model.getIfUnique();
        if (chatClient == null && chatModel != null) {
            chatClient = builder.getIfAvailable(() -> ChatClient.builder(chatModel)).build();
        } else if (chatClient == null) {
            ChatClient.Builder chatBuilder = builder.getIfAvailable();
            if (chatBuilder == null) {
                throw new IllegalStateException("the FastRTC voice agent needs a Spring AI chat model: add a model starter "
                        + "(e.g. spring-ai-starter-model-openai) or declare a ChatModel or ChatClient bean; "
                        + "or set fastrtc.agent.enabled=false");
            }
            chatClient = chatBuilder.build();
        }
        return SpringAiChat.of(chatClient, memory.getIfUnique(() -> MessageWindowChatMemory.builder().build()),
                properties.systemMessage());
    }

    @Bean
    @ConditionalOnMissingBean
    VoiceAgent fastRtcVoiceAgent(SpeechToText stt, ChatStream chat, TextToSpeech tts, VoiceAgentProperties properties) {
        return VoiceAgent.builder().speechToText(stt).chat(chat).textToSpeech(tts)
                .apology(properties.apology()).timeout(properties.timeout()).build();
    }

    /** The agent's stream, built from the starter's configured {@link Stream.Builder} ({@code fastrtc.*} applied). */
    @Bean
    @ConditionalOnMissingBean(Stream.class)
    Stream fastRtcVoiceAgentStream(Stream.Builder fastrtc, VoiceAgent agent) {
        return fastrtc.audio(agent.handler()).additionalOutputs(Chatbot.of("Conversation")).build();
    }
}
