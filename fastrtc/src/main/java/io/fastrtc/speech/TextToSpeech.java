package io.fastrtc.speech;

import io.fastrtc.audio.AudioFrame;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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
        Iterator<String> sentences = sentences(text).iterator();
        return new Iterator<>() {
            private boolean first = true;

            @Override
            public boolean hasNext() {
                return sentences.hasNext();
            }

            @Override
            public AudioFrame next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                AudioFrame speech = synthesize(sentences.next());
                if (first) {
                    first = false;
                    return speech;
                }
                short[] pause = new short[speech.sampleRate() / 7 * speech.channels()];
                return AudioFrame.ofPcm16(speech.sampleRate(), speech.channels(), pause).concat(speech);
            }
        };
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
