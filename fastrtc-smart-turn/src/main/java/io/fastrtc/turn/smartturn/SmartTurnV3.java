package io.fastrtc.turn.smartturn;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.turn.TurnCompletionModel;
import java.math.BigInteger;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Pipecat's Smart Turn v3 on ONNX Runtime: the probability that the user has finished their turn,
 * judged from the sound of its last 8 seconds (intonation, pace, filler sounds), in 23 languages.
 * Input {@code input_features} float32 {@code [batch, 80, 800]} (Whisper log-mel features of the
 * last 8 s, see {@code WhisperFeatures}), output {@code logits} float32 {@code [batch, 1]}, which
 * despite its name already is the sigmoid probability; Smart Turn calls a turn complete above 0.5.
 *
 * <p>The weights are not shipped: download a model file (e.g. {@code smart-turn-v3.2-cpu.onnx},
 * int8, about 8 MB; BSD 2-Clause) from {@value #MODEL_PAGE} and point
 * {@link #builder(Path)} at it. v3.0, v3.1 and v3.2 share the signature.
 *
 * <p>Thread-safe (ONNX Runtime allows concurrent runs of one session): load it once and share it.
 * Each call runs on the caller's thread with {@link Builder#threads} inference threads, and is
 * quoted by Smart Turn's authors at about 10 to 100 ms of CPU depending on the machine.
 */
public final class SmartTurnV3 implements TurnCompletionModel, AutoCloseable {

    /** Where Smart Turn v3's model files are published. */
    public static final String MODEL_PAGE = "https://huggingface.co/pipecat-ai/smart-turn-v3";
    static final String INPUT = "input_features";
    static final String OUTPUT = "logits";
    /** Audio converted before the last 8 s, for the resampler's filter to settle. */
    private static final int RESAMPLER_LEAD_MILLIS = 100;
    private static final long[] INPUT_SHAPE = {1, WhisperFeatures.MELS, WhisperFeatures.FRAMES};

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final Path modelFile;

    private SmartTurnV3(Builder builder) {
        this.modelFile = builder.modelFile;
        this.session = open(builder);
    }

    /** A builder for the model in {@code modelFile} (a Smart Turn v3 {@code .onnx} file). */
    public static Builder builder(Path modelFile) {
        return new Builder(modelFile);
    }

    private OrtSession open(Builder builder) {
        Path file = modelFile.toAbsolutePath();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("No readable Smart Turn v3 model at " + file + ". The weights are not"
                    + " part of FastRTC: download a model file (e.g. smart-turn-v3.2-cpu.onnx) from " + MODEL_PAGE
                    + " and pass its path to SmartTurnV3.builder(Path)");
        }
        OrtSession opened;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // Smart Turn's own settings: sequential, one inter-op thread, every graph optimisation.
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setInterOpNumThreads(1);
            options.setIntraOpNumThreads(builder.threads);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            opened = environment.createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load " + file + " as a model (" + e.getMessage()
                    + "); expected a Smart Turn v3 .onnx file from " + MODEL_PAGE, e);
        }
        try {
            checkSignature(opened, file);
            return opened;
        } catch (RuntimeException e) {
            closeQuietly(opened, e);
            throw e;
        }
    }

    private static void checkSignature(OrtSession session, Path file) {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            NodeInfo input = inputs.get(INPUT);
            if (inputs.size() != 1 || !isFloatTensor(input, WhisperFeatures.MELS, WhisperFeatures.FRAMES)
                    || !isFloatTensor(outputs.get(OUTPUT), 1)) {
                throw new IllegalArgumentException(file + " is not a Smart Turn v3 model: it takes " + describe(inputs)
                        + " and returns " + describe(outputs) + ", where Smart Turn v3 takes " + INPUT
                        + " FLOAT[batch, 80, 800] and returns " + OUTPUT + " FLOAT[batch, 1]. Get the model from "
                        + MODEL_PAGE);
            }
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot describe the model in " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** A float tensor of rank {@code 1 + trailing.length} whose axes after the batch axis are {@code trailing}. */
    private static boolean isFloatTensor(NodeInfo node, long... trailing) {
        if (node == null || !(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
            return false;
        }
        long[] shape = tensor.getShape();
        return shape.length == trailing.length + 1
                && Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), trailing);
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        StringBuilder out = new StringBuilder();
        nodes.forEach((name, node) -> {
            out.append(out.length() == 0 ? "" : ", ").append(name);
            if (node.getInfo() instanceof TensorInfo tensor) {
                out.append(' ').append(tensor.type).append(Arrays.toString(tensor.getShape()));
            }
        });
        return out.length() == 0 ? "nothing" : out.toString();
    }

    private static void closeQuietly(OrtSession session, RuntimeException cause) {
        try {
            session.close();
        } catch (OrtException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * The probability that the user has finished, from the last 8 s of {@code turn} (16 kHz mono;
     * shorter turns are padded with silence in front, as Smart Turn does).
     *
     * @throws IllegalStateException if ONNX Runtime fails, or after {@link #close()}
     */
    @Override
    public double completionProbability(float[] turn) {
        Objects.requireNonNull(turn, "turn");
        float[] features = WhisperFeatures.extract(turn);
        try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(features), INPUT_SHAPE);
                OrtSession.Result result = session.run(Map.of(INPUT, input))) {
            OnnxValue output = result.get(OUTPUT).orElseThrow(
                    () -> new IllegalStateException(modelFile + " returned no " + OUTPUT));
            return ((OnnxTensor) output).getFloatBuffer().get(0);
        } catch (OrtException e) {
            throw new IllegalStateException("Smart Turn v3 inference failed: " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #completionProbability(float[])} for audio at any rate, mono or stereo. Only the end
     * of a long turn is converted: the last 8 s plus 100 ms, whose resampled start (the filter
     * settling) falls outside the 8 s the model sees. The cut is on the resampler's grid, so the
     * samples the model sees are those of converting the whole turn.
     */
    @Override
    public double completionProbability(AudioFrame turn) {
        return completionProbability(endAt16k(turn));
    }

    /** The end of {@code turn} as 16 kHz mono: at least its last 8 s, or all of it. */
    static float[] endAt16k(AudioFrame turn) {
        Objects.requireNonNull(turn, "turn");
        int rate = turn.sampleRate();
        int length = turn.samplesPerChannel();
        int keep = (int) ((long) rate * (8000 + RESAMPLER_LEAD_MILLIS) / 1000);
        AudioFrame end = turn;
        if (length > keep) {
            int grid = rate / BigInteger.valueOf(rate).gcd(BigInteger.valueOf(SAMPLE_RATE)).intValue();
            end = turn.slice((length - keep) / grid * grid, length);
        }
        return end.toMono().resample(SAMPLE_RATE).toFloat();
    }

    /** One inference on a second of silence: ONNX Runtime and the JIT do their first-call work now. */
    @Override
    public void warmup() {
        completionProbability(new float[SAMPLE_RATE]);
    }

    /** The model file this instance was loaded from. */
    public Path modelFile() {
        return modelFile;
    }

    /** Releases the ONNX Runtime session; the model cannot be used afterwards. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the Smart Turn v3 session failed: " + e.getMessage(), e);
        }
    }

    /** Loads Smart Turn v3 from a file the user provides. */
    public static final class Builder {

        private final Path modelFile;
        private int threads = 1;

        private Builder(Path modelFile) {
            this.modelFile = Objects.requireNonNull(modelFile, "modelFile");
        }

        /**
         * Inference threads per call (default 1, as Pipecat runs it): more shortens one call on an
         * idle machine, one lets concurrent connections use the cores side by side.
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Loads the model (the file is read now).
         *
         * @throws IllegalArgumentException naming the file if it is missing or unreadable, is not an
         *     ONNX model, or does not have Smart Turn v3's input and output
         */
        public SmartTurnV3 build() {
            return new SmartTurnV3(this);
        }
    }
}
