package io.fastrtc.speech.pocketsphinx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.speech.freetts.FreeTtsTextToSpeech;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Needs the Debian packages pocketsphinx and pocketsphinx-en-us (scripts/setup installs them). */
class PocketSphinxSpeechToTextTest {

    static final PocketSphinxSpeechToText STT = new PocketSphinxSpeechToText();
    static FreeTtsTextToSpeech tts;

    @BeforeAll
    static void load() {
        tts = new FreeTtsTextToSpeech().warmup();
    }

    @Test
    void transcribesFreeTtsSpeechWordForWord() {
        AudioFrame question = tts.synthesize("what is the weather like today");
        assertThat(STT.transcribe(question)).isEqualTo("what is the weather like today");
    }

    @Test
    void acceptsAnyRateAndLayout() {
        // As audio arrives from a peer connection: 48 kHz, here in stereo too.
        AudioFrame audio = tts.synthesize("what is the weather like today").resample(48000).toStereo();
        assertThat(STT.transcribe(audio)).isEqualTo("what is the weather like today");
    }

    @Test
    void silenceHasNoWords() {
        assertThat(STT.transcribe(AudioFrame.silence(16000, 1, 1000))).isEmpty();
        assertThat(STT.transcribe(AudioFrame.silence(16000, 1, 0))).isEmpty();
    }

    @Test
    void aMissingBinaryNamesThePackagesToInstall() {
        PocketSphinxSpeechToText missing = new PocketSphinxSpeechToText("no-such-pocketsphinx", Duration.ofSeconds(5));
        assertThatThrownBy(() -> missing.transcribe(AudioFrame.silence(16000, 1, 100)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-pocketsphinx")
                .hasMessageContaining("apt-get install pocketsphinx pocketsphinx-en-us");
    }

    @Test
    void aFailingRecogniserIsReported() {
        PocketSphinxSpeechToText failing = new PocketSphinxSpeechToText("false", Duration.ofSeconds(5));
        assertThatThrownBy(() -> failing.transcribe(AudioFrame.silence(16000, 1, 100)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exit code 1")
                .hasMessageContaining("pocketsphinx-en-us");
    }
}
