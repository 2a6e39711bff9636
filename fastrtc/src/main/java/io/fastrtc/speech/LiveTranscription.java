package io.fastrtc.speech;

import io.fastrtc.audio.AudioFrame;

/**
 * One stream of audio being transcribed while it is spoken, from {@link SpeechToText#live}.
 * Audio goes in with {@link #send}; transcripts come out to the listener given to {@code live}.
 * Not for concurrent senders: one thread feeds it (any thread may {@link #close} it).
 */
public interface LiveTranscription extends AutoCloseable {

    /**
     * Adds the next piece of audio (any sample rate, mono or stereo; it is converted as the
     * recogniser needs).
     *
     * @throws RuntimeException if the recogniser failed; the message says why and how to fix it
     */
    void send(AudioFrame audio);

    /**
     * Ends the audio: waits until the recogniser has transcribed all of it, then returns every
     * final word since the stream opened, and releases the stream.
     *
     * @throws RuntimeException if the recogniser failed; the message says why and how to fix it
     */
    String finish();

    /** Abandons the stream at once (nothing more is transcribed); idempotent. */
    @Override
    void close();
}
