package io.fastrtc.bench.agent;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.fastrtc.agent.ModelTiming;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A LangChain4j streaming model without a network, on a fixed clock ({@link ModelTiming}): every
 * request is answered with the same text, its first token after the time to first token and the
 * rest at a fixed rate; cancelling through the partial response's {@link StreamingHandle} stops it.
 * It notes when each request came ({@code System.nanoTime()}).
 */
public final class PacedChatModel implements StreamingChatModel {

    private final ModelTiming timing;
    private final String answer;
    private final List<Long> requests = new CopyOnWriteArrayList<>();

    public PacedChatModel(ModelTiming timing, String answer) {
        this.timing = timing;
        this.answer = answer;
    }

    public ModelTiming timing() {
        return timing;
    }

    public String answer() {
        return answer;
    }

    /** When each request came. */
    public List<Long> requests() {
        return requests;
    }

    /** The answer's tokens, as the model writes them. */
    public List<String> tokens() {
        return ModelTiming.tokens(answer);
    }

    /** When the last token of the first sentence is written, after the request (nominal). */
    public double millisToFirstSentence() {
        int tokens = 0;
        for (String token : tokens()) {
            tokens++;
            if (token.matches("[.!?]")) {
                break;
            }
        }
        return timing.timeToFirstToken().toMillis() + (tokens - 1) * 1000 / timing.tokensPerSecond();
    }

    /** When the last token is written, after the request (nominal). */
    public double millisToWholeAnswer() {
        return timing.timeToFirstToken().toMillis() + (tokens().size() - 1) * 1000 / timing.tokensPerSecond();
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        requests.add(System.nanoTime());
        AtomicBoolean cancelled = new AtomicBoolean();
        StreamingHandle handle = new StreamingHandle() {
            @Override
            public void cancel() {
                cancelled.set(true);
            }

            @Override
            public boolean isCancelled() {
                return cancelled.get();
            }
        };
        timing.write(answer,
                token -> handler.onPartialResponse(new PartialResponse(token), new PartialResponseContext(handle)),
                () -> handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(answer)).build()),
                handle::isCancelled);
    }
}
