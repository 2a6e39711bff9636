package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;

/** Follows one live audio stream; see {@link PauseDetectionModel#streamingDetector()}. Not thread-safe. */
public interface SpeechDetector extends AutoCloseable {

    /**
     * Feeds the next audio of the stream; returns the speech probability (0..1) of the most recent
     * analysis window completed by it, or -1 if this audio completed none.
     */
    float process(AudioFrame audio);

    /** Forgets the stream so far. */
    void reset();

    @Override
    void close();
}
