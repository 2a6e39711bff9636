package io.fastrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.turn.SpeechResult.Segment;
import org.junit.jupiter.api.Test;

/**
 * Expected segments are traced by hand through FastRTC's {@code get_speech_timestamps}. Most cases
 * use 1000 Hz and 10-sample windows, so window {@code i} starts at sample {@code 10 i} = {@code 10 i} ms.
 */
class SpeechTimestampsTest {

    private static final int RATE = 1000;
    private static final int WINDOW = 10;
    /** Short limits so that hand-made sequences stay short: min silence 100 ms, padding 30 ms. */
    private static final VadOptions OPTIONS = VadOptions.DEFAULTS.withMinSilenceDurationMs(100).withSpeechPadMs(30);

    private static final float S = 0.9f;
    private static final float Q = 0.1f;

    /** Runs of probabilities: {@code runs(p1, n1, p2, n2, ...)}. */
    private static float[] runs(double... pairs) {
        int total = 0;
        for (int i = 1; i < pairs.length; i += 2) {
            total += (int) pairs[i];
        }
        float[] out = new float[total];
        int at = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            for (int k = 0; k < (int) pairs[i + 1]; k++) {
                out[at++] = (float) pairs[i];
            }
        }
        return out;
    }

    private static SpeechResult find(float[] probabilities, VadOptions options) {
        return SpeechTimestamps.find(probabilities, WINDOW, probabilities.length * WINDOW, RATE, options);
    }

    @Test
    void defaultsAreFastRtcs() {
        VadOptions d = VadOptions.DEFAULTS;
        assertThat(d.threshold()).isEqualTo(0.5);
        assertThat(d.minSpeechDurationMs()).isEqualTo(250);
        assertThat(d.maxSpeechDurationS()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(d.minSilenceDurationMs()).isEqualTo(2000);
        assertThat(d.windowSizeSamples()).isEqualTo(1024);
        assertThat(d.speechPadMs()).isEqualTo(400);
    }

    @Test
    void noSpeech() {
        SpeechResult r = find(runs(Q, 50, 0.49, 10, Q, 40), OPTIONS);
        assertThat(r.segments()).isEmpty();
        assertThat(r.speechSeconds()).isZero();
        assertThat(r.sampleRate()).isEqualTo(RATE);
    }

    @Test
    void blipShorterThanMinSpeechIsDropped() {
        // Start 100; silence from 300 is long enough at 400 (400 - 300 >= 100): 300 - 100 = 200 <= 250.
        assertThat(find(runs(Q, 10, S, 20, Q, 30), OPTIONS).segments()).isEmpty();
        // Still open at the end: 600 - 400 = 200 <= 250.
        assertThat(find(runs(Q, 40, S, 20), OPTIONS).segments()).isEmpty();
    }

    @Test
    void minSilenceSplitsAndPadsEachSide() {
        // [0, 300] and [500, 800]; the 200-sample gap is >= 2 * pad, so each side gets the full 30.
        SpeechResult r = find(runs(S, 30, Q, 20, S, 30, Q, 20), OPTIONS);
        assertThat(r.segments()).containsExactly(new Segment(0, 330), new Segment(470, 830));
        assertThat(r.speechSeconds()).isEqualTo(0.69);
    }

    @Test
    void pauseShorterThanMinSilenceDoesNotSplit() {
        // Silence from 300 lasts 90 ms; the speech window at 390 clears it. Silence from 600 ends it at 700.
        SpeechResult r = find(runs(S, 30, Q, 9, S, 21, Q, 20), OPTIONS);
        assertThat(r.segments()).containsExactly(new Segment(0, 630));
    }

    @Test
    void probabilitiesBetweenTheThresholdsContinueSpeech() {
        // 0.4 is below 0.5 but not below 0.35: no silence starts until 600.
        SpeechResult r = find(runs(S, 30, 0.4, 30, Q, 20), OPTIONS);
        assertThat(r.segments()).containsExactly(new Segment(0, 630));
        // ...and 0.4 does not start speech either.
        assertThat(find(runs(Q, 10, 0.4, 40, Q, 10), OPTIONS).segments()).isEmpty();
    }

    @Test
    void closeSegmentsShareThePaddingBetweenThem() {
        // Pad 100: [100, 400] and [550, 850]; the 150 gap is < 2 * 100, so each side takes 75.
        SpeechResult r = find(runs(Q, 10, S, 30, Q, 15, S, 30, Q, 15), OPTIONS.withSpeechPadMs(100));
        assertThat(r.segments()).containsExactly(new Segment(0, 475), new Segment(475, 950));
        assertThat(r.speechSeconds()).isEqualTo(0.95);
    }

    @Test
    void speechUntilTheEndRunsToTheEndOfTheAudio() {
        // 995 samples: 100 windows, the last one partial. Segment [500, 995], padded start 470, end clamped.
        float[] p = runs(Q, 50, S, 50);
        SpeechResult r = SpeechTimestamps.find(p, WINDOW, 995, RATE, OPTIONS);
        assertThat(r.segments()).containsExactly(new Segment(470, 995));
        assertThat(r.speechSeconds()).isEqualTo(0.525);
    }

    @Test
    void maxSpeechSplitsHardWithoutAPause() {
        // Max 0.5 s: 500 - 10 - 2 * 30 = 430 samples. Split at 440 (> 430): [0, 440]; restart at 450,
        // split at 890: [450, 890]; restart at 900, but 1000 - 900 <= 250 is dropped.
        // Padding: the 10-sample gap is shared (5 each side).
        SpeechResult r = find(runs(S, 100), OPTIONS.withMaxSpeechDurationS(0.5));
        assertThat(r.segments()).containsExactly(new Segment(0, 445), new Segment(445, 920));
    }

    @Test
    void maxSpeechSplitsAtTheLastPauseLongerThan98Ms() {
        // Min silence 200. Silence starts at 300; at 400 it has lasted 100 > 98: prev_end = 300. Speech at
        // 410 sets next_start = 410. At 440 the maximum is reached: [0, 300], next segment from 410; it is
        // split hard at 850 (> 410 + 430); restart at 860 is too short. Gap 110 >= 60: full padding.
        SpeechResult r = find(runs(S, 30, Q, 11, S, 59),
                OPTIONS.withMinSilenceDurationMs(200).withMaxSpeechDurationS(0.5));
        assertThat(r.segments()).containsExactly(new Segment(0, 330), new Segment(380, 880));
    }

    @Test
    void maxSpeechReachedDuringAPauseEndsTheSegment() {
        // Min silence 300. The pause from 300 is still going at 440: [0, 300] ends and nothing is open.
        // Speech from 500 is split hard at 940; restart at 950 is too short.
        SpeechResult r = find(runs(S, 30, Q, 20, S, 50),
                OPTIONS.withMinSilenceDurationMs(300).withMaxSpeechDurationS(0.5));
        assertThat(r.segments()).containsExactly(new Segment(0, 330), new Segment(470, 970));
    }

    @Test
    void fastRtcDefaultsMakeA600MsChunkAllOrNothing() {
        // 16 kHz, 1024-sample windows, 9600 samples (10 windows). Speech in window 3 (start 3072) stays
        // open until the end: 9600 - 3072 > 4000, padded to the whole chunk.
        VadOptions d = VadOptions.DEFAULTS;
        float[] early = runs(0, 3, S, 1, 0, 6);
        SpeechResult r = SpeechTimestamps.find(early, d.windowSizeSamples(), 9600, 16000, d);
        assertThat(r.segments()).containsExactly(new Segment(0, 9600));
        assertThat(r.speechSeconds()).isEqualTo(0.6);
        // Speech from window 6 (6144): 9600 - 6144 = 3456 <= 4000, dropped.
        float[] late = runs(0, 6, S, 4);
        assertThat(SpeechTimestamps.find(late, d.windowSizeSamples(), 9600, 16000, d).speechSeconds()).isZero();
    }

    @Test
    void rejectsAProbabilityCountThatDoesNotMatchTheAudio() {
        assertThatThrownBy(() -> SpeechTimestamps.find(new float[9], WINDOW, 95, RATE, OPTIONS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("i.e. 10 for 95 samples, got 9");
    }

    @Test
    void rejectsInvalidOptions() {
        assertThatThrownBy(() -> VadOptions.DEFAULTS.withThreshold(1.5)).hasMessageContaining("1.5");
        assertThatThrownBy(() -> VadOptions.DEFAULTS.withMaxSpeechDurationS(0)).hasMessageContaining("POSITIVE_INFINITY");
        assertThatThrownBy(() -> VadOptions.DEFAULTS.withSpeechPadMs(-1)).hasMessageContaining("speechPadMs");
    }
}
