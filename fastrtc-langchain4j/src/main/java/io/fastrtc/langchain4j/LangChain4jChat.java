package io.fastrtc.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.ChatMemoryProvider;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.memory.ChatMemoryAccess;
import io.fastrtc.agent.ChatStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LangChain4j models for a {@link io.fastrtc.agent.VoiceAgent}, each connection with its own chat memory.
 *
 * <pre>{@code
 * ChatStream chat = LangChain4jChat.of(model, id -> MessageWindowChatMemory.withMaxMessages(20),
 *         "You are a helpful voice assistant. Answer in short spoken sentences.");
 * }</pre>
 *
 * <p>or, for tools, RAG and the rest of AI Services, an AI Service whose interface extends
 * {@link ChatMemoryAccess} (so the agent can cut an interrupted answer to what was heard) and streams:
 *
 * <pre>{@code
 * interface Assistant extends ChatMemoryAccess {
 *     TokenStream chat(@MemoryId String connection, @UserMessage String text);
 * }
 * Assistant assistant = AiServices.builder(Assistant.class).streamingChatModel(model)
 *         .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20)).tools(new Clock()).build();
 * ChatStream chat = LangChain4jChat.aiService(assistant, Assistant::chat);
 * }</pre>
 */
public final class LangChain4jChat {

    /** The AI Service method that streams an answer: {@code Assistant::chat}. */
    @FunctionalInterface
    public interface AiServiceMethod<A> {
        TokenStream chat(A assistant, String memoryId, String userText);
    }

    private LangChain4jChat() {
    }

    /** {@code model}, each connection with its own memory from {@code memories} (e.g. {@code id -> MessageWindowChatMemory.withMaxMessages(20)}). */
    public static ChatStream of(StreamingChatModel model, ChatMemoryProvider memories) {
        return of(model, memories, null);
    }

    /** The same, every conversation starting with {@code systemMessage} (null for none). */
    public static ChatStream of(StreamingChatModel model, ChatMemoryProvider memories, String systemMessage) {
        return new ModelChat(Objects.requireNonNull(model, "model"), Objects.requireNonNull(memories, "memories"),
                systemMessage);
    }

    /** An AI Service: {@code method} streams its answers, and its memory (per {@code @MemoryId}) is kept to what was heard. */
    public static <A extends ChatMemoryAccess> ChatStream aiService(A assistant, AiServiceMethod<A> method) {
        return new ServiceChat<>(Objects.requireNonNull(assistant, "assistant"), Objects.requireNonNull(method, "method"));
    }

    /** Cancels the model's stream once it gave a handle; a model that cannot cancel is left to finish unheard. */
    private static final class Cancel {
        private StreamingHandle handle;
        private boolean cancelled;

        /** True if the answer was cancelled (the handle is then cancelled too). */
        synchronized boolean offer(StreamingHandle h) {
            handle = h;
            if (cancelled) {
                cancelQuietly(h);
            }
            return cancelled;
        }

        synchronized void cancel() {
            cancelled = true;
            if (handle != null) {
                cancelQuietly(handle);
            }
        }

        synchronized boolean cancelled() {
            return cancelled;
        }

        private static void cancelQuietly(StreamingHandle h) {
            try {
                h.cancel();
            } catch (RuntimeException e) {
                // a model without cancellation goes on; its text is ignored
            }
        }
    }

    /** A streaming chat model whose memory this class keeps: the user's words, then what was heard of the answer. */
    private static final class ModelChat implements ChatStream {
        private final StreamingChatModel model;
        private final ChatMemoryProvider provider;
        private final String systemMessage;
        private final Map<String, ChatMemory> memories = new ConcurrentHashMap<>();

        ModelChat(StreamingChatModel model, ChatMemoryProvider provider, String systemMessage) {
            this.model = model;
            this.provider = provider;
            this.systemMessage = systemMessage;
        }

        @Override
        public Generation start(String conversationId, String userText, Tokens tokens) {
            ChatMemory memory = memories.computeIfAbsent(conversationId, this::newMemory);
            memory.add(UserMessage.from(userText));
            Cancel cancel = new Cancel();
            model.chat(memory.messages(), new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                    if (!cancel.offer(context.streamingHandle())) {
                        tokens.partial(partial.text());
                    }
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    tokens.complete();
                }

                @Override
                public void onError(Throwable error) {
                    tokens.failed(error);
                }
            });
            return Generation.of(cancel::cancel, (text, interrupted) -> {
                if (!text.isEmpty()) {
                    memory.add(AiMessage.from(text));
                }
            });
        }

        private ChatMemory newMemory(String id) {
            ChatMemory memory = provider.get(id);
            if (systemMessage != null && memory.messages().isEmpty()) {
                memory.add(SystemMessage.from(systemMessage));
            }
            return memory;
        }

        @Override
        public void forget(String conversationId) {
            memories.remove(conversationId);
        }
    }

    /** An AI Service, which keeps its own memory; an interrupted answer is cut in it afterwards. */
    private static final class ServiceChat<A extends ChatMemoryAccess> implements ChatStream {
        private final A assistant;
        private final AiServiceMethod<A> method;

        ServiceChat(A assistant, AiServiceMethod<A> method) {
            this.assistant = assistant;
            this.method = method;
        }

        @Override
        public Generation start(String conversationId, String userText, Tokens tokens) {
            Cancel cancel = new Cancel();
            // The service stores its answer when it completes, which may come after said(): cut it then too.
            String[] heard = {null};
            Runnable settle = () -> {
                String text;
                synchronized (heard) {
                    text = heard[0];
                }
                if (text != null) {
                    keepOnly(assistant.getChatMemory(conversationId), text);
                }
            };
            method.chat(assistant, conversationId, userText)
                    .onPartialResponseWithContext((partial, context) -> {
                        if (!cancel.offer(context.streamingHandle())) {
                            tokens.partial(partial.text());
                        }
                    })
                    .onCompleteResponse(response -> {
                        tokens.complete();
                        if (cancel.cancelled()) {
                            settle.run();
                        }
                    })
                    .onError(tokens::failed)
                    .start();
            return Generation.of(cancel::cancel, (text, interrupted) -> {
                if (!interrupted) {
                    return; // the service stored its whole answer itself
                }
                synchronized (heard) {
                    heard[0] = text;
                }
                settle.run();
            });
        }

        @Override
        public void forget(String conversationId) {
            assistant.evictChatMemory(conversationId);
        }
    }

    /**
     * Makes the answer to the last user message in {@code memory} say only {@code heard}: its text
     * messages are replaced by one with the words heard (none if nothing was); tool calls and their
     * results stay, as the tools did run.
     */
    static void keepOnly(ChatMemory memory, String heard) {
        if (memory == null) {
            return;
        }
        synchronized (memory) {
            List<ChatMessage> messages = memory.messages();
            int lastUser = -1;
            for (int i = messages.size() - 1; i >= 0 && lastUser < 0; i--) {
                if (messages.get(i) instanceof UserMessage) {
                    lastUser = i;
                }
            }
            List<ChatMessage> kept = new ArrayList<>(messages.subList(0, lastUser + 1));
            for (ChatMessage m : messages.subList(lastUser + 1, messages.size())) {
                if (!(m instanceof AiMessage ai) || ai.hasToolExecutionRequests()) {
                    kept.add(m);
                }
            }
            if (!heard.isEmpty()) {
                kept.add(AiMessage.from(heard));
            }
            if (kept.equals(messages)) {
                return;
            }
            memory.clear();
            kept.forEach(memory::add);
        }
    }
}
