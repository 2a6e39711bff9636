package io.fastrtc.engine;

import dev.onvoid.webrtc.media.audio.VoiceActivityDetector;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Resampler;

/**
 * libwebrtc's built-in voice activity detector, made safe to call with any audio. The native
 * detector accepts only 10 ms mono frames at 8, 16, 32 or 48 kHz and aborts the JVM on anything
 * else (a failed native CHECK), so this class converts every input to 16 kHz mono and feeds it in
 * exact 160-sample frames; a partial frame at the end is kept for the next call.
 *
 * <p>Not thread-safe: use one instance per stream of audio.
 */
public final class VoiceActivity implements AutoCloseable {

    private static final int RATE = 16000;
    private static final int FRAME = RATE / 100;

    private final VoiceActivityDetector detector;
    private final short[] pending = new short[FRAME];
    private final byte[] bytes = new byte[FRAME * 2];
    private int pendingLength;
    private Resampler resampler;
    private boolean closed;

    public VoiceActivity() {
        RtcEngine.loadNative();
        detector = new VoiceActivityDetector();
    }

    /**
     * Speech probability (0..1) of each complete 10 ms frame in {@code audio}, after what was
     * left over from the previous call.
     */
    public float[] process(AudioFrame audio) {
        if (closed) {
            throw new IllegalStateException("VoiceActivity is closed");
        }
        AudioFrame mono = audio.channels() == 1 ? audio : audio.toMono();
        if (mono.sampleRate() != RATE) {
            if (resampler == null || resampler.inRate() != mono.sampleRate()) {
                resampler = new Resampler(mono.sampleRate(), RATE, 1);
            }
            mono = resampler.process(mono);
        }
        short[] samples = mono.toPcm16();
        float[] out = new float[(pendingLength + samples.length) / FRAME];
        int produced = 0;
        for (short s : samples) {
            pending[pendingLength++] = s;
            if (pendingLength == FRAME) {
                for (int i = 0; i < FRAME; i++) {
                    bytes[2 * i] = (byte) pending[i];
                    bytes[2 * i + 1] = (byte) (pending[i] >> 8);
                }
                detector.process(bytes, FRAME, RATE);
                out[produced++] = detector.getLastVoiceProbability();
                pendingLength = 0;
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            detector.dispose();
        }
    }
}
