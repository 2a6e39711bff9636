package io.fastrtc.engine;

import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import io.fastrtc.audio.AudioFrame;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Incoming audio of one remote track, as 10 ms frames (libwebrtc delivers 48 kHz mono from its
 * decoder). The sink runs on the audio module's single thread, shared by every connection, so it
 * only converts and queues. Audio is never dropped while the consumer keeps up; a consumer more
 * than {@value #CAPACITY} frames (10 s) behind loses the oldest.
 */
public final class AudioInput {

    static final int CAPACITY = 1000;

    private final AudioTrack track;
    private final ArrayBlockingQueue<AudioFrame> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AudioTrackSink sink = this::onData;
    private volatile boolean closed;

    AudioInput(AudioTrack track) {
        this.track = track;
        track.addSink(sink);
    }

    private void onData(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
        NativeCallbacks.guard("audio sink", () -> {
            if (closed || bitsPerSample != 16 || frames <= 0 || channels < 1 || channels > 2) {
                return;
            }
            int bytes = frames * channels * 2;
            if (data.length < bytes) {
                throw new IllegalArgumentException("the audio sink got " + data.length + " bytes for " + frames
                        + " frames of " + channels + " channel(s)");
            }
            // Converted straight into the frame's samples, without a second copy.
            AudioFrame frame = AudioFrame.fromBytes(sampleRate, channels,
                    data.length == bytes ? data : Arrays.copyOf(data, bytes));
            received.incrementAndGet();
            while (!queue.offer(frame)) {
                if (queue.poll() != null) {
                    dropped.incrementAndGet();
                }
            }
        });
    }

    /** The next 10 ms frame, waiting up to {@code timeout}; null on timeout or once closed. */
    public AudioFrame take(long timeout, TimeUnit unit) throws InterruptedException {
        return closed ? null : queue.poll(timeout, unit);
    }

    /** Frames that arrived from the network. */
    public long received() {
        return received.get();
    }

    /** Frames lost because the consumer fell more than 10 s behind. */
    public long dropped() {
        return dropped.get();
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        track.removeSink(sink);
        queue.clear();
    }
}
