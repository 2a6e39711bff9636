package io.fastrtc.engine;

import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpSendParameters;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.util.concurrent.atomic.AtomicLong;

/** Outgoing video of one local track: frames pushed here are encoded and sent. */
public final class VideoOutput {

    private final CustomVideoSource source;
    private final VideoTrack track;
    /** Null for the placeholder tracks of receive-only client transceivers. */
    private RTCRtpSender sender;
    private final AtomicLong sent = new AtomicLong();
    private double scale = 1;
    private boolean closed;

    VideoOutput(CustomVideoSource source, VideoTrack track, RTCRtpSender sender) {
        this.source = source;
        this.track = track;
        this.sender = sender;
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

    /**
     * Has the encoder send {@code 1/factor} of the pushed width and height (libwebrtc scales before
     * encoding, which is where the CPU goes), or full size again with 1. libwebrtc's own CPU
     * adaptation cannot do this for us: {@code CustomVideoSource} ignores its requests to scale
     * down (webrtc-java 0.14.0 pushes frames past the source's adapter, and does not expose
     * {@code degradationPreference} either). Returns whether the encoder took it. Call it from our
     * own threads, never from a media sink.
     */
    public synchronized boolean scaleResolutionDownBy(double factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("the scale factor must be at least 1; got " + factor);
        }
        if (closed || sender == null) {
            return false;
        }
        NativeCallbacks.checkNotInCallback("changing the send resolution");
        try {
            RTCRtpSendParameters parameters = sender.getParameters();
            if (parameters.encodings == null || parameters.encodings.isEmpty()) {
                return false; // not negotiated yet
            }
            for (RTCRtpEncodingParameters encoding : parameters.encodings) {
                encoding.scaleResolutionDownBy = factor;
            }
            sender.setParameters(parameters);
            scale = factor;
            return true;
        } catch (RuntimeException e) {
            return false; // closing underneath us, or refused; the next step will try again
        }
    }

    /** The factor last applied with {@link #scaleResolutionDownBy} (1 at full size). */
    public synchronized double scale() {
        return scale;
    }

    /** Frames handed to the encoder. */
    public long sent() {
        return sent.get();
    }

    /** Forgets the sender before the peer connection frees it; a scaling call in progress finishes first. */
    synchronized void detach() {
        sender = null;
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        NativeRefs.disposeTrack(track, source::dispose);
    }
}
