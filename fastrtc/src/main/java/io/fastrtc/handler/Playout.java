package io.fastrtc.handler;

/**
 * Where a connection's audio output stands, as two positions in milliseconds of audio counted from
 * the start of the connection. Audio dropped by {@link HandlerSession#clearQueue()} before it was
 * heard counts in neither (the written position falls back to the heard one).
 *
 * <p>How much of a reply the caller heard: read {@link #writtenMillis()} just before emitting its
 * first audio (everything written before it plays first), then {@code heardMillis() - that}, capped
 * at what the reply emitted. Exact to within one 10 ms playback frame.
 *
 * @param writtenMillis the end of the audio handed to playback so far (queued here, sent, or heard)
 * @param heardMillis the end of the audio the caller has heard (played to a track, or reported
 *     played by a buffering client); never decreases
 */
public record Playout(long writtenMillis, long heardMillis) {

    /** A connection that plays nothing. */
    public static final Playout NONE = new Playout(0, 0);
}
