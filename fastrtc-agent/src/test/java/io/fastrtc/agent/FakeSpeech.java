package io.fastrtc.agent;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.speech.SpeechToText;
import io.fastrtc.speech.TextToSpeech;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Offline speech for agent tests. Recognition hears {@link #hears} in any audio; synthesis speaks
 * each word as {@link #WORD_MILLIS} of a loud 440 Hz tone (16 kHz), and records what it spoke and when.
 */
public final class FakeSpeech implements SpeechToText, TextToSpeech {

    public static final int WORD_MILLIS = 100;

    /** One synthesis: the text and when it was asked for. */
    public record Spoken(String text, long nanos) {
    }

    public volatile String hears = "what time is it";
    public volatile boolean failSynthesis;
    public final List<Spoken> spoken = new CopyOnWriteArrayList<>();

    @Override
    public String transcribe(AudioFrame audio) {
        return hears;
    }

    @Override
    public AudioFrame synthesize(String text) {
        spoken.add(new Spoken(text, System.nanoTime()));
        if (failSynthesis) {
            throw new IllegalStateException("synthesis failed");
        }
        return tone(text.isBlank() ? 0 : text.strip().split("\\s+").length * WORD_MILLIS);
    }

    /** {@code millis} of a loud tone at 16 kHz. */
    public static AudioFrame tone(int millis) {
        short[] s = new short[16 * millis];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (12000 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        return AudioFrame.ofPcm16(16000, 1, s);
    }

    /** The texts synthesised, in order. */
    public List<String> texts() {
        return spoken.stream().map(Spoken::text).toList();
    }
}
