package io.fastrtc.stream;

import io.fastrtc.audio.AudioFrame;

/**
 * Where {@link Playback} sends a session's paced output, 10 ms at a time: a WebRTC track, or a
 * socket. A track plays what it gets at once; a socket client buffers it, so a socket sink is fed a
 * little ahead of real time and may know (Twilio's marks) when its client has played it.
 */
interface AudioSink {

    /** Sends one 10 ms frame at the playback rate. */
    void push(AudioFrame frame);

    /** How far ahead of real time the client may be fed, in ms. */
    default int leadMillis() {
        return 0;
    }

    /**
     * How often the sink is fed, in ms (a multiple of 10): a client that is fed ahead may be fed
     * several frames at a time, a thread wake-up less for each.
     */
    default int periodMillis() {
        return 10;
    }

    /**
     * Whether silence is sent whenever there is no audio, for as long as the session lasts (a WebRTC
     * track), rather than nothing ({@link #idle()} once the audio ran out).
     */
    default boolean carriesSilence() {
        return false;
    }

    /**
     * Whether {@link #push} returns at once whatever the client does (a WebRTC track hands the frame
     * to libwebrtc), so the sink can share one playout thread with other sessions' ({@link PlayoutClock}).
     */
    default boolean neverBlocks() {
        return false;
    }

    /** The queue ran dry after audio: send what is held back. */
    default void idle() {
    }

    /** Barge-in: the client should drop what it has buffered. */
    default void clear() {
    }

    /**
     * Audio sent but not played yet by the client, in ms. {@code estimateMillis} is what pacing
     * alone says; a sink with playback receipts knows better.
     */
    default int unplayedMillis(int estimateMillis) {
        return estimateMillis;
    }
}
