package io.fastrtc.turn.silero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.testing.Speech;
import io.fastrtc.turn.SpeechDetector;
import io.fastrtc.turn.SpeechResult;
import io.fastrtc.turn.SpeechTimestamps;
import io.fastrtc.turn.VadOptions;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Silero VAD v5 on speech synthesised by espeak-ng, on silence and on noise. */
class SileroVadTest {

    private static SileroVad vad;
    private static AudioFrame first;
    private static AudioFrame second;

    @BeforeAll
    static void setUp() throws Exception {
        vad = new SileroVad();
        first = Speech.say("Hello there, this is the first sentence of the test.");
        second = Speech.say("And here comes the second one, after a pause.");
    }

    @AfterAll
    static void tearDown() {
        vad.close();
    }

    private static AudioFrame silence(double millis) {
        return AudioFrame.silence(first.sampleRate(), 1, millis);
    }

    /** A sample index of an espeak-ng clip (22050 Hz) at the model's 16 kHz. */
    private static int at16k(int index) {
        return (int) Math.round(index * 16000.0 / first.sampleRate());
    }

    private static float max(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    @Test
    void theBuildPackagesThePinnedModel() throws Exception {
        try (InputStream in = SileroVad.class.getResourceAsStream(SileroVad.MODEL_FILE)) {
            assertThat(in).isNotNull();
            byte[] model = in.readAllBytes();
            assertThat(model).hasSize(2_327_524);
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
            assertThat(sha256).isEqualTo(System.getProperty("silero.sha256")).startsWith("2623a295");
        }
        assertThat(SileroVad.class.getResource("LICENSE-silero-vad.txt")).isNotNull();
    }

    @Test
    void usesFastRtcsDefaultsWithV5sWindow() {
        assertThat(vad.options()).isEqualTo(VadOptions.DEFAULTS);
        // FastRTC's v4 model analysed 1024-sample windows; v5 only accepts 512 and ignores the option.
        assertThat(VadOptions.DEFAULTS.windowSizeSamples()).isEqualTo(1024);
        assertThat(SileroVad.WINDOW_SAMPLES).isEqualTo(512);
        AudioFrame clip = silence(700).concat(first);
        try (SileroVad window512 = new SileroVad(VadOptions.DEFAULTS.withWindowSizeSamples(512))) {
            assertThat(window512.vad(clip)).isEqualTo(vad.vad(clip));
        }
        // Speech open until the end starts on a 512-sample window boundary, minus 400 ms of padding.
        SpeechResult result = vad.vad(clip);
        assertThat(result.segments()).hasSize(1);
        assertThat((result.segments().get(0).start() + 6400) % 512).isZero();
    }

    @Test
    void speechIsLikelyAndSilenceNoiseAndTonesAreNot() {
        assertThat(max(vad.probabilities(first))).isGreaterThan(0.9f);
        assertThat(max(vad.probabilities(AudioFrame.silence(48000, 1, 2000)))).isLessThan(0.1f);
        assertThat(max(vad.probabilities(Speech.whiteNoise(16000, 2, 0.05, 1)))).isLessThan(0.5f);
        // Unlike libwebrtc's detector, which rates a steady 440 Hz tone 0.99.
        short[] tone = new short[32000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        assertThat(max(vad.probabilities(AudioFrame.ofPcm16(16000, 1, tone)))).isLessThan(0.5f);
    }

    @Test
    void segmentsAreFastRtcsTimestampsOfTheProbabilities() {
        AudioFrame clip = silence(300).concat(first).concat(silence(800)).concat(second).resample(48000);
        VadOptions options = VadOptions.DEFAULTS.withMinSilenceDurationMs(500).withSpeechPadMs(100);
        try (SileroVad custom = new SileroVad(options)) {
            SpeechResult result = custom.vad(clip);
            int samples16k = clip.resample(16000).samplesPerChannel();
            assertThat(result).isEqualTo(SpeechTimestamps.find(custom.probabilities(clip), 512, samples16k, 16000,
                    options));
            assertThat(result.segments()).hasSize(2);
        }
    }

    @Test
    void speechLastsAsLongAsTheUtterancePlusPadding() {
        AudioFrame clip = silence(2500).concat(first).concat(silence(2500));
        SpeechResult result = vad.vad(clip);
        double utterance = first.durationMillis() / 1000;
        assertThat(result.segments()).hasSize(1);
        assertThat(result.speechSeconds()).isCloseTo(utterance + 2 * 0.4, within(0.15));
        assertThat(vad.vad(AudioFrame.silence(48000, 2, 2000))).isEqualTo(SpeechResult.none(16000));
    }

    @Test
    void aPauseSplitsTheSpeechAtItsEdges() {
        AudioFrame clip = first.concat(silence(1500)).concat(second);
        try (SileroVad split = new SileroVad(VadOptions.DEFAULTS.withMinSilenceDurationMs(1000))) {
            SpeechResult result = split.vad(clip);
            assertThat(result.segments()).hasSize(2);
            int gapStart = at16k(first.samplesPerChannel());
            int gapEnd = at16k(first.samplesPerChannel() + silence(1500).samplesPerChannel());
            // 400 ms (6400 samples) of padding into the gap, within 100 ms.
            assertThat(result.segments().get(0).end()).isCloseTo(gapStart + 6400, within(1600));
            assertThat(result.segments().get(1).start()).isCloseTo(gapEnd - 6400, within(1600));
        }
    }

    @Test
    void fastRtcChunksOf600MsAreAllSpeechOrNone() {
        AudioFrame speech = first.resample(48000);
        assertThat(vad.vad(speech.slice(0, 28800)).speechSeconds()).isEqualTo(0.6);
        assertThat(vad.vad(AudioFrame.silence(48000, 1, 600)).speechSeconds()).isZero();
    }

    @Test
    void streamingDetectorKeepsTheStateAcrossWindows() {
        AudioFrame stream = AudioFrame.silence(48000, 1, 300).concat(first.resample(48000));
        // The streaming resampler's output equals the one-shot conversion, so every completed window
        // must get exactly the probability of the whole-clip analysis.
        float[] expected = vad.probabilities(stream);
        try (SpeechDetector detector = vad.streamingDetector()) {
            for (int round = 0; round < 2; round++) {
                List<Float> reported = new ArrayList<>();
                for (int at = 0; at + 960 <= stream.samplesPerChannel(); at += 960) {
                    float p = detector.process(stream.slice(at, at + 960));
                    if (p >= 0) {
                        reported.add(p);
                    }
                }
                assertThat(reported).hasSizeGreaterThan(expected.length - 3);
                for (int i = 0; i < reported.size(); i++) {
                    assertThat(reported.get(i)).as("window %d", i).isEqualTo(expected[i]);
                }
                detector.reset();
            }
        }
    }

    @Test
    void concurrentCallsGiveTheSameResultsAsSequentialOnes() throws Exception {
        try (SileroVad shared = new SileroVad(VadOptions.DEFAULTS.withMinSilenceDurationMs(300).withSpeechPadMs(100))) {
            List<AudioFrame> clips = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                clips.add(silence(100 * i).concat(i % 2 == 0 ? first : second).concat(silence(500)).concat(first));
            }
            List<SpeechResult> sequential = clips.stream().map(shared::vad).toList();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 3; round++) {
                    List<Future<SpeechResult>> futures = new ArrayList<>();
                    for (AudioFrame clip : clips) {
                        futures.add(pool.submit(() -> shared.vad(clip)));
                    }
                    for (int i = 0; i < clips.size(); i++) {
                        assertThat(futures.get(i).get()).isEqualTo(sequential.get(i));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(sequential).allSatisfy(r -> assertThat(r.segments()).hasSizeGreaterThanOrEqualTo(2));
        }
    }

    @Test
    void errorsCountAsSpeechLikeFastRtc() {
        SileroVad closed = new SileroVad();
        closed.warmup();
        closed.close();
        assertThat(closed.vad(first)).isEqualTo(SpeechResult.failed(16000));
    }
}
