package io.fastrtc.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.fastrtc.agent.ModelTiming;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A LangChain4j streaming model without a network: it writes {@link #answer} with a fixed time to
 * first token and tokens per second, honours cancellation through its {@link StreamingHandle}, and
 * records every request. With tools offered and a question about the time, it first asks for the tool
 * {@code currentTime}, then answers with the tool's result. {@link #failure} makes it fail instead.
 */
final class FakeStreamingChatModel implements StreamingChatModel {

    volatile ModelTiming timing = new ModelTiming(Duration.ofMillis(100), 40);
    volatile String answer = "It is ten past three. The sun sets at six tonight. Anything else?";
    volatile RuntimeException failure;
    volatile long completedNanos;
    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    final List<Boolean> cancelled = new CopyOnWriteArrayList<>();

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        requests.add(request);
        List<ChatMessage> messages = request.messages();
        ChatMessage last = messages.get(messages.size() - 1);
        List<ToolSpecification> tools = request.toolSpecifications();
        boolean offersClock = tools != null && tools.stream().anyMatch(t -> t.name().equals("currentTime"));
        if (failure != null) {
            new Thread(() -> handler.onError(failure), "fake-model-failure").start();
            return;
        }
        if (offersClock && last instanceof UserMessage user && user.singleText().contains("time")) {
            AiMessage call = AiMessage.from(List.of(ToolExecutionRequest.builder()
                    .id("call-1").name("currentTime").arguments("{}").build()));
            new Thread(() -> handler.onCompleteResponse(ChatResponse.builder().aiMessage(call).build()),
                    "fake-model-tool-call").start();
            return;
        }
        String text = last instanceof ToolExecutionResultMessage result
                ? "It is " + result.text() + ". Anything else?" : answer;
        AtomicBoolean cancel = new AtomicBoolean();
        StreamingHandle handle = new StreamingHandle() {
            @Override
            public void cancel() {
                cancel.set(true);
                cancelled.add(true);
            }

            @Override
            public boolean isCancelled() {
                return cancel.get();
            }
        };
        timing.write(text,
                token -> handler.onPartialResponse(new PartialResponse(token), new PartialResponseContext(handle)),
                () -> {
                    completedNanos = System.nanoTime();
                    handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(text)).build());
                },
                cancel::get);
    }
}
