package io.fastrtc.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * Band-limited sample-rate converter for a continuous stream (Kaiser-windowed sinc, polyphase).
 * It keeps the filter history between calls, so audio fed in 20 ms pieces comes out exactly as if
 * the whole stream had been converted at once: no clicks at chunk boundaries, no drift. Output
 * timing is exact: the position is tracked as a fraction of whole input samples, never as a float.
 *
 * <p>Quality is aimed at speech and the roles librosa/soxr play in FastRTC: passband flat to 91% of
 * the lower Nyquist frequency, at least 100 dB rejection from that Nyquist frequency up, so
 * nothing above it folds back (aliases) into the audible band. The filter looks {@link #delay()}
 * input samples ahead, about 72 samples of the lower rate (4.5 ms at 16 kHz, 1.6 ms at 44.1 kHz);
 * that much audio is held back until more input or {@link #flush()} arrives. Output is aligned
 * with the input (no added delay at the start) and has {@code ceil(inputSamples * outRate / inRate)}
 * samples in total, like librosa's.
 *
 * <p>Not thread-safe: use one instance per stream. The filter tables are shared and cached.
 */
public final class Resampler {

    private final int inRate;
    private final int outRate;
    private final int channels;
    private final PolyphaseFilter filter;

    /** Input history, interleaved; {@code history[0]} is the input sample instant {@code historyStart}. */
    private double[] history;
    private int historyFrames;
    private long historyStart;
    /** Position of the next output sample in input samples: {@code inputIndex + phase / up}. */
    private long inputIndex;
    private long phase;
    private long inputCount;
    private long outputCount;
    /** A whole-number ratio's outputs before rounding ({@link PolyphaseFilter#convert}), reused between calls. */
    private double[] converted = new double[0];

    /**
     * A converter from {@code inRate} to {@code outRate} for {@code channels} interleaved channels.
     *
     * @throws IllegalArgumentException for a rate outside 8000..192000 Hz or channels other than 1, 2
     */
    public Resampler(int inRate, int outRate, int channels) {
        AudioFrame.checkFormat(inRate, channels);
        AudioFrame.checkFormat(outRate, channels);
        this.inRate = inRate;
        this.outRate = outRate;
        this.channels = channels;
        this.filter = inRate == outRate ? null : PolyphaseFilter.forRates(inRate, outRate);
        reset();
    }

    /** One-shot conversion of a whole clip (a fresh resampler, flushed at the end). */
    public static AudioFrame resample(AudioFrame frame, int targetRate) {
        Objects.requireNonNull(frame, "frame");
        if (frame.sampleRate() == targetRate) {
            return frame;
        }
        Resampler resampler = new Resampler(frame.sampleRate(), targetRate, frame.channels());
        return resampler.process(frame).concat(resampler.flush());
    }

    public int inRate() {
        return inRate;
    }

    public int outRate() {
        return outRate;
    }

    public int channels() {
        return channels;
    }

    /** How many input samples (per channel) the filter needs beyond an output instant; 0 when rates match. */
    public int delay() {
        return filter == null ? 0 : filter.halfLength;
    }

    /**
     * Converts the next piece of the stream. Returns the output that is complete so far (possibly
     * empty); the last {@link #delay()} input samples are only used once more input arrives.
     *
     * @throws IllegalArgumentException if the frame's rate or channel count differs from this converter's
     */
    public AudioFrame process(AudioFrame input) {
        Objects.requireNonNull(input, "input");
        if (input.sampleRate() != inRate || input.channels() != channels) {
            throw new IllegalArgumentException("this resampler converts " + inRate + " Hz with " + channels
                    + " channel(s), got " + input + "; create a Resampler for that format");
        }
        if (filter == null) {
            return input;
        }
        append(input.rawSamples());
        inputCount += input.samplesPerChannel();
        return AudioFrame.wrap(outRate, channels, produce(Long.MAX_VALUE));
    }

    /**
     * Ends the stream: returns the held-back tail (as if silence followed) and resets the converter
     * so the next {@link #process} starts a new stream.
     */
    public AudioFrame flush() {
        if (filter == null) {
            return AudioFrame.wrap(outRate, channels, new short[0]);
        }
        append(new short[filter.halfLength * channels]);
        long total = ceilDiv(inputCount * filter.up, filter.down);
        short[] tail = produce(total);
        reset();
        return AudioFrame.wrap(outRate, channels, tail);
    }

    /** Forgets all buffered input (e.g. the pending reply on barge-in) and starts a new stream. */
    public void reset() {
        int lookBehind = filter == null ? 0 : filter.halfLength - 1;
        history = new double[Math.max(1, 2 * lookBehind * channels)];
        historyFrames = lookBehind;
        historyStart = -lookBehind;
        inputIndex = 0;
        phase = 0;
        inputCount = 0;
        outputCount = 0;
    }

    private void append(short[] interleaved) {
        int frames = interleaved.length / channels;
        int needed = (historyFrames + frames) * channels;
        if (needed > history.length) {
            history = Arrays.copyOf(history, Math.max(needed, 2 * history.length));
        }
        int offset = historyFrames * channels;
        for (int i = 0; i < interleaved.length; i++) {
            history[offset + i] = interleaved[i];
        }
        historyFrames += frames;
    }

    /** Computes every output whose filter window is fully buffered, up to {@code limit} outputs in total. */
    private short[] produce(long limit) {
        int half = filter.halfLength;
        long lastComputable = historyStart + historyFrames - 1 - half;
        long bound = Math.max(0, (lastComputable - inputIndex + 1) * filter.up / filter.down + 1);
        int capacity = (int) Math.min(bound, limit - outputCount);
        short[] out = new short[capacity * channels];
        int n = 0;
        if (channels == 1 && filter.wholeRatio() && capacity > 0 && inputIndex <= lastComputable) {
            long span = lastComputable - inputIndex;
            long computable = filter.up == 1 ? span / filter.down + 1 : (span + 1) * filter.up - phase;
            n = (int) Math.min(capacity, computable);
            converted = converted.length == n ? converted : new double[n];
            filter.convert(history, (int) (inputIndex - half + 1 - historyStart), (int) phase, converted);
            for (int i = 0; i < n; i++) {
                out[i] = toShort(converted[i]);
            }
            phase += (long) n * filter.down;
            inputIndex += phase / filter.up;
            phase %= filter.up;
        }
        while (n < capacity && inputIndex <= lastComputable) {
            int first = (int) (inputIndex - half + 1 - historyStart);
            for (int c = 0; c < channels; c++) {
                out[n * channels + c] = toShort(filter.apply(history, first, channels, c, phase));
            }
            n++;
            phase += filter.down;
            inputIndex += phase / filter.up;
            phase %= filter.up;
        }
        outputCount += n;
        discardBefore(inputIndex - half + 1);
        return n == capacity ? out : Arrays.copyOf(out, n * channels);
    }

    private void discardBefore(long instant) {
        int drop = (int) Math.min(historyFrames, Math.max(0, instant - historyStart));
        System.arraycopy(history, drop * channels, history, 0, (historyFrames - drop) * channels);
        historyFrames -= drop;
        historyStart += drop;
    }

    private static short toShort(double value) {
        long rounded = Math.round(value);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, rounded));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
