package io.fastrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.engine.VoiceActivity;
import io.fastrtc.testing.Speech;
import io.fastrtc.turn.SpeechResult.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** libwebrtc's detector behind FastRTC's segmentation, on speech synthesised by espeak-ng. */
class WebRtcVadTest {

    private static AudioFrame first;
    private static AudioFrame second;

    @BeforeAll
    static void synthesise() throws Exception {
        first = Speech.say("Hello there, this is the first sentence of the test.");
        second = Speech.say("And here comes the second one, after a pause.");
    }

    private static AudioFrame silence(double millis) {
        return AudioFrame.silence(first.sampleRate(), 1, millis);
    }

    /** A sample index of an espeak-ng clip (22050 Hz) at the detector's 16 kHz. */
    private static int at16k(int index) {
        return (int) Math.round(index * 16000.0 / first.sampleRate());
    }

    @Test
    void nativeDetectorReportsOnceEveryThirdFrameAfterAPlaceholder() {
        // The block alignment WebRtcVad relies on.
        float[] frames;
        try (VoiceActivity detector = new VoiceActivity()) {
            frames = detector.process(silence(300).concat(first).resample(16000));
        }
        assertThat(frames[0]).isEqualTo(1f);
        assertThat(frames[1]).isEqualTo(1f);
        int changes = 0;
        for (int i = 3; i < frames.length; i++) {
            if (i % 3 != 2) {
                assertThat(frames[i]).as("frame %d", i).isEqualTo(frames[i - 1]);
            } else if (frames[i] != frames[i - 1]) {
                changes++;
            }
        }
        assertThat(changes).isGreaterThan(5);
    }

    @Test
    void speechLastsAsLongAsTheUtterancePlusPadding() {
        AudioFrame clip = silence(2500).concat(first).concat(silence(2500));
        SpeechResult result = new WebRtcVad().vad(clip);

        assertThat(result.sampleRate()).isEqualTo(16000);
        assertThat(result.segments()).hasSize(1);
        double utterance = first.durationMillis() / 1000;
        assertThat(result.speechSeconds()).isCloseTo(utterance + 2 * 0.4, within(0.15));
        Segment segment = result.segments().get(0);
        assertThat(segment.start()).isCloseTo(at16k(silence(2500).samplesPerChannel()) - 6400, within(1600));
        float max = 0;
        for (float p : WebRtcVad.probabilities(first)) {
            max = Math.max(max, p);
        }
        assertThat(max).isGreaterThan(0.9f);
    }

    @Test
    void silenceAndNoiseAreNotSpeech() {
        WebRtcVad vad = new WebRtcVad();
        assertThat(vad.vad(AudioFrame.silence(48000, 2, 2000))).isEqualTo(SpeechResult.none(16000));
        assertThat(vad.vad(Speech.whiteNoise(16000, 2, 0.05, 1)).speechSeconds()).isZero();
        assertThat(vad.vad(AudioFrame.silence(48000, 1, 0))).isEqualTo(SpeechResult.none(16000));
    }

    @Test
    void aPauseLongerThanMinSilenceSplitsTheSpeech() {
        AudioFrame clip = first.concat(silence(1500)).concat(second);
        SpeechResult result = new WebRtcVad(VadOptions.DEFAULTS.withMinSilenceDurationMs(1000)).vad(clip);

        assertThat(result.segments()).hasSize(2);
        int gapStart = at16k(first.samplesPerChannel());
        int gapEnd = at16k(first.samplesPerChannel() + silence(1500).samplesPerChannel());
        // Each segment reaches into the gap by up to its 400 ms (6400 samples) of padding (+ 100 ms of
        // block granularity). Less is fine: the detector relies on voicing, so it ends the first
        // sentence about 150 ms before the energy of its final unvoiced "st" fades.
        assertThat(result.segments().get(0).end()).isBetween(gapStart + 1, gapStart + 6400 + 1600);
        assertThat(result.segments().get(1).start()).isBetween(gapEnd - 6400 - 1600, gapEnd - 1);
    }

    @Test
    void fastRtcChunksOf600MsAreAllSpeechOrNone() {
        // ReplyOnPause analyses 0.6 s chunks at the input rate, each with fresh state.
        AudioFrame speech = first.resample(48000);
        WebRtcVad vad = new WebRtcVad();
        assertThat(vad.vad(speech.slice(0, 28800)).speechSeconds()).isEqualTo(0.6);
        assertThat(vad.vad(AudioFrame.silence(48000, 1, 600)).speechSeconds()).isZero();
    }

    @Test
    void streamingDetectorFollowsALiveStream() {
        AudioFrame stream = AudioFrame.silence(48000, 1, 500).concat(first.resample(48000));
        try (SpeechDetector detector = new WebRtcVad().streamingDetector()) {
            for (int round = 0; round < 2; round++) {
                List<Float> reported = new ArrayList<>();
                int misses = 0;
                for (int at = 0; at + 960 <= stream.samplesPerChannel(); at += 960) {
                    float p = detector.process(stream.slice(at, at + 960));
                    if (p < 0) {
                        misses++;
                    } else {
                        reported.add(p);
                    }
                }
                // 20 ms frames, 30 ms blocks: a block completes in two of every three frames.
                assertThat(misses).isGreaterThan(reported.size() / 3);
                // No placeholder: the first 400 ms (13 blocks) are silence.
                assertThat(reported.subList(0, 13)).allSatisfy(p -> assertThat(p).isLessThan(0.1f));
                assertThat(reported.stream().mapToDouble(Float::doubleValue).max().orElseThrow()).isGreaterThan(0.9);
                detector.reset();
            }
        }
    }

    @Test
    void concurrentCallsGiveTheSameResultsAsSequentialOnes() throws Exception {
        WebRtcVad vad = new WebRtcVad(VadOptions.DEFAULTS.withMinSilenceDurationMs(300).withSpeechPadMs(100));
        List<AudioFrame> clips = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clips.add(silence(100 * i).concat(i % 2 == 0 ? first : second).concat(silence(500)).concat(first));
        }
        List<SpeechResult> sequential = clips.stream().map(vad::vad).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<SpeechResult>> futures = new ArrayList<>();
                for (AudioFrame clip : clips) {
                    futures.add(pool.submit(() -> vad.vad(clip)));
                }
                for (int i = 0; i < clips.size(); i++) {
                    assertThat(futures.get(i).get()).isEqualTo(sequential.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sequential).allSatisfy(r -> assertThat(r.segments()).isNotEmpty());
    }
}
