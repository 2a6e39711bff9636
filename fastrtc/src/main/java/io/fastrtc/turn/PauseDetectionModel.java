package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;

/**
 * Finds speech in audio: FastRTC's {@code PauseDetectionModel}. One instance is shared by every
 * connection, so implementations must be thread-safe.
 */
public interface PauseDetectionModel {

    /**
     * The speech in {@code audio} (any rate, mono or stereo), analysed on its own with fresh model
     * state, as FastRTC's {@code vad()} does for each chunk of a turn.
     */
    SpeechResult vad(AudioFrame audio);

    /**
     * A per-connection detector that follows a live stream of audio frame by frame, for noticing
     * within a few tens of milliseconds that the user started talking (barge-in).
     */
    SpeechDetector streamingDetector();

    /** Loads and exercises the model so the first connection does not pay for it. */
    default void warmup() {
    }
}
