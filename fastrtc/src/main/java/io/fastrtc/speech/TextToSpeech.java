package io.fastrtc.speech;

import io.fastrtc.audio.AudioFrame;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Turns text into speech (FastRTC's {@code TTSModel}). One instance may serve every connection at
 * once, so implementations must be thread-safe.
 *
 * <pre>{@code
 * new ReplyOnPause(audio -> tts.stream(answer(stt.transcribe(audio))));
 * }</pre>
 */
public interface TextToSpeech {

    /**
     * {@code text} spoken, at the implementation's own sample rate (an empty frame for blank text).
     *
     * @throws RuntimeException if the synthesiser failed; the message says why and how to fix it
     */
    AudioFrame synthesize(String text);

    /**
     * {@code text} spoken sentence by sentence, each synthesised only when asked for, so playback
     * of the first sentence starts while the rest is still text. As FastRTC's Kokoro wrapper does,
     * the text is split after {@code .}, {@code !} or {@code ?} followed by white space, and every
     * sentence after the first starts with a pause of a seventh of a second.
     */
    default Iterator<AudioFrame> stream(String text) {
        return Sentences.spoken(this, sentences(text).iterator());
    }

    /**
     * A reply spoken while it is still being written: each sentence is synthesised, as in
     * {@link #stream}, as soon as it is complete (a {@code .}, {@code !} or {@code ?} followed by
     * white space) or when {@link LiveSpeech#finish} is called. Services that take text as it
     * comes (a WebSocket) override this to start speaking even sooner.
     */
    default LiveSpeech live() {
        return new SentenceSpeech(this);
    }

    /** {@code text} split into sentences as {@link #stream} does, blank ones left out. */
    static List<String> sentences(String text) {
        Objects.requireNonNull(text, "text");
        List<String> sentences = new ArrayList<>();
        for (String s : text.strip().split("(?<=[.!?])\\s+")) { // FastRTC's pattern
            if (!s.isBlank()) {
                sentences.add(s.strip());
            }
        }
        return sentences;
    }
}
