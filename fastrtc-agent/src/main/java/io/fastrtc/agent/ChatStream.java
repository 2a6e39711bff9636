package io.fastrtc.agent;

import java.util.function.BiConsumer;

/**
 * A chat model that streams its answers and keeps one memory per conversation: what a
 * {@link VoiceAgent} talks to. {@code fastrtc-langchain4j} and {@code fastrtc-spring-ai} implement it
 * for their frameworks; implementations must be thread-safe (one serves every connection).
 */
public interface ChatStream {

    /**
     * Starts the answer to {@code userText} in conversation {@code conversationId} (the connection's
     * id), with that conversation's memory, and returns at once; the answer arrives through
     * {@code tokens}, on any thread.
     *
     * @throws RuntimeException if the answer cannot even start (the caller then hears an apology)
     */
    Generation start(String conversationId, String userText, Tokens tokens);

    /** Drops the memory of a conversation whose connection has ended. */
    default void forget(String conversationId) {
    }

    /** Where the model's answer goes: pieces of text, then exactly one of complete or failed. */
    interface Tokens {
        void partial(String text);

        void complete();

        void failed(Throwable error);
    }

    /** One answer being written. */
    interface Generation {
        /** Stops the answer (the caller interrupted); text that still comes is ignored. */
        void cancel();

        /**
         * Records in the conversation's memory what the assistant said. Called once, after the answer
         * ended or was cancelled: with the whole answer as the model wrote it, or, if the caller
         * interrupted, with only the words they heard ({@code ""} if none).
         */
        void said(String text, boolean interrupted);

        /** A generation stopped by {@code cancel} that records what was said with {@code said}. */
        static Generation of(Runnable cancel, BiConsumer<String, Boolean> said) {
            return new Generation() {
                @Override
                public void cancel() {
                    cancel.run();
                }

                @Override
                public void said(String text, boolean interrupted) {
                    said.accept(text, interrupted);
                }
            };
        }
    }
}
