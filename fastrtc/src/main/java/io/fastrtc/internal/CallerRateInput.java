package io.fastrtc.internal;

/**
 * An audio handler that can take its input at the caller's own sample rate and convert to its
 * declared rate only the audio it passes on (ReplyOnPause: the turns), so the input pipeline need
 * not convert the whole stream, most of it silence or the user listening.
 */
public interface CallerRateInput {

    /** True if {@code receive} may be given 20 ms frames at {@code rate} instead of the declared input rate. */
    boolean takesCallerRate(int rate);

    /**
     * How long the frames {@code receive} is given are, in ms, with the caller at {@code rate}: every
     * handler's 20, or 10 for one that judges audio 10 ms at a time, so none waits for a frame's second half.
     */
    default int frameMillis(int rate) {
        return 20;
    }

    /**
     * True if {@code receive} only judges and stores frames (the reply function runs elsewhere) and
     * never blocks, so the transport's own thread may call it instead of a session input thread.
     */
    default boolean receivesInline() {
        return false;
    }
}
