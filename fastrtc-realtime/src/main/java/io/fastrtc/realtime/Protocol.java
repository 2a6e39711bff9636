package io.fastrtc.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One realtime model's wire protocol: what to send, and what the server's messages mean. Stateless;
 * {@link RealtimeHandler} owns the conversation and the audio.
 */
interface Protocol {

    /** PCM16 mono rate the model takes. */
    int inputRate();

    /** PCM16 mono rate the model speaks at. */
    int outputRate();

    /** The model's name, for logs. */
    String vendor();

    /** Where to connect; may carry the key (never log it). */
    URI uri();

    /** Handshake headers; may carry the key (never log them). */
    Map<String, String> headers();

    /** Messages sent right after the handshake (session set-up); {@code localTurns}: the server's turn detection off. */
    List<String> opening(List<Tool> tools, boolean localTurns);

    /** One piece of the caller's audio at {@link #inputRate()}, little-endian PCM16. */
    String audio(byte[] pcm16);

    /** Interprets one server message. */
    void onMessage(JsonNode message, Events events);

    /** The messages returning a tool's result (and asking the model to go on). */
    List<String> toolResult(String callId, String name, String output);

    /** With local turns: the caller started talking ({@code responding}: over a reply still being generated). */
    List<String> userStarted(boolean responding);

    /** With local turns: the caller's turn is over; the model should answer. */
    List<String> userStopped();

    /** Tells the model the caller heard only {@code heardMillis} of {@code itemId} (barge-in); may be none. */
    List<String> truncate(String itemId, int heardMillis);

    /** What the server tells the bridge, in its terms. */
    interface Events {
        /** The session accepts audio. */
        void ready();

        /** The model started a reply (it may still be cancelled). */
        void replyStarted();

        /** Reply audio at {@link #outputRate()} for the reply item {@code itemId} (null: the current turn). */
        void audio(String itemId, byte[] pcm16);

        /** The reply item's audio is complete. */
        void audioDone(String itemId);

        /** The caller started talking over the model: stop playing, tell the model what was heard. */
        void interrupted();

        /** Recognised caller speech: a piece, or ({@code complete}) the rest of the utterance. */
        void userText(String text, boolean complete);

        /** A piece of the model's spoken text. */
        void assistantText(String delta);

        /** The model's turn is over. */
        void turnComplete();

        /** The model calls a tool. */
        void toolCall(String callId, String name, String arguments);

        /** The server will end the session soon (a routine limit, not a failure): reconnect quietly. */
        void goingAway();

        /** The server reported a problem; {@code code} is the vendor's code, never shown with its message. */
        void failed(Failure failure, String code);
    }

    /** How a model connection went wrong, as the caller and the bridge see it. */
    enum Failure {
        /** The key was refused (HTTP 401/403): no use retrying. */
        AUTH,
        /** Too many requests (HTTP 429, or a rate-limit error event): retry later. */
        RATE_LIMIT,
        /** The connection could not be made or was lost. */
        DROPPED,
        /** The server reported an error in the session; the session goes on. */
        SERVER
    }
}
