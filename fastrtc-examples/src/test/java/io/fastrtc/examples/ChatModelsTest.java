package io.fastrtc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.fastrtc.examples.ChatModel.Message;
import io.fastrtc.speech.openai.OpenAiClient;
import io.fastrtc.speech.openai.OpenAiException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ChatModelsTest {

    static Clock at(String isoTime) {
        return Clock.fixed(Instant.parse("2025-06-01T" + isoTime + "Z"), ZoneOffset.UTC);
    }

    static String ask(ChatModel model, String said) {
        return model.reply(List.of(Message.user("hello"), Message.assistant("Hello!"), Message.user(said)));
    }

    @Test
    void theRulesAnswerTheLastThingSaid() {
        RuleBasedChatModel rules = new RuleBasedChatModel(at("15:07:00"));
        assertThat(ask(rules, "what is the weather like today")).contains("sunny");
        assertThat(ask(rules, "what time is it")).isEqualTo("It is 3 oh 7 in the afternoon.");
        assertThat(ask(rules, "who are you")).contains("FastRTC");
        assertThat(ask(rules, "thank you")).isEqualTo("You are welcome.");
        assertThat(ask(rules, "tell me a joke")).startsWith("You said: tell me a joke.");
        assertThat(rules.reply(List.of())).isEqualTo("Sorry, I did not catch that.");
    }

    @Test
    void theTimeIsSaidAsSpeech() {
        assertThat(ask(new RuleBasedChatModel(at("00:00:00")), "time")).isEqualTo("It is 12 o'clock in the morning.");
        assertThat(ask(new RuleBasedChatModel(at("12:30:00")), "time")).isEqualTo("It is 12 30 in the afternoon.");
        assertThat(ask(new RuleBasedChatModel(at("21:45:00")), "time")).isEqualTo("It is 9 45 in the evening.");
    }

    @Test
    void theOpenAiModelSendsTheConversationAndReadsTheAnswer() throws Exception {
        AtomicReference<byte[]> body = new AtomicReference<>();
        AtomicReference<Integer> status = new AtomicReference<>(200);
        AtomicReference<String> answer = new AtomicReference<>(
                "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\" Sunny, 21 degrees. \"}}]}");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            body.set(ex.getRequestBody().readAllBytes());
            byte[] out = answer.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status.get(), out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        try {
            OpenAiClient client = OpenAiClient.builder()
                    .baseUrl("http://127.0.0.1:" + server.getAddress().getPort()).apiKey("sk-test").build();
            OpenAiChatModel model = new OpenAiChatModel(client, "gpt-4o-mini");
            assertThat(ask(model, "what is the weather like")).isEqualTo("Sunny, 21 degrees.");

            JsonNode sent = ExampleApp.json(new String(body.get(), StandardCharsets.UTF_8));
            assertThat(sent.get("model").asText()).isEqualTo("gpt-4o-mini");
            JsonNode messages = sent.get("messages");
            assertThat(messages).hasSize(4);
            assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
            assertThat(messages.get(0).get("content").asText()).isEqualTo(OpenAiChatModel.VOICE_PROMPT);
            assertThat(messages.get(3).get("role").asText()).isEqualTo("user");
            assertThat(messages.get(3).get("content").asText()).isEqualTo("what is the weather like");

            answer.set("{\"choices\":[]}");
            assertThatThrownBy(() -> ask(model, "hi")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("choices[0].message.content");

            status.set(401);
            answer.set("{\"error\":{\"message\":\"Incorrect API key provided\"}}");
            assertThatThrownBy(() -> ask(model, "hi"))
                    .isInstanceOfSatisfying(OpenAiException.class, e -> assertThat(e.status()).isEqualTo(401))
                    .hasMessageContaining("Incorrect API key provided");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theDemoOptions() {
        VoiceChatDemo.Options none = VoiceChatDemo.Options.parse(new String[0], null);
        assertThat(none).isEqualTo(new VoiceChatDemo.Options(8000, false, false, OpenAiClient.DEFAULT_BASE_URL,
                "gpt-4o-mini"));
        VoiceChatDemo.Options all = VoiceChatDemo.Options.parse(new String[] {"--openai", "8123",
                "--openai-url=http://127.0.0.1:8080", "--chat-model=llama3"}, "9000");
        assertThat(all).isEqualTo(new VoiceChatDemo.Options(8123, true, true, "http://127.0.0.1:8080", "llama3"));
        assertThat(VoiceChatDemo.Options.parse(new String[] {"--openai-chat"}, "9000"))
                .isEqualTo(new VoiceChatDemo.Options(9000, true, false, OpenAiClient.DEFAULT_BASE_URL, "gpt-4o-mini"));
        assertThatThrownBy(() -> VoiceChatDemo.Options.parse(new String[] {"--loud"}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--loud");
    }
}
