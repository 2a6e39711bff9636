package io.fastrtc.springai;

import io.fastrtc.agent.ChatStream;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import reactor.core.Disposable;

/**
 * A Spring AI {@link ChatClient} for a {@link io.fastrtc.agent.VoiceAgent}: answers streamed with
 * {@code prompt().stream().content()}, each connection with its own conversation in a {@link ChatMemory}.
 * The memory is kept here, not by a {@code MessageChatMemoryAdvisor} (leave that advisor off the
 * client): an interrupted answer is stored as the words the caller heard. Tools, advisors and options
 * configured on the client apply to every answer.
 *
 * <pre>{@code
 * ChatStream chat = SpringAiChat.of(ChatClient.create(chatModel),
 *         "You are a helpful voice assistant. Answer in short spoken sentences.");
 * }</pre>
 */
public final class SpringAiChat implements ChatStream {

    private final ChatClient client;
    private final ChatMemory memory;
    private final String systemMessage;

    private SpringAiChat(ChatClient client, ChatMemory memory, String systemMessage) {
        this.client = Objects.requireNonNull(client, "client");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.systemMessage = systemMessage;
    }

    /** {@code client} with an in-memory window of the last 20 messages per connection, and an optional system message. */
    public static SpringAiChat of(ChatClient client, String systemMessage) {
        return of(client, MessageWindowChatMemory.builder().build(), systemMessage);
    }

    /** {@code client} with the conversations in {@code memory} (keyed by connection id). */
    public static SpringAiChat of(ChatClient client, ChatMemory memory, String systemMessage) {
        return new SpringAiChat(client, memory, systemMessage);
    }

    @Override
    public Generation start(String conversationId, String userText, Tokens tokens) {
        List<Message> history = memory.get(conversationId);
        memory.add(conversationId, new UserMessage(userText));
        ChatClient.ChatClientRequestSpec prompt = client.prompt().messages(history).user(userText);
        if (systemMessage != null) {
            prompt = prompt.system(systemMessage);
        }
        Disposable subscription = prompt.stream().content()
                .subscribe(tokens::partial, tokens::failed, tokens::complete);
        return Generation.of(subscription::dispose, (text, interrupted) -> {
            if (!text.isEmpty()) {
                memory.add(conversationId, new AssistantMessage(text));
            }
        });
    }

    @Override
    public void forget(String conversationId) {
        memory.clear(conversationId);
    }
}
