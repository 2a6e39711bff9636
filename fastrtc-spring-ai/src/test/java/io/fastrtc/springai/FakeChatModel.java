package io.fastrtc.springai;

import io.fastrtc.agent.ScriptedModel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import reactor.core.publisher.Flux;

/**
 * A Spring AI chat model without a network: it streams its {@link ScriptedModel} answer, stops when
 * its subscriber cancels, records every prompt, and fails with {@link #failure} when set. Offered a tool {@code forecast} and asked about the weather, it
 * first calls the tool (for Paris), then answers with its result.
 */
final class FakeChatModel extends ScriptedModel implements ChatModel {

    final List<Prompt> prompts = new CopyOnWriteArrayList<>();

    @Override
    public ChatResponse call(Prompt prompt) {
        prompts.add(prompt);
        return response(answer);
    }

    @Override
    public Flux<ChatResponse> stream(Prompt prompt) {
        prompts.add(prompt);
        if (failure != null) {
            return Flux.error(failure);
        }
        List<Message> messages = prompt.getInstructions();
        Message last = messages.get(messages.size() - 1);
        boolean offersForecast = prompt.getOptions() instanceof ToolCallingChatOptions options
                && options.getToolCallbacks() != null && options.getToolCallbacks().stream().anyMatch(t -> t.getToolDefinition().name().equals("forecast"));
        if (offersForecast && last instanceof UserMessage user && user.getText().contains("weather")) {
            return Flux.just(new ChatResponse(List.of(new Generation(AssistantMessage.builder().content("")
                    .toolCalls(List.of(new AssistantMessage.ToolCall("call-1", "function", "forecast", "{\"city\":\"Paris\"}")))
                    .build()))));
        }
        String text = last instanceof ToolResponseMessage result
                ? "It is " + result.getResponses().get(0).responseData().replace("\"", "") + ". Anything else?" : answer;
        return Flux.create(sink -> sink.onCancel(write(text, token -> sink.next(response(token)), sink::complete)::run));
    }

    /** Options that carry the client's tools to the model. */
    @Override
    public ChatOptions getOptions() {
        return ToolCallingChatOptions.builder().build();
    }

    private static ChatResponse response(String text) {
        return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
    }
}
