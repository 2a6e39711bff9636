package io.fastrtc.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.agent.ReadmeSnippets;
import io.fastrtc.agent.VoiceAgent;
import io.fastrtc.springai.readme.AgentConfiguration;
import io.fastrtc.springai.readme.app.VoiceApplication;
import io.fastrtc.stream.Stream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The README's Spring AI snippets are these classes, verbatim, and they give a voice agent and its stream. */
class ReadmeSnippetsTest {

    @Test
    void theReadmeShowsTheseSnippets() throws Exception {
        List<String> snippets = new ArrayList<>();
        for (String source : List.of("app/VoiceApplication", "AgentConfiguration")) {
            snippets.addAll(ReadmeSnippets.in(Path.of("src/test/java/io/fastrtc/springai/readme/" + source + ".java")));
        }
        assertThat(snippets).hasSize(2);
        assertThat(ReadmeSnippets.readme()).contains(snippets.toArray(String[]::new));
    }

    @Test
    void theApplicationWithAModelStarterHasAStreamingAgent() {
        new ApplicationContextRunner().withUserConfiguration(VoiceApplication.class)
                .withBean(ChatModel.class, FakeChatModel::new)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(VoiceAgent.class)
                        .hasSingleBean(SpringAiChat.class).hasSingleBean(Stream.class));
    }

    @Test
    void theOwnAgentBeanReplacesTheAutoConfiguredOne() {
        new ApplicationContextRunner().withUserConfiguration(VoiceApplication.class, AgentConfiguration.class)
                .withBean(ChatClient.Builder.class, () -> ChatClient.builder(new FakeChatModel()))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(VoiceAgent.class)
                        .hasBean("voiceAgent").hasSingleBean(Stream.class));
    }
}
