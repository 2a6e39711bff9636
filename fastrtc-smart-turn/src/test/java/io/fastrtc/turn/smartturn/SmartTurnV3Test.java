package io.fastrtc.turn.smartturn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.turn.EndOfTurnDelay;
import io.fastrtc.turn.TurnCompletionModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference path through ONNX Runtime with {@code tiny-smart-turn.onnx} (made by
 * {@code scripts/make_test_models.py}): Smart Turn v3's input and output names and shapes, computing
 * sigmoid(mean of the 80 × 800 features). Smart Turn's weights cannot be downloaded here, so this
 * proves everything but the weights: the features reach the model as {@code [1, 80, 800]}, the
 * probability comes back from {@code logits}, and it follows the audio as the graph says.
 */
class SmartTurnV3Test {

    private static SmartTurnV3 model;

    @BeforeAll
    static void load() throws Exception {
        model = SmartTurnV3.builder(resource("tiny-smart-turn.onnx")).build();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static Path resource(String name) throws Exception {
        return Path.of(SmartTurnV3Test.class.getResource(name).toURI());
    }

    /** What the test graph computes, from features extracted independently of the model call. */
    private static double sigmoidOfMeanFeature(float[] turn) {
        double sum = 0;
        for (float v : WhisperFeatures.extract(turn)) {
            sum += v;
        }
        return 1 / (1 + Math.exp(-sum / (80 * 800)));
    }

    @Test
    void theProbabilityIsWhatTheGraphComputesFromTheFeatures() {
        for (String name : TestSignals.NAMES) {
            float[] turn = TestSignals.signal(name);
            // ONNX Runtime averages the 64,000 values in float32, hence 1e-5.
            assertThat(model.completionProbability(turn)).as(name).isCloseTo(sigmoidOfMeanFeature(turn), within(1e-5));
        }
        // Silence gives -1.5 everywhere (the numpy reference agrees), hence sigmoid(-1.5).
        assertThat(model.completionProbability(new float[16000])).isCloseTo(1 / (1 + Math.exp(1.5)), within(1e-6));
    }

    @Test
    void theProbabilityFollowsTheAudioAndChoosesTheDelay() {
        double voiced = model.completionProbability(TestSignals.signal("voiced_10s"));
        double sine = model.completionProbability(TestSignals.signal("sine440_1s"));
        double quiet = model.completionProbability(TestSignals.signal("quiet_noise_300ms"));
        double silence = model.completionProbability(TestSignals.signal("zeros_2s"));
        // Means of the numpy reference's features: 0.772, -0.096, -0.437, -1.5.
        assertThat(voiced).isCloseTo(0.684, within(0.001)).isGreaterThan(0.5);
        assertThat(sine).isCloseTo(0.476, within(0.001));
        assertThat(quiet).isCloseTo(0.392, within(0.001));
        assertThat(silence).isCloseTo(0.182, within(0.001));
        EndOfTurnDelay delay = EndOfTurnDelay.DEFAULTS;
        assertThat(delay.silenceFor(voiced)).isEqualTo(Duration.ofMillis(200));
        assertThat(delay.silenceFor(sine)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void anAudioFrameAtAnyRateIsHeardAt16kHzMono() {
        AudioFrame voiced16k = AudioFrame.ofFloat(16000, 1, TestSignals.signal("voiced_10s"));
        AudioFrame stereo48k = voiced16k.resample(48000).toStereo();
        TurnCompletionModel hook = model;
        double fromFrame = hook.completionProbability(stereo48k);
        double expected = sigmoidOfMeanFeature(stereo48k.toMono().resample(16000).toFloat());
        assertThat(fromFrame).isCloseTo(expected, within(1e-5));
        assertThat(fromFrame).isCloseTo(model.completionProbability(voiced16k.toFloat()), within(0.01));
    }

    @Test
    void aLongTurnHasOnlyItsEndConvertedWithTheSameSamples() {
        // 12.5 s at 44.1 kHz (grid of 441 input samples) and at 48 kHz stereo (grid of 3), cut off the grid.
        AudioFrame voiced = AudioFrame.ofFloat(16000, 1, TestSignals.signal("voiced_10s"));
        AudioFrame longTurn = voiced.concat(voiced.slice(0, 40007));
        for (AudioFrame turn : new AudioFrame[] {longTurn.resample(44100), longTurn.resample(48000).toStereo()}) {
            float[] whole = turn.toMono().resample(16000).toFloat();
            float[] end = SmartTurnV3.endAt16k(turn);
            assertThat(end.length).as("%s", turn).isBetween(128000, 129700).isLessThan(whole.length);
            float[] lastEightWhole = Arrays.copyOfRange(whole, whole.length - 128000, whole.length);
            float[] lastEightEnd = Arrays.copyOfRange(end, end.length - 128000, end.length);
            assertThat(lastEightEnd).as("%s", turn).containsExactly(lastEightWhole);
            assertThat(model.completionProbability(turn)).isEqualTo(model.completionProbability(whole));
        }
        AudioFrame shortTurn = voiced.slice(0, 16000).resample(48000);
        assertThat(SmartTurnV3.endAt16k(shortTurn)).containsExactly(shortTurn.resample(16000).toFloat());
    }

    @Test
    void concurrentCallsShareTheSession() throws Exception {
        List<float[]> turns = new ArrayList<>();
        List<Double> expected = new ArrayList<>();
        for (String name : TestSignals.NAMES) {
            turns.add(TestSignals.signal(name));
            expected.add(model.completionProbability(turns.get(turns.size() - 1)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                results.add(pool.submit(() -> {
                    double[] out = new double[turns.size() * 3];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = model.completionProbability(turns.get(i % turns.size()));
                    }
                    return out;
                }));
            }
            for (Future<double[]> result : results) {
                double[] out = result.get();
                for (int i = 0; i < out.length; i++) {
                    assertThat(out[i]).isEqualTo(expected.get(i % turns.size()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingFileIsNamedWithWhereToGetTheModel(@TempDir Path dir) {
        Path missing = dir.resolve("smart-turn-v3.2-cpu.onnx");
        assertThatThrownBy(() -> SmartTurnV3.builder(missing).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("https://huggingface.co/pipecat-ai/smart-turn-v3");
        assertThatThrownBy(() -> SmartTurnV3.builder(dir).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No readable Smart Turn v3 model at " + dir);
    }

    @Test
    void aFileThatIsNotAModelIsRefused(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("model.onnx"), "not a model");
        assertThatThrownBy(() -> SmartTurnV3.builder(text).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ONNX Runtime cannot load " + text)
                .hasMessageContaining("Smart Turn v3 .onnx file");
    }

    @Test
    void aModelWithAnotherSignatureIsRefused() throws Exception {
        Path wrong = resource("wrong-mel-count.onnx");
        assertThatThrownBy(() -> SmartTurnV3.builder(wrong).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(wrong + " is not a Smart Turn v3 model")
                .hasMessageContaining("input_features FLOAT[-1, 128, 800]")
                .hasMessageContaining("takes input_features FLOAT[batch, 80, 800]");
    }

    @Test
    void builderChecksItsValues() throws Exception {
        assertThatThrownBy(() -> SmartTurnV3.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("modelFile");
        assertThatThrownBy(() -> SmartTurnV3.builder(resource("tiny-smart-turn.onnx")).threads(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads must be >= 1, got 0");
        try (SmartTurnV3 twoThreads = SmartTurnV3.builder(resource("tiny-smart-turn.onnx")).threads(2).build()) {
            float[] turn = TestSignals.signal("sine440_1s");
            assertThat(twoThreads.modelFile()).isEqualTo(resource("tiny-smart-turn.onnx"));
            assertThat(twoThreads.completionProbability(turn)).isEqualTo(model.completionProbability(turn));
        }
    }

    @Test
    void aClosedModelRefusesToRun() throws Exception {
        SmartTurnV3 closed = SmartTurnV3.builder(resource("tiny-smart-turn.onnx")).build();
        closed.warmup();
        closed.close();
        assertThatThrownBy(() -> closed.completionProbability(new float[16000]))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(closed::warmup).isInstanceOf(IllegalStateException.class);
    }
}
