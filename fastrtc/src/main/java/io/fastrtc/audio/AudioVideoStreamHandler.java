package io.fastrtc.audio;

import io.fastrtc.handler.Emit;
import io.fastrtc.video.VideoFrame;

/**
 * A handler for {@code audio-video} streams (FastRTC's {@code AudioVideoStreamHandler}): the audio
 * half works as in {@link StreamHandler}; every incoming video frame goes to {@link #videoReceive}
 * and {@link #videoEmit} is polled {@link #fps()} times a second for the frame to send back.
 */
public abstract class AudioVideoStreamHandler extends StreamHandler {

    protected AudioVideoStreamHandler() {
        super();
    }

    protected AudioVideoStreamHandler(int inputSampleRate, Layout expectedLayout, int outputSampleRate) {
        super(inputSampleRate, expectedLayout, outputSampleRate);
    }

    /** The newest incoming video frame (older ones are dropped if this is slow). */
    public abstract void videoReceive(VideoFrame frame) throws Exception;

    /** The frame to send now ({@link VideoFrame}, with outputs, outputs, {@code CloseStream}) or null to send none. */
    public abstract Emit videoEmit() throws Exception;

    /** How often {@link #videoEmit} is called. */
    public int fps() {
        return 30;
    }

    @Override
    public abstract AudioVideoStreamHandler copy();
}
