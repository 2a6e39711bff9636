package io.fastrtc.audio;

import io.fastrtc.handler.Emit;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A piece of audio: 16-bit PCM samples at one sample rate, mono or interleaved stereo
 * ({@code L R L R ...}). It is what audio handlers receive and emit, the Java form of FastRTC's
 * {@code (sample_rate, ndarray)} tuples.
 *
 * <p>PCM16 is the storage format because it is what every transport carries (WebRTC, µ-law
 * telephony, WAV, TTS byte streams); float views are computed on demand with FastRTC's scaling
 * ({@link Pcm}). Frames are immutable: factories copy their input and transformations return new
 * frames, so a frame can be queued, shared between threads and kept indefinitely.
 */
public final class AudioFrame implements Emit {

    /** Lowest accepted rate: narrow-band telephony. */
    public static final int MIN_SAMPLE_RATE = 8000;
    /** Highest accepted rate: studio audio; anything above is almost certainly a units mistake. */
    public static final int MAX_SAMPLE_RATE = 192000;

    private final int sampleRate;
    private final int channels;
    private final short[] samples;

    private AudioFrame(int sampleRate, int channels, short[] samples) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.samples = samples;
    }

    /** Takes ownership of {@code samples} without copying; for arrays this package just created. */
    static AudioFrame wrap(int sampleRate, int channels, short[] samples) {
        checkFormat(sampleRate, channels);
        Objects.requireNonNull(samples, "samples");
        if (samples.length % channels != 0) {
            throw new IllegalArgumentException("interleaved stereo needs an even number of samples, got "
                    + samples.length + "; pass channels=1 for mono audio");
        }
        return new AudioFrame(sampleRate, channels, samples);
    }

    /** A frame holding a copy of {@code samples} (interleaved when {@code channels == 2}). */
    public static AudioFrame ofPcm16(int sampleRate, int channels, short[] samples) {
        return wrap(sampleRate, channels, Objects.requireNonNull(samples, "samples").clone());
    }

    /**
     * A frame from float samples in [-1, 1] (FastRTC's float32 output), converted with
     * {@link Pcm#toInt16(float[])}: out-of-range values are clipped.
     */
    public static AudioFrame ofFloat(int sampleRate, int channels, float[] samples) {
        return wrap(sampleRate, channels, Pcm.toInt16(samples));
    }

    /**
     * A frame from little-endian PCM16 bytes.
     *
     * @throws IllegalArgumentException if the byte count is odd or does not hold whole stereo frames
     */
    public static AudioFrame fromBytes(int sampleRate, int channels, byte[] littleEndianPcm16) {
        checkFormat(sampleRate, channels);
        return wrap(sampleRate, channels, Pcm.fromLittleEndian(littleEndianPcm16));
    }

    /** {@code millis} milliseconds of silence (rounded to whole samples). */
    public static AudioFrame silence(int sampleRate, int channels, double millis) {
        checkFormat(sampleRate, channels);
        if (!(millis >= 0)) {
            throw new IllegalArgumentException("silence duration must be >= 0 ms, got " + millis);
        }
        long perChannel = Math.round(millis * sampleRate / 1000.0);
        if (perChannel * channels > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("silence of " + millis + " ms does not fit in one frame");
        }
        return new AudioFrame(sampleRate, channels, new short[(int) perChannel * channels]);
    }

    /**
     * Checks a format before any work is done, so a wrong argument order (channels and rate swapped,
     * kHz instead of Hz) fails with a message instead of producing noise.
     */
    static void checkFormat(int sampleRate, int channels) {
        if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("sample rate must be between " + MIN_SAMPLE_RATE + " and "
                    + MAX_SAMPLE_RATE + " Hz, got " + sampleRate);
        }
        checkChannels(channels);
    }

    static void checkChannels(int channels) {
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("channels must be 1 (mono) or 2 (stereo), got " + channels);
        }
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    /** Number of sample instants (a stereo frame of 960 samples per channel holds 1920 shorts). */
    public int samplesPerChannel() {
        return samples.length / channels;
    }

    public boolean isEmpty() {
        return samples.length == 0;
    }

    public double durationMillis() {
        return samplesPerChannel() * 1000.0 / sampleRate;
    }

    /** Read-only view of the interleaved samples. */
    public ShortBuffer samples() {
        return ShortBuffer.wrap(samples).asReadOnlyBuffer();
    }

    /** One sample: {@code index} counts sample instants, {@code channel} is 0 (left/mono) or 1 (right). */
    public short sample(int index, int channel) {
        Objects.checkIndex(channel, channels);
        Objects.checkIndex(index, samplesPerChannel());
        return samples[index * channels + channel];
    }

    /** The backing array, for read-only use inside this package (saves a copy per 20 ms frame). */
    short[] rawSamples() {
        return samples;
    }

    /** A copy of the interleaved samples. */
    public short[] toPcm16() {
        return samples.clone();
    }

    /** The interleaved samples as floats, {@code x / 32768} like FastRTC's {@code audio_to_float32}. */
    public float[] toFloat() {
        return Pcm.toFloat32(samples);
    }

    /** The interleaved samples as little-endian PCM16 bytes. */
    public byte[] toBytes() {
        return Pcm.toLittleEndian(samples);
    }

    /** Mono by averaging left and right (rounded toward zero); a mono frame is returned as is. */
    public AudioFrame toMono() {
        if (channels == 1) {
            return this;
        }
        short[] out = new short[samples.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) ((samples[2 * i] + samples[2 * i + 1]) / 2);
        }
        return new AudioFrame(sampleRate, 1, out);
    }

    /** Stereo by copying the mono channel to both sides; a stereo frame is returned as is. */
    public AudioFrame toStereo() {
        if (channels == 2) {
            return this;
        }
        short[] out = new short[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = samples[i];
            out[2 * i + 1] = samples[i];
        }
        return new AudioFrame(sampleRate, 2, out);
    }

    /** {@link #toMono()} or {@link #toStereo()}. */
    public AudioFrame toChannels(int targetChannels) {
        checkFormat(sampleRate, targetChannels);
        return targetChannels == 1 ? toMono() : toStereo();
    }

    /**
     * This audio at another rate, band-limited (see {@link Resampler}). For audio that arrives in
     * pieces use one {@link Resampler} for the whole stream instead: resampling pieces separately
     * puts a small discontinuity at every boundary.
     */
    public AudioFrame resample(int targetRate) {
        return Resampler.resample(this, targetRate);
    }

    /** The sample instants {@code [from, to)}. */
    public AudioFrame slice(int from, int to) {
        Objects.checkFromToIndex(from, to, samplesPerChannel());
        return new AudioFrame(sampleRate, channels, Arrays.copyOfRange(samples, from * channels, to * channels));
    }

    /** This audio followed by {@code next}, which must have the same rate and channel count. */
    public AudioFrame concat(AudioFrame next) {
        Objects.requireNonNull(next, "next");
        if (next.sampleRate != sampleRate || next.channels != channels) {
            throw new IllegalArgumentException("cannot concatenate " + next.format() + " audio to " + format()
                    + " audio; convert it first with resample(...) / toChannels(...)");
        }
        short[] out = Arrays.copyOf(samples, samples.length + next.samples.length);
        System.arraycopy(next.samples, 0, out, samples.length, next.samples.length);
        return new AudioFrame(sampleRate, channels, out);
    }

    /** Same format, content and length. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AudioFrame f && f.sampleRate == sampleRate && f.channels == channels
                && Arrays.equals(f.samples, samples);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * sampleRate + channels) + Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return "AudioFrame[" + format() + ", " + samplesPerChannel() + " samples, "
                + String.format(java.util.Locale.ROOT, "%.1f", durationMillis()) + " ms]";
    }

    private String format() {
        return sampleRate + " Hz " + (channels == 1 ? "mono" : "stereo");
    }
}
