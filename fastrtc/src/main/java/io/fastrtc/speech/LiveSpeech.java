package io.fastrtc.speech;

import io.fastrtc.audio.AudioFrame;
import java.util.Iterator;

/**
 * One reply being spoken while it is still being written, from {@link TextToSpeech#live}: text
 * goes in piece by piece (e.g. a chat model's tokens) with {@link #append}, and the audio comes out
 * of this iterator as soon as it is synthesised, so the first sentence plays while the model is
 * still writing the rest. {@link #hasNext} waits for audio; it returns false once everything up to
 * {@link #finish} has been spoken, or after {@link #close}.
 *
 * <p>Return it straight from a {@code ReplyOnPause} handler: when the user talks over the reply,
 * the handler's generator is closed, and so is this (synthesis stops, its connection is released).
 * {@code append} and {@code finish} may be called from another thread than the one reading audio.
 */
public interface LiveSpeech extends Iterator<AudioFrame>, AutoCloseable {

    /** Adds text to speak; pieces may split words and sentences anywhere. Ignored after close. */
    void append(String text);

    /** No more text: the rest is spoken, then the audio ends. Ignored after close; idempotent. */
    void finish();

    /** Stops at once: no more audio, {@link #hasNext} returns false; idempotent. */
    @Override
    void close();
}
