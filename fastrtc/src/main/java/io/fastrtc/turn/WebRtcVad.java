package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Resampler;
import io.fastrtc.engine.VoiceActivity;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link PauseDetectionModel}: libwebrtc's voice activity detector, which ships with
 * the WebRTC stack (no model download). It rates audio at 16 kHz in 30 ms blocks; those
 * probabilities go through FastRTC's segmentation ({@link SpeechTimestamps}) so {@link #vad}
 * answers like FastRTC's Silero model does. It is a classic signal-processing detector, less
 * selective than Silero: steady tones and some music count as speech.
 *
 * <p>The native detector is fed 10 ms frames but analyses them three at a time: after the third
 * frame of a block it reports that block's probability, after the other two it repeats the
 * previous value, and before the first block it reports a placeholder 1.0. Only the fresh values
 * are used here; the placeholder would otherwise make every short clip look like speech.
 *
 * <p>Thread-safe: every {@link #vad} call uses its own native detector (fresh state per call, as
 * FastRTC resets Silero's state per call).
 */
public final class WebRtcVad implements PauseDetectionModel {

    /** The rate of the analysis and of the reported segments. */
    public static final int SAMPLE_RATE = 16000;
    /** 10 ms frames per analysis block. */
    private static final int FRAMES_PER_BLOCK = 3;
    /** Samples per probability: 30 ms. */
    public static final int WINDOW_SAMPLES = FRAMES_PER_BLOCK * SAMPLE_RATE / 100;

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcVad.class);

    private final VadOptions options;

    /** With FastRTC's default options (the window size does not apply: this detector uses 30 ms). */
    private static final WebRtcVad SHARED = new WebRtcVad();

    /** The instance {@link ReplyOnPause} uses by default; it is stateless and thread-safe. */
    public static WebRtcVad shared() {
        return SHARED;
    }

    public WebRtcVad() {
        this(VadOptions.DEFAULTS);
    }

    public WebRtcVad(VadOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public VadOptions options() {
        return options;
    }

    @Override
    public SpeechResult vad(AudioFrame audio) {
        Objects.requireNonNull(audio, "audio");
        try {
            AudioFrame mono = Resampler.resample(audio.toMono(), SAMPLE_RATE);
            return SpeechTimestamps.find(analyse(mono), WINDOW_SAMPLES, mono.samplesPerChannel(), SAMPLE_RATE,
                    options);
        } catch (RuntimeException e) {
            LOG.warn("voice activity detection failed; counting the audio as speech", e);
            return SpeechResult.failed(SAMPLE_RATE);
        }
    }

    /**
     * The speech probability of every 30 ms block of {@code audio} (converted to 16 kHz mono),
     * analysed with fresh state; a partial last block is zero-padded, as FastRTC pads its last window.
     */
    public static float[] probabilities(AudioFrame audio) {
        return analyse(Resampler.resample(audio.toMono(), SAMPLE_RATE));
    }

    private static float[] analyse(AudioFrame mono16k) {
        int partial = mono16k.samplesPerChannel() % WINDOW_SAMPLES;
        AudioFrame padded = partial == 0 ? mono16k
                : mono16k.concat(AudioFrame.ofPcm16(SAMPLE_RATE, 1, new short[WINDOW_SAMPLES - partial]));
        float[] frames;
        try (VoiceActivity detector = new VoiceActivity()) {
            frames = detector.process(padded);
        }
        float[] blocks = new float[frames.length / FRAMES_PER_BLOCK];
        for (int k = 0; k < blocks.length; k++) {
            blocks[k] = frames[FRAMES_PER_BLOCK * k + FRAMES_PER_BLOCK - 1];
        }
        return blocks;
    }

    /** Follows a stream with one native detector; its probability is that of the latest 30 ms block. */
    @Override
    public SpeechDetector streamingDetector() {
        return new Streaming();
    }

    @Override
    public void warmup() {
        // Loads libwebrtc, which otherwise happens on the first connection.
        vad(AudioFrame.silence(SAMPLE_RATE, 1, 100));
    }

    private static final class Streaming implements SpeechDetector {

        private VoiceActivity detector = new VoiceActivity();
        /** 10 ms frames analysed since the last reset; every third one completes a block. */
        private long frames;

        @Override
        public float process(AudioFrame audio) {
            float latest = -1;
            for (float p : detector.process(audio)) {
                if (++frames % FRAMES_PER_BLOCK == 0) {
                    latest = p;
                }
            }
            return latest;
        }

        @Override
        public void reset() {
            detector.close();
            detector = new VoiceActivity();
            frames = 0;
        }

        @Override
        public void close() {
            detector.close();
        }
    }
}
