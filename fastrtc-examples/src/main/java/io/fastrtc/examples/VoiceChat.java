package io.fastrtc.examples;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Context;
import io.fastrtc.handler.Emit;
import io.fastrtc.speech.SpeechToText;
import io.fastrtc.speech.TextToSpeech;
import io.fastrtc.stream.Stream;
import io.fastrtc.ui.Chatbot;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A voice assistant as a stream: the user speaks, {@link ReplyOnPause} waits for the pause, and
 * the reply is speech-to-text, then a {@link ChatModel}, then text-to-speech, sentence by sentence.
 * Talking over the assistant interrupts it.
 *
 * <p>The conversation is the stream's additional output, as FastRTC's chatbot demos have it: each
 * turn publishes {@code AdditionalOutputs.of(messages)}, the whole conversation so far as a
 * {@code List<ChatModel.Message>} (JSON {@code [{"role":"user","content":"..."}, ...]}), once when the
 * user's words are recognised and again with the first audio of the answer. Clients read it from
 * {@code stream.outputStream(webrtcId)} or, in {@link VoiceChatDemo}, {@code GET /outputs}. Each
 * connection has its own conversation.
 */
public final class VoiceChat {

    /** Said when the recogniser heard nothing it knows; not part of the conversation. */
    static final String NOT_UNDERSTOOD = "Sorry, I did not catch that.";

    private final SpeechToText stt;
    private final ChatModel chat;
    private final TextToSpeech tts;
    private final Stream stream;
    private final Map<String, List<ChatModel.Message>> conversations = new ConcurrentHashMap<>();

    public VoiceChat(SpeechToText stt, ChatModel chat, TextToSpeech tts) {
        this.stt = Objects.requireNonNull(stt, "stt");
        this.chat = Objects.requireNonNull(chat, "chat");
        this.tts = Objects.requireNonNull(tts, "tts");
        stream = Stream.builder()
                .audio(new ReplyOnPause(this::reply))
                .additionalOutputs(Chatbot.of("Conversation"))
                .concurrencyLimit(4)
                .build();
    }

    public Stream stream() {
        return stream;
    }

    private Iterator<? extends Emit> reply(AudioFrame audio) {
        List<ChatModel.Message> conversation = conversation(Context.current().map(Context::webrtcId).orElse(""));
        return Reply.generate(out -> {
            String question = stt.transcribe(audio).strip();
            if (question.isEmpty()) {
                send(out, tts.stream(NOT_UNDERSTOOD), null);
                return;
            }
            conversation.add(ChatModel.Message.user(question));
            out.send(transcript(conversation));
            String answer = chat.reply(snapshot(conversation));
            if (out.interrupted()) {
                return; // the user moved on; the answer was never heard
            }
            conversation.add(ChatModel.Message.assistant(answer));
            send(out, tts.stream(answer), transcript(conversation));
        });
    }

    /** Sends the speech, the transcript riding on its first part so the text shows as the voice starts. */
    private static void send(Reply.Sink out, Iterator<AudioFrame> speech, AdditionalOutputs transcript) {
        boolean first = true;
        while (speech.hasNext()) {
            AudioFrame part = speech.next();
            out.send(first && transcript != null ? part.with(transcript) : part);
            first = false;
        }
    }

    /** The conversation as the built-in UI's chatbot shows it (and as {@code {role, content}} JSON). */
    private static AdditionalOutputs transcript(List<ChatModel.Message> conversation) {
        List<Chatbot.Message> messages = new ArrayList<>();
        for (ChatModel.Message m : snapshot(conversation)) {
            messages.add(new Chatbot.Message(m.role(), m.content()));
        }
        return AdditionalOutputs.of(messages);
    }

    private static List<ChatModel.Message> snapshot(List<ChatModel.Message> conversation) {
        synchronized (conversation) { // a synchronized list is iterated under its own lock
            return List.copyOf(conversation);
        }
    }

    /** The connection's conversation; those of ended connections are forgotten here. */
    private List<ChatModel.Message> conversation(String webrtcId) {
        conversations.keySet().retainAll(stream.connectionIds());
        return conversations.computeIfAbsent(webrtcId,
                id -> Collections.synchronizedList(new ArrayList<>()));
    }
}
