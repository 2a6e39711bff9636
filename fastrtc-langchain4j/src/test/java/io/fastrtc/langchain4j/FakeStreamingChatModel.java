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
import io.fastrtc.agent.ScriptedModel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A LangChain4j streaming model without a network: it writes its {@link ScriptedModel} answer, honours cancellation through its {@link StreamingHandle}, and
 * records every request. With tools offered and a question about the time, it first asks for the tool
 * {@code currentTime}, then answers with the tool's result. {@link #failure} makes it fail instead.
 */
final class FakeStreamingChatModel extends ScriptedModel implements StreamingChatModel {

    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

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
        Runnable[] cancel = new Runnable[1];
        boolean[] cancelled = {false};
        StreamingHandle handle = new StreamingHandle() {
            @Override
            public void cancel() {
                cancelled[0] = true;
                cancel[0].run();
            }

            @Override
            public boolean isCancelled() {
                return cancelled[0];
            }
        };
        cancel[0] = write(text,
                token -> handler.onPartialResponse(new PartialResponse(token), new PartialResponseContext(handle)),
                () -> handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(text)).build()));
    }
}
