package io.fastrtc.turn.silero;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Resampler;
import io.fastrtc.turn.PauseDetectionModel;
import io.fastrtc.turn.SpeechDetector;
import io.fastrtc.turn.SpeechResult;
import io.fastrtc.turn.SpeechTimestamps;
import io.fastrtc.turn.VadOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Silero VAD v5 on ONNX Runtime: the neural voice activity detector FastRTC uses, with FastRTC's
 * {@code vad()} semantics. Audio is converted to 16 kHz mono, rated in windows of 512 samples (32
 * ms) with fresh model state for every {@link #vad} call, and segmented by
 * {@link SpeechTimestamps}.
 *
 * <p>FastRTC runs Silero v4, whose window was configurable (1024 samples by default); v5 only
 * accepts 512, so {@link VadOptions#windowSizeSamples()} is ignored here, as Silero's own v5
 * utilities ignore it. Like Silero's official wrapper, each call also shows the model the last 64
 * samples of the previous window (576 samples in all).
 *
 * <p>Thread-safe: the ONNX session is shared (ONNX Runtime allows concurrent runs) and every call
 * keeps its own recurrent state. Errors inside {@link #vad} are logged and reported as
 * {@link SpeechResult#failed}, i.e. as speech, as FastRTC does. The model ({@value #MODEL_FILE}, MIT
 * licence, see {@code LICENSE-silero-vad.txt} next to it) is packaged in this module's jar.
 */
public final class SileroVad implements PauseDetectionModel, AutoCloseable {

    /** The model's rate, and that of the reported segments. */
    public static final int SAMPLE_RATE = 16000;
    /** Samples per probability: 32 ms, the only window Silero v5 accepts at 16 kHz. */
    public static final int WINDOW_SAMPLES = 512;
    /** Samples of the previous window prepended to each window, as Silero's wrapper does at 16 kHz. */
    static final int CONTEXT_SAMPLES = 64;
    static final String MODEL_FILE = "silero_vad_v5.onnx";

    private static final int STATE_SIZE = 2 * 128;
    private static final Logger LOG = LoggerFactory.getLogger(SileroVad.class);

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final VadOptions options;

    /** With FastRTC's default options. */
    public SileroVad() {
        this(VadOptions.DEFAULTS);
    }

    /** Loads the model (about 40 ms); share the instance between connections. */
    public SileroVad(VadOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
            // FastRTC's settings: one thread per inference, so concurrent connections scale across cores.
            sessionOptions.setIntraOpNumThreads(1);
            sessionOptions.setInterOpNumThreads(1);
            sessionOptions.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            session = environment.createSession(readModel(), sessionOptions);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + MODEL_FILE + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readModel() {
        try (InputStream in = SileroVad.class.getResourceAsStream(MODEL_FILE)) {
            if (in == null) {
                throw new IllegalStateException(MODEL_FILE + " is not on the class path next to "
                        + SileroVad.class.getName() + ". The fastrtc-silero build fetches it with npm; build the"
                        + " module with npm installed instead of using its classes directly");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + MODEL_FILE, e);
        }
    }

    public VadOptions options() {
        return options;
    }

    @Override
    public SpeechResult vad(AudioFrame audio) {
        Objects.requireNonNull(audio, "audio");
        try {
            float[] samples = toModelInput(audio);
            return SpeechTimestamps.find(analyse(samples), WINDOW_SAMPLES, samples.length, SAMPLE_RATE, options);
        } catch (RuntimeException e) {
            LOG.warn("Silero VAD failed on {}; counting it as speech", audio, e);
            return SpeechResult.failed(SAMPLE_RATE);
        }
    }

    /**
     * The speech probability of every 512-sample window of {@code audio} (converted to 16 kHz mono),
     * with fresh model state; a partial last window is zero-padded, as FastRTC does.
     */
    public float[] probabilities(AudioFrame audio) {
        return analyse(toModelInput(audio));
    }

    private static float[] toModelInput(AudioFrame audio) {
        return Resampler.resample(audio.toMono(), SAMPLE_RATE).toFloat();
    }

    private float[] analyse(float[] samples) {
        float[] probabilities = new float[(samples.length + WINDOW_SAMPLES - 1) / WINDOW_SAMPLES];
        try (Inference inference = new Inference()) {
            for (int i = 0; i < probabilities.length; i++) {
                probabilities[i] = inference.step(samples, i * WINDOW_SAMPLES);
            }
        }
        return probabilities;
    }

    /** Follows a stream in 512-sample windows, keeping the model state across them. */
    @Override
    public SpeechDetector streamingDetector() {
        return new Streaming();
    }

    /** FastRTC's warm-up: ten calls on 102,400 samples of silence at 24 kHz. */
    @Override
    public void warmup() {
        long start = System.nanoTime();
        AudioFrame zeros = AudioFrame.ofPcm16(24000, 1, new short[102400]);
        for (int i = 0; i < 10; i++) {
            vad(zeros);
        }
        LOG.debug("Silero VAD warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing the Silero VAD session failed", e);
        }
    }

    /**
     * One sequence of windows: the recurrent state and the context. The input tensors are backed by
     * direct buffers that are rewritten in place for every window. Not thread-safe.
     */
    private final class Inference implements AutoCloseable {

        /** {@code [context (64), window (512)]}; after a run the window's tail is the next context. */
        private final FloatBuffer input = directFloats(CONTEXT_SAMPLES + WINDOW_SAMPLES);
        private final FloatBuffer state = directFloats(STATE_SIZE);
        private final OnnxTensor inputTensor;
        private final OnnxTensor stateTensor;
        private final OnnxTensor rateTensor;
        private final Map<String, OnnxTensor> inputs;

        Inference() {
            try {
                inputTensor = OnnxTensor.createTensor(environment, input, new long[] {1, CONTEXT_SAMPLES + WINDOW_SAMPLES});
                stateTensor = OnnxTensor.createTensor(environment, state, new long[] {2, 1, 128});
                rateTensor = OnnxTensor.createTensor(environment, (long) SAMPLE_RATE);
            } catch (OrtException e) {
                throw new IllegalStateException("could not create the Silero VAD input tensors", e);
            }
            inputs = Map.of("input", inputTensor, "state", stateTensor, "sr", rateTensor);
        }

        /** The probability of the 512 samples of {@code samples} from {@code offset}, zero-padded past its end. */
        float step(float[] samples, int offset) {
            for (int i = 0; i < CONTEXT_SAMPLES; i++) {
                input.put(i, input.get(WINDOW_SAMPLES + i));
            }
            for (int i = 0; i < WINDOW_SAMPLES; i++) {
                int at = offset + i;
                input.put(CONTEXT_SAMPLES + i, at < samples.length ? samples[at] : 0f);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer next = output(result, "stateN");
                for (int i = 0; i < STATE_SIZE; i++) {
                    state.put(i, next.get(i));
                }
                return output(result, "output").get(0);
            } catch (OrtException e) {
                throw new IllegalStateException("Silero VAD inference failed: " + e.getMessage(), e);
            }
        }

        private FloatBuffer output(OrtSession.Result result, String name) {
            return ((OnnxTensor) result.get(name).orElseThrow(
                    () -> new IllegalStateException(MODEL_FILE + " has no output '" + name + "'"))).getFloatBuffer();
        }

        void reset() {
            for (int i = 0; i < input.capacity(); i++) {
                input.put(i, 0f);
            }
            for (int i = 0; i < STATE_SIZE; i++) {
                state.put(i, 0f);
            }
        }

        @Override
        public void close() {
            inputTensor.close();
            stateTensor.close();
            rateTensor.close();
        }
    }

    private static FloatBuffer directFloats(int size) {
        return ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private final class Streaming implements SpeechDetector {

        private final Inference inference = new Inference();
        private final float[] pending = new float[WINDOW_SAMPLES];
        private int pendingLength;
        private Resampler resampler;

        @Override
        public float process(AudioFrame audio) {
            AudioFrame mono = audio.toMono();
            if (mono.sampleRate() != SAMPLE_RATE) {
                if (resampler == null || resampler.inRate() != mono.sampleRate()) {
                    resampler = new Resampler(mono.sampleRate(), SAMPLE_RATE, 1);
                }
                mono = resampler.process(mono);
            }
            float latest = -1;
            for (float sample : mono.toFloat()) {
                pending[pendingLength++] = sample;
                if (pendingLength == WINDOW_SAMPLES) {
                    latest = inference.step(pending, 0);
                    pendingLength = 0;
                }
            }
            return latest;
        }

        @Override
        public void reset() {
            inference.reset();
            pendingLength = 0;
            resampler = null;
        }

        @Override
        public void close() {
            inference.close();
        }
    }
}
