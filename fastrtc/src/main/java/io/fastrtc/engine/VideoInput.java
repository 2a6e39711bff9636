package io.fastrtc.engine;

import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrameBuffer;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Incoming video of one remote track, handed over latest-frame-wins: the network thread parks the
 * newest native frame in a single slot (releasing the one it displaces) and the consumer takes it
 * when ready. A slow consumer therefore drops frames instead of queueing seconds of video, and
 * with a maximum age it never gets a frame that waited longer than that (a stalled sender's last
 * frame, seen after a long handler call).
 */
public final class VideoInput {

    private final VideoTrack track;
    private final AtomicReference<Parked> latest = new AtomicReference<>();
    private final Object signal = new Object();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final VideoTrackSink sink = this::onFrame;
    private volatile boolean closed;

    VideoInput(VideoTrack track) {
        this.track = track;
        track.addSink(sink);
    }

    private void onFrame(dev.onvoid.webrtc.media.video.VideoFrame frame) {
        NativeCallbacks.guard("video sink", () -> {
            if (closed) {
                frame.release();
                return;
            }
            received.incrementAndGet();
            Parked previous = latest.getAndSet(new Parked(frame, System.nanoTime()));
            if (previous != null) {
                previous.frame().release();
                dropped.incrementAndGet();
            }
            if (closed) {
                releasePending();
            }
            synchronized (signal) {
                signal.notifyAll();
            }
        });
    }

    /** A native frame waiting for the consumer, with when it arrived ({@code System.nanoTime()}). */
    private record Parked(dev.onvoid.webrtc.media.video.VideoFrame frame, long arrivedNanos) {
    }

    /**
     * Waits up to {@code timeout} for a frame and copies it into the heap. Returns {@code null} on
     * timeout or once closed.
     */
    public io.fastrtc.video.VideoFrame take(long timeout, TimeUnit unit) throws InterruptedException {
        return take(timeout, unit, Long.MAX_VALUE);
    }

    /**
     * {@link #take(long, TimeUnit)}, releasing instead of returning a frame that arrived more than
     * {@code maxAgeNanos} ago (counted in {@link #stale()}).
     */
    public io.fastrtc.video.VideoFrame take(long timeout, TimeUnit unit, long maxAgeNanos) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!closed) {
            Parked parked = latest.getAndSet(null);
            if (parked != null && System.nanoTime() - parked.arrivedNanos() > maxAgeNanos) {
                parked.frame().release();
                stale.incrementAndGet();
            } else if (parked != null) {
                return copyAndRelease(parked.frame());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            synchronized (signal) {
                if (latest.get() == null && !closed) {
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                }
            }
        }
        return null;
    }

    private static io.fastrtc.video.VideoFrame copyAndRelease(dev.onvoid.webrtc.media.video.VideoFrame frame) {
        try {
            VideoFrameBuffer buffer = frame.buffer;
            I420Buffer i420 = buffer.toI420();
            try {
                return io.fastrtc.video.VideoFrame.copyOf(i420.getWidth(), i420.getHeight(), i420.getDataY(),
                        i420.getStrideY(), i420.getDataU(), i420.getStrideU(), i420.getDataV(), i420.getStrideV(),
                        frame.timestampNs / 1000);
            } finally {
                if (i420 != buffer) {
                    i420.release();
                }
            }
        } finally {
            frame.release();
        }
    }

    /** Frames that arrived from the network. */
    public long received() {
        return received.get();
    }

    /** Frames replaced by a newer one before the consumer took them. */
    public long dropped() {
        return dropped.get();
    }

    /** Frames released unprocessed because they had waited longer than the consumer's maximum age. */
    public long stale() {
        return stale.get();
    }

    /** Detaches from the track and releases any parked frame. Never call from a sink. */
    void close() {
        if (closed) {
            return;
        }
        try {
            track.removeSink(sink);
        } finally {
            closed = true;
            releasePending();
            synchronized (signal) {
                signal.notifyAll();
            }
        }
    }

    private void releasePending() {
        Parked parked = latest.getAndSet(null);
        if (parked != null) {
            parked.frame().release();
        }
    }
}
