package io.fastrtc.engine;

import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.util.concurrent.atomic.AtomicLong;

/** Outgoing video of one local track: frames pushed here are encoded and sent. */
public final class VideoOutput {

    private final CustomVideoSource source;
    private final VideoTrack track;
    private final AtomicLong sent = new AtomicLong();
    private boolean closed;

    VideoOutput(CustomVideoSource source, VideoTrack track) {
        this.source = source;
        this.track = track;
    }

    /** Sends one frame. Ignored once the session is closed. */
    public synchronized void push(io.fastrtc.video.VideoFrame frame) {
        if (closed) {
            return;
        }
        NativeI420Buffer buffer = NativeI420Buffer.allocate(frame.width(), frame.height());
        try {
            frame.copyTo(buffer.getDataY(), buffer.getStrideY(), buffer.getDataU(), buffer.getStrideU(),
                    buffer.getDataV(), buffer.getStrideV());
            // The source restamps frames with its own clock, so the timestamp here is only nominal.
            source.pushFrame(new dev.onvoid.webrtc.media.video.VideoFrame(buffer, System.nanoTime()));
            sent.incrementAndGet();
        } finally {
            buffer.release();
        }
    }

    /** Frames handed to the encoder. */
    public long sent() {
        return sent.get();
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        NativeRefs.disposeTrack(track, source::dispose);
    }
}
