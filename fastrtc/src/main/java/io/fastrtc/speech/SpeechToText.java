package io.fastrtc.speech;

import io.fastrtc.audio.AudioFrame;

/**
 * Turns speech into text (FastRTC's {@code STTModel}). One instance may serve every connection at
 * once, so implementations must be thread-safe.
 *
 * <pre>{@code
 * new ReplyOnPause(audio -> {
 *     String question = stt.transcribe(audio);
 *     ...
 * });
 * }</pre>
 */
@FunctionalInterface
public interface SpeechToText {

    /**
     * The words spoken in {@code audio} (any sample rate, mono or stereo), or {@code ""} if none
     * were recognised.
     *
     * @throws RuntimeException if the recogniser failed; the message says why and how to fix it
     */
    String transcribe(AudioFrame audio);
}
