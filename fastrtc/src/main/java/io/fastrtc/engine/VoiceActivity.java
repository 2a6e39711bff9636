package io.fastrtc.engine;

import dev.onvoid.webrtc.media.audio.VoiceActivityDetector;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Resampler;

/**
 * libwebrtc's built-in voice activity detector, made safe to call with any audio. The native
 * detector accepts only 10 ms mono frames at 8, 16, 32 or 48 kHz and aborts the JVM on anything
 * else (a failed native CHECK), so this class feeds it exact 10 ms mono frames at the rate of the
 * first audio it is given when the detector accepts that rate (so a phone call's 8 kHz costs no
 * resampling in Java; libwebrtc converts to its working rate natively), else at 16 kHz;
 * later audio at another rate is resampled to that rate. A partial frame at the end is kept for the
 * next call.
 *
 * <p>Not thread-safe: use one instance per stream of audio.
 */
public final class VoiceActivity implements AutoCloseable {

    private static final int DEFAULT_RATE = 16000;

    private final VoiceActivityDetector detector;
    /** The rate fed to the detector, chosen by the first audio; 0 before it. */
    private int rate;
    private short[] pending;
    private byte[] bytes;
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
        if (rate == 0) {
            rate = switch (mono.sampleRate()) {
                case 8000, 16000, 32000, 48000 -> mono.sampleRate();
                default -> DEFAULT_RATE;
            };
            pending = new short[rate / 100];
            bytes = new byte[rate / 50];
        }
        if (mono.sampleRate() != rate) {
            if (resampler == null || resampler.inRate() != mono.sampleRate()) {
                resampler = new Resampler(mono.sampleRate(), rate, 1);
            }
            mono = resampler.process(mono);
        }
        int frame = pending.length;
        short[] samples = mono.toPcm16();
        float[] out = new float[(pendingLength + samples.length) / frame];
        int produced = 0;
        for (short s : samples) {
            pending[pendingLength++] = s;
            if (pendingLength == frame) {
                for (int i = 0; i < frame; i++) {
                    bytes[2 * i] = (byte) pending[i];
                    bytes[2 * i + 1] = (byte) (pending[i] >> 8);
                }
                detector.process(bytes, frame, rate);
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
