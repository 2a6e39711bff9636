package io.fastrtc.engine;

import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import io.fastrtc.audio.AudioFrame;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Outgoing audio of one local track. libwebrtc sends what is pushed immediately, so callers pace
 * it in real time, 10 ms per push; any sample rate from 8 kHz and mono or stereo are accepted.
 */
public final class AudioOutput {

    private final CustomAudioSource source;
    private final AudioTrack track;
    private final AtomicLong sent = new AtomicLong();
    private boolean closed;

    AudioOutput(CustomAudioSource source, AudioTrack track) {
        this.source = source;
        this.track = track;
    }

    /** Sends one frame, which must be exactly 10 ms long. Ignored once the session is closed. */
    public synchronized void push(AudioFrame frame) {
        if (frame.samplesPerChannel() * 100 != frame.sampleRate()) {
            throw new IllegalArgumentException("audio pushed to libwebrtc must be 10 ms frames ("
                    + frame.sampleRate() / 100 + " samples at " + frame.sampleRate() + " Hz); got "
                    + frame.samplesPerChannel());
        }
        if (closed) {
            return;
        }
        source.pushAudio(frame.toBytes(), 16, frame.sampleRate(), frame.channels(), frame.samplesPerChannel());
        sent.incrementAndGet();
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
