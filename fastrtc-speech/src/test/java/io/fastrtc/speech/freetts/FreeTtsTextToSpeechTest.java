package io.fastrtc.speech.freetts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.audio.AudioFrame;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FreeTtsTextToSpeechTest {

    static FreeTtsTextToSpeech tts;

    @BeforeAll
    static void load() {
        tts = new FreeTtsTextToSpeech().warmup();
    }

    static double rms(AudioFrame audio) {
        short[] s = audio.toPcm16();
        double sum = 0;
        for (short v : s) {
            sum += (double) v * v;
        }
        return s.length == 0 ? 0 : Math.sqrt(sum / s.length);
    }

    @Test
    void speaksAt16kHzMono() {
        AudioFrame audio = tts.synthesize("what is the weather like today");
        assertThat(audio.sampleRate()).isEqualTo(16000);
        assertThat(audio.channels()).isEqualTo(1);
        assertThat(audio.durationMillis()).isBetween(1000.0, 3000.0);
        assertThat(rms(audio)).as("speech, not silence or byte-order noise").isBetween(300.0, 8000.0);
    }

    @Test
    void longerTextTakesLonger() {
        double one = tts.synthesize("Hello.").durationMillis();
        double three = tts.synthesize("Hello. Hello there. Hello there again.").durationMillis();
        assertThat(three).isGreaterThan(2 * one);
    }

    @Test
    void blankTextIsSilence() {
        assertThat(tts.synthesize("  ").isEmpty()).isTrue();
        assertThat(tts.stream(" ").hasNext()).isFalse();
    }

    @Test
    void streamsSentenceBySentenceWithAPauseBeforeEachLaterOne() {
        Iterator<AudioFrame> parts = tts.stream("It is sunny. Take a hat! Will it rain?");
        List<AudioFrame> frames = new ArrayList<>();
        parts.forEachRemaining(frames::add);
        assertThat(frames).hasSize(3);
        int pause = 16000 / 7;
        assertThat(frames.get(0)).as("no pause before the first").isEqualTo(tts.synthesize("It is sunny."));
        for (AudioFrame later : frames.subList(1, 3)) {
            assertThat(rms(later.slice(0, pause))).isZero();
            assertThat(rms(later.slice(pause, later.samplesPerChannel()))).isGreaterThan(300.0);
        }
        assertThat(frames.get(1).slice(pause, frames.get(1).samplesPerChannel()))
                .isEqualTo(tts.synthesize("Take a hat!"));
    }
}
