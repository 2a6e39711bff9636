package io.fastrtc.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.agent.FakeSpeech;
import io.fastrtc.agent.ScriptedModel;
import io.fastrtc.agent.VoiceAgent;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.Speech;
import io.fastrtc.ui.Chatbot;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The auto-configured agent in a running Spring Boot application: a FastRTC WebSocket client on
 * Spring's own server speaks (espeak-ng), and hears the fake model's answer with its transcript kept.
 */
@SpringBootTest(classes = SpringAiAgentOverWebSocketTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringAiAgentOverWebSocketTest {

    /** Speech engines and a Spring AI model: nothing else. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        FakeSpeech speech() {
            return new FakeSpeech();
        }

        @Bean
        FakeChatModel chatModel() {
            return new FakeChatModel();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Stream stream;

    @Autowired
    VoiceAgent agent;

    @Autowired
    FakeChatModel model;

    @Test
    void aCallerAsksAndHearsTheAnswer() throws Exception {
        try (SocketCaller caller = SocketCaller.fastrtc("ws://127.0.0.1:" + port + "/websocket/offer", 16000, 16000)) {
            caller.start("spring-call", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains("spring-call"));
            long asked = System.nanoTime();
            caller.say(Speech.say("hello there what time is it"));

            // The three sentences are 1.3 s of tone at the fake synthesiser's 100 ms a word.
            await().atMost(Duration.ofSeconds(30)).until(() -> caller.media().stream()
                    .filter(m -> m.nanos() > asked && m.rms() > 1000).count() > 40);
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.transcript("spring-call").size() == 2);
            assertThat(agent.transcript("spring-call")).containsExactly(Chatbot.Message.user("what time is it"),
                    Chatbot.Message.assistant(ScriptedModel.ANSWER));
            assertThat(model.prompts).isNotEmpty();

            caller.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().isEmpty());
            assertThat(agent.transcript("spring-call")).isEmpty();
        }
    }
}
