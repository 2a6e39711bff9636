package io.fastrtc.turn;

import io.fastrtc.handler.Emit;

/**
 * How much of one reply the caller has heard: where its first audio entered the connection's
 * output, and how much it emitted; the heard position past that start, capped by what it emitted.
 */
final class ReplyPlayout {

    private volatile long start = -1;
    private volatile long emittedNanos;
    private volatile ReplyOnPause owner;

    /** The reply emits {@code item}, on the output thread just before the stream queues it. */
    void emitted(Emit item, ReplyOnPause by) {
        double millis = Reply.audioMillis(item);
        if (millis <= 0) {
            return;
        }
        if (start < 0) {
            owner = by;
            start = by.sessionPlayout().writtenMillis(); // everything written before plays first
        }
        emittedNanos += (long) (millis * 1e6);
    }

    /** In ns; once all but the positions' 1 ms rounding was heard, exactly what was emitted. */
    long playedNanos() {
        ReplyOnPause o = owner;
        if (o == null) {
            return 0;
        }
        long heard = (o.sessionPlayout().heardMillis() - start) * 1_000_000L;
        long emitted = emittedNanos;
        return heard >= emitted - 1_000_000L ? emitted : Math.max(0, heard);
    }
}
