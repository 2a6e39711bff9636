package io.fastrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.audio.AudioFrame;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * Where the gate puts the start of a pause in the audio, with a detector that judges 30 ms windows
 * (as libwebrtc's does) by a rule the test gives, on 20 ms frames at 48 kHz.
 */
class SpeechGateTest {

    private static final int RATE = 48000;
    private static final int WINDOW = RATE * 30 / 1000;

    /** A detector of 30 ms windows: speech if {@code rule} says so of the window's end (ms) and its peak. */
    private static SpeechDetector windows(BiPredicate<Integer, Integer> rule) {
        return new SpeechDetector() {
            private long samples;
            private int peak;

            @Override
            public float process(AudioFrame audio) {
                float latest = -1;
                for (short s : audio.toPcm16()) {
                    peak = Math.max(peak, Math.abs(s));
                    if (++samples % WINDOW == 0) {
                        latest = rule.test((int) (samples * 1000 / RATE), peak) ? 0.9f : 0.05f;
                        peak = 0;
                    }
                }
                return latest;
            }

            @Override
            public void reset() {
                samples = 0;
                peak = 0;
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * 20 ms frames, a 300 Hz tone at amplitude {@code loud} until {@code toneMillis} and {@code after}
     * from then on; at the first frame after speech that is not: {@link SpeechGate#silentMillis()}.
     */
    private static double silenceWhenStopped(SpeechGate gate, double toneMillis, int loud, int after) {
        boolean speech = false;
        for (int frame = 0; frame < 100; frame++) {
            short[] s = new short[RATE / 50];
            for (int i = 0; i < s.length; i++) {
                double t = (frame * s.length + i) * 1000.0 / RATE;
                s[i] = (short) ((t < toneMillis ? loud : after) * Math.sin(2 * Math.PI * 300 * t / 1000));
            }
            boolean was = speech;
            speech = gate.accept(AudioFrame.ofPcm16(RATE, 1, s));
            if (was && !speech) {
                return gate.silentMillis();
            }
        }
        return Double.NaN;
    }

    @Test
    void aPauseStartsWithTheQuietTenMillisecondsInsideTheLastWindowJudgedSpeech() {
        // The tone stops 5 ms into the window [300, 330), which is judged speech; [330, 360) is silent and
        // known at 360 ms, the end of the frame [340, 360). The sound was last loud in [300, 310).
        SpeechGate gate = new SpeechGate(windows((end, peak) -> peak > 1000));
        assertThat(silenceWhenStopped(gate, 305, 8000, 0)).isEqualTo(360 - 310.0);
    }

    @Test
    void quietAudioTheDetectorCallsSpeechCountsAsSilenceOnlyOneWindowBack() {
        // A whisper (-56 dBFS) the detector hears as speech until 600 ms: the pause starts at most 30 ms before
        // the first silent window [600, 630), known at the end of the frame [620, 640).
        SpeechGate gate = new SpeechGate(windows((end, peak) -> end <= 600));
        assertThat(silenceWhenStopped(gate, 300, 8000, 50)).isEqualTo(640 - 570.0);
    }

    @Test
    void loudAudioTheDetectorCallsSilenceIsSilenceFromWhereItSaidSo() {
        // Noise as loud as the speech, silent from the window [600, 630) on: the pause starts at its end.
        SpeechGate gate = new SpeechGate(windows((end, peak) -> end <= 600));
        assertThat(silenceWhenStopped(gate, 2000, 8000, 8000)).isEqualTo(640 - 630.0);
    }
}
