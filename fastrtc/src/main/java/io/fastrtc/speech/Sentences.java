package io.fastrtc.speech;

import io.fastrtc.audio.AudioFrame;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** Sentence-by-sentence speech, shared by {@link TextToSpeech#stream} and {@link SentenceSpeech}. */
final class Sentences {

    private Sentences() {
    }

    /**
     * Each sentence synthesised only when asked for; every one after the first starts with a
     * pause of a seventh of a second, as FastRTC's Kokoro wrapper does.
     */
    static Iterator<AudioFrame> spoken(TextToSpeech tts, Iterator<String> sentences) {
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
                AudioFrame speech = tts.synthesize(sentences.next());
                if (first) {
                    first = false;
                    return speech;
                }
                short[] pause = new short[speech.sampleRate() / 7 * speech.channels()];
                return AudioFrame.ofPcm16(speech.sampleRate(), speech.channels(), pause).concat(speech);
            }
        };
    }
}
