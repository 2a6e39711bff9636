package io.fastrtc.speech;

import io.fastrtc.audio.AudioFrame;
import java.util.function.Consumer;

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

    /**
     * Transcribes audio while it is still coming: send it piece by piece, and {@code listener}
     * gets each {@link Transcript} as the recogniser produces it (on the recogniser's thread: keep
     * it quick). Streaming services (a WebSocket) override this to transcribe as the audio
     * arrives; by default the audio is kept and transcribed once, at
     * {@link LiveTranscription#finish}, as one final transcript that ends the speech.
     */
    default LiveTranscription live(Consumer<Transcript> listener) {
        return new BufferedTranscription(this, listener);
    }
}
