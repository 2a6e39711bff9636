package io.fastrtc.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.testing.Speech;
import org.junit.jupiter.api.Test;

class VoiceActivityTest {

    @Test
    void acceptsFrameSizesAndRatesTheNativeDetectorWouldAbortOn() {
        // A 44.1 kHz/441-sample frame or a 20 ms frame fails a native CHECK and kills the JVM
        // when given to libwebrtc directly; through VoiceActivity they are just audio.
        try (VoiceActivity vad = new VoiceActivity()) {
            // The resampler holds back a few milliseconds, so count over a longer stretch.
            int frames = 0;
            for (int i = 0; i < 10; i++) {
                frames += vad.process(AudioFrame.silence(44100, 1, 10)).length;
            }
            assertThat(frames).isBetween(8, 10);
            assertThat(vad.process(AudioFrame.silence(48000, 1, 20)).length).isBetween(1, 3);
            assertThat(vad.process(AudioFrame.silence(22050, 2, 7))).hasSizeBetween(0, 1);
            assertThat(vad.process(AudioFrame.ofPcm16(8000, 1, new short[1]))).hasSizeBetween(0, 1);
            assertThat(vad.process(AudioFrame.ofPcm16(96000, 1, new short[0]))).isEmpty();
        }
    }

    @Test
    void speechScoresHigherThanSilence() throws Exception {
        AudioFrame speech = Speech.say("The quick brown fox jumps over the lazy dog.");
        try (VoiceActivity vad = new VoiceActivity()) {
            float[] silent = vad.process(AudioFrame.silence(48000, 1, 1000));
            float[] spoken = vad.process(speech);
            assertThat(mean(spoken)).isGreaterThan(0.3).isGreaterThan(mean(silent) + 0.2);
        }
    }

    @Test
    void judgesEightKilohertzPhoneAudioAtItsOwnRateInEightyFrameSteps() throws Exception {
        AudioFrame speech8k = Speech.say("The quick brown fox jumps over the lazy dog.").resample(8000);
        try (VoiceActivity vad = new VoiceActivity()) {
            // Fed to libwebrtc at 8 kHz, 80 samples a frame: every 80 samples give a frame, none held back
            // (resampling to 16 kHz first would hold back the resampler's delay and yield fewer).
            assertThat(vad.process(AudioFrame.ofPcm16(8000, 1, new short[79]))).isEmpty();
            assertThat(vad.process(AudioFrame.ofPcm16(8000, 1, new short[81]))).hasSize(2);
            float[] silent = vad.process(AudioFrame.silence(8000, 1, 1000));
            assertThat(silent).hasSize(100);
            float[] spoken = vad.process(speech8k);
            assertThat(spoken).hasSize(speech8k.samplesPerChannel() / 80);
            assertThat(mean(spoken)).isGreaterThan(0.3).isGreaterThan(mean(silent) + 0.2);
        }
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }
}
