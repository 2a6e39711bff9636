package io.fastrtc.audio;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Turns a PCM16 byte stream cut at arbitrary points (HTTP TTS responses, socket reads) into whole
 * samples: FastRTC's {@code aggregate_bytes_to_16bit}. A trailing partial sample is kept and
 * completed by the next chunk, so no byte is lost or misaligned. For stereo it keeps whole frames
 * (left and right), carrying up to 3 bytes.
 *
 * <p>Not thread-safe: one instance per byte stream.
 */
public final class Pcm16Aggregator {

    private final int channels;
    private final int bytesPerFrame;
    private final byte[] pending;
    private int pendingBytes;

    /** A mono aggregator (carries at most one byte). */
    public Pcm16Aggregator() {
        this(1);
    }

    public Pcm16Aggregator(int channels) {
        AudioFrame.checkChannels(channels);
        this.channels = channels;
        this.bytesPerFrame = 2 * channels;
        this.pending = new byte[bytesPerFrame - 1];
    }

    /**
     * FastRTC's generator form: every chunk's whole samples, skipping chunks that complete none. A
     * partial sample left at the end of the stream is dropped, as in FastRTC.
     */
    public static Iterator<short[]> aggregate(Iterator<byte[]> chunks) {
        Objects.requireNonNull(chunks, "chunks");
        Pcm16Aggregator aggregator = new Pcm16Aggregator();
        return new Iterator<>() {
            private short[] next;

            @Override
            public boolean hasNext() {
                while (next == null && chunks.hasNext()) {
                    short[] samples = aggregator.push(chunks.next());
                    next = samples.length == 0 ? null : samples;
                }
                return next != null;
            }

            @Override
            public short[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                short[] result = next;
                next = null;
                return result;
            }
        };
    }

    /** The whole samples (interleaved for stereo) completed by this chunk; empty if none. */
    public short[] push(byte[] chunk) {
        Objects.requireNonNull(chunk, "chunk");
        byte[] joined = new byte[pendingBytes + chunk.length];
        System.arraycopy(pending, 0, joined, 0, pendingBytes);
        System.arraycopy(chunk, 0, joined, pendingBytes, chunk.length);
        int whole = joined.length - joined.length % bytesPerFrame;
        pendingBytes = joined.length - whole;
        System.arraycopy(joined, whole, pending, 0, pendingBytes);
        return Pcm.fromLittleEndian(joined, 0, whole / 2);
    }

    /** {@link #push} as an audio frame at {@code sampleRate} (empty if the chunk completed no sample). */
    public AudioFrame pushFrame(int sampleRate, byte[] chunk) {
        AudioFrame.checkFormat(sampleRate, channels);
        return AudioFrame.wrap(sampleRate, channels, push(chunk));
    }

    /** Bytes of an incomplete sample (or stereo frame) waiting for the next chunk. */
    public int pendingBytes() {
        return pendingBytes;
    }

    /** Drops the incomplete sample, e.g. when the stream is abandoned. */
    public void reset() {
        pendingBytes = 0;
    }
}
