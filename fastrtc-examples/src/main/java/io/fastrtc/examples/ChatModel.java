package io.fastrtc.examples;

import java.util.List;
import java.util.Objects;

/**
 * The "brain" of {@link VoiceChat}: given the conversation so far, the assistant's next message.
 * {@link RuleBasedChatModel} runs offline; {@link OpenAiChatModel} asks an OpenAI-compatible
 * service (OpenAI, or a local LLM server with the same routes). Implementations must be
 * thread-safe: one serves every connection.
 */
@FunctionalInterface
public interface ChatModel {

    /** One message of a conversation, with OpenAI's roles: {@code system}, {@code user}, {@code assistant}. */
    record Message(String role, String content) {
        public Message {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(content, "content");
        }

        public static Message user(String content) {
            return new Message("user", content);
        }

        public static Message assistant(String content) {
            return new Message("assistant", content);
        }
    }

    /**
     * The assistant's answer to {@code history} (oldest first; the last message is the user's),
     * as plain text meant to be spoken: short sentences, no markup.
     */
    String reply(List<Message> history);
}
