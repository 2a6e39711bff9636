package io.fastrtc.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The re-framing step of the audio output pipeline: handlers emit audio of any length, rate and
 * channel count, while a WebRTC audio track must be fed exact 20 ms frames ({@code rate / 50}
 * samples) of one format. This is FastRTC's {@code player_worker_decode} + {@code av.AudioResampler}
 * stage: it converts every piece to the target format with one continuous {@link Resampler} (so a
 * reply streamed in many chunks has no seams), and keeps the remainder that does not fill a frame.
 *
 * <p>Thread-safe, because {@link #clear()} is called on barge-in from the input side while the
 * output pump is pushing.
 */
public final class AudioChunker {

    private final int sampleRate;
    private final int channels;
    private final int frameLength;
    /** Converter for the current input format; replaced (after flushing) when the handler switches formats. */
    private Resampler resampler;
    /** Converted audio not yet cut into frames, interleaved in the target format. */
    private short[] pending = new short[0];
    private int pendingLength;

    /**
     * A chunker producing 20 ms frames at {@code sampleRate} with {@code channels} channels.
     *
     * @throws IllegalArgumentException if the rate is not a multiple of 50 (20 ms must be whole samples)
     */
    public AudioChunker(int sampleRate, int channels) {
        this(sampleRate, channels, 20);
    }

    /**
     * A chunker producing frames of {@code frameMillis} (10 or 20) ms.
     *
     * @throws IllegalArgumentException if a frame would not be whole samples at the rate
     */
    public AudioChunker(int sampleRate, int channels, int frameMillis) {
        AudioFrame.checkFormat(sampleRate, channels);
        if (frameMillis != 10 && frameMillis != 20) {
            throw new IllegalArgumentException("frames are 10 or 20 ms, got " + frameMillis);
        }
        int perSecond = 1000 / frameMillis;
        if (sampleRate % perSecond != 0) {
            throw new IllegalArgumentException("output sample rate must be a multiple of " + perSecond + ", got "
                    + sampleRate);
        }
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.frameLength = sampleRate / perSecond * channels;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    /** Samples per channel in every emitted frame ({@code sampleRate / 50} for 20 ms). */
    public int samplesPerFrame() {
        return frameLength / channels;
    }

    /** Converts {@code audio} and returns the frames (20 ms unless asked for 10) completed so far (possibly none). */
    public synchronized List<AudioFrame> push(AudioFrame audio) {
        Objects.requireNonNull(audio, "audio");
        // Downmix before and upmix after resampling, so the resampler works on as few channels as possible.
        int working = Math.min(audio.channels(), channels);
        AudioFrame input = audio.toChannels(working);
        if (resampler == null || resampler.inRate() != input.sampleRate() || resampler.channels() != working) {
            if (resampler != null) {
                append(resampler.flush());
            }
            resampler = new Resampler(input.sampleRate(), sampleRate, working);
        }
        append(resampler.process(input));
        return cutFrames();
    }

    /**
     * Ends the current audio (e.g. the reply is complete): returns the remaining frames, the last
     * one padded with silence to a full frame. The next push starts afresh.
     */
    public synchronized List<AudioFrame> flush() {
        if (resampler != null) {
            append(resampler.flush());
            resampler = null;
        }
        if (pendingLength % frameLength != 0) {
            int padded = (pendingLength / frameLength + 1) * frameLength;
            ensureCapacity(padded);
            Arrays.fill(pending, pendingLength, padded, (short) 0);
            pendingLength = padded;
        }
        return cutFrames();
    }

    /** Drops all pending audio without emitting it (barge-in: the user spoke over the reply). */
    public synchronized void clear() {
        resampler = null;
        pendingLength = 0;
    }

    private void append(AudioFrame converted) {
        short[] samples = converted.toChannels(channels).rawSamples();
        ensureCapacity(pendingLength + samples.length);
        System.arraycopy(samples, 0, pending, pendingLength, samples.length);
        pendingLength += samples.length;
    }

    private void ensureCapacity(int length) {
        if (length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(length, 2 * pending.length));
        }
    }

    private List<AudioFrame> cutFrames() {
        int count = pendingLength / frameLength;
        List<AudioFrame> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(AudioFrame.wrap(sampleRate, channels,
                    Arrays.copyOfRange(pending, i * frameLength, (i + 1) * frameLength)));
        }
        int consumed = count * frameLength;
        System.arraycopy(pending, consumed, pending, 0, pendingLength - consumed);
        pendingLength -= consumed;
        return frames;
    }
}
