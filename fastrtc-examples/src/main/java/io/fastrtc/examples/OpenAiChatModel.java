package io.fastrtc.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.speech.openai.OpenAiClient;
import io.fastrtc.speech.openai.OpenAiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A chat model behind an OpenAI-compatible {@code POST {base}/v1/chat/completions}: OpenAI, or a
 * local server (llama.cpp, Ollama, vLLM...) with the same route. Errors (bad key, rate limit,
 * service down) come as {@link OpenAiException}s that say what to do.
 *
 * <pre>{@code
 * ChatModel chat = new OpenAiChatModel(OpenAiClient.builder().build(), "gpt-4o-mini");
 * }</pre>
 */
public final class OpenAiChatModel implements ChatModel {

    static final String PATH = "/v1/chat/completions";
    /** Answers meant to be heard, not read. */
    public static final String VOICE_PROMPT = "You are a helpful voice assistant. Answer in one to three short "
            + "sentences of plain spoken English: no lists, no markdown, no emoji.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAiClient client;
    private final String model;
    private final String systemPrompt;

    /** Uses {@code model} with {@link #VOICE_PROMPT} as the system prompt. */
    public OpenAiChatModel(OpenAiClient client, String model) {
        this(client, model, VOICE_PROMPT);
    }

    public OpenAiChatModel(OpenAiClient client, String model, String systemPrompt) {
        this.client = Objects.requireNonNull(client, "client");
        this.model = Objects.requireNonNull(model, "model");
        this.systemPrompt = Objects.requireNonNull(systemPrompt, "systemPrompt");
    }

    @Override
    public String reply(List<Message> history) {
        List<Message> messages = new ArrayList<>();
        if (!systemPrompt.isBlank()) {
            messages.add(new Message("system", systemPrompt));
        }
        messages.addAll(history);
        String answer;
        try {
            answer = client.postJson(PATH, JSON.writeValueAsString(Map.of("model", model, "messages", messages)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // records of strings always serialise
        }
        JsonNode content;
        try {
            content = JSON.readTree(answer).path("choices").path(0).path("message").path("content");
        } catch (JsonProcessingException e) {
            content = null;
        }
        if (content == null || !content.isTextual()) {
            throw new IllegalStateException("POST " + client.baseUrl() + PATH
                    + " answered without choices[0].message.content: "
                    + (answer.length() > 200 ? answer.substring(0, 200) + "..." : answer));
        }
        return content.asText().strip();
    }
}
