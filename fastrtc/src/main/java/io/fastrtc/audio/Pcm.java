package io.fastrtc.audio;

import java.util.Objects;

/**
 * Sample-format conversions with FastRTC's exact scaling, so values that cross the Python/Java
 * boundary (tests, recorded fixtures, models trained on FastRTC output) come out identical.
 *
 * <p>int16 to float divides by 32768 ({@code audio_to_float32}); float to int16 multiplies by
 * 32767 and truncates toward zero ({@code audio_to_int16}), so -1, 0, 1 map to -32767, 0, 32767.
 * Unlike FastRTC, out-of-range floats are clipped to [-1, 1] first instead of wrapping around
 * (in FastRTC, {@code (1.5 * 32767).astype(int16)} overflows to a loud negative click).
 * NaN becomes 0.
 */
public final class Pcm {

    private Pcm() {
    }

    /** One int16 sample as float in [-1, 1): {@code x / 32768}. */
    public static float toFloat32(short sample) {
        return sample / 32768.0f;
    }

    /** One float sample as int16: clipped to [-1, 1], times 32767, truncated toward zero. */
    public static short toInt16(float sample) {
        float clipped = sample > 1f ? 1f : (sample < -1f ? -1f : sample);
        return (short) (clipped * 32767.0f);
    }

    /** FastRTC's {@code audio_to_float32}: every sample divided by 32768. */
    public static float[] toFloat32(short[] samples) {
        Objects.requireNonNull(samples, "samples");
        float[] out = new float[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = toFloat32(samples[i]);
        }
        return out;
    }

    /** FastRTC's {@code audio_to_int16}, with clipping (see the class comment). */
    public static short[] toInt16(float[] samples) {
        Objects.requireNonNull(samples, "samples");
        short[] out = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = toInt16(samples[i]);
        }
        return out;
    }

    /**
     * Little-endian PCM16 bytes (the byte order of WAV, WebRTC and every common TTS API) as samples.
     *
     * @throws IllegalArgumentException if the byte count is odd, i.e. the data ends inside a sample
     */
    public static short[] fromLittleEndian(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if ((bytes.length & 1) != 0) {
            throw new IllegalArgumentException("PCM16 data must have an even number of bytes, got " + bytes.length
                    + "; for a stream cut at arbitrary points use Pcm16Aggregator");
        }
        return fromLittleEndian(bytes, 0, bytes.length / 2);
    }

    static short[] fromLittleEndian(byte[] bytes, int offset, int sampleCount) {
        short[] out = new short[sampleCount];
        for (int i = 0; i < sampleCount; i++) {
            int p = offset + 2 * i;
            out[i] = (short) ((bytes[p] & 0xff) | (bytes[p + 1] << 8));
        }
        return out;
    }

    /** Samples as little-endian PCM16 bytes. */
    public static byte[] toLittleEndian(short[] samples) {
        Objects.requireNonNull(samples, "samples");
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }
}
