package io.fastrtc.springai;

import io.fastrtc.agent.ModelTiming;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;

/**
 * A Spring AI chat model without a network: it streams {@link #answer} with a fixed time to first
 * token and tokens per second, stops when its subscriber cancels, records every prompt, and fails
 * with {@link #failure} when set.
 */
final class FakeChatModel implements ChatModel {

    volatile ModelTiming timing = new ModelTiming(Duration.ofMillis(100), 40);
    volatile String answer = "It is ten past three. The sun sets at six tonight. Anything else?";
    volatile RuntimeException failure;
    volatile long completedNanos;
    final List<Prompt> prompts = new CopyOnWriteArrayList<>();
    final List<Boolean> cancelled = new CopyOnWriteArrayList<>();

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
        String text = answer;
        return Flux.create(sink -> {
            AtomicBoolean cancel = new AtomicBoolean();
            sink.onCancel(() -> {
                cancel.set(true);
                cancelled.add(true);
            });
            timing.write(text, token -> sink.next(response(token)), () -> {
                completedNanos = System.nanoTime();
                sink.complete();
            }, cancel::get);
        });
    }

    private static ChatResponse response(String text) {
        return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
    }
}
