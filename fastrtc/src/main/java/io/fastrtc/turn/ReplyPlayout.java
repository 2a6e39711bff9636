package io.fastrtc.turn;

import io.fastrtc.handler.Emit;

/**
 * How much of one reply the caller has heard: where its first audio entered the connection's
 * output, and how much it emitted; the heard position past that start, capped by what it emitted.
 */
final class ReplyPlayout {

    private volatile long start = -1;
    private volatile double emittedMillis;
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
        emittedMillis += millis;
    }

    long playedMillis() {
        ReplyOnPause o = owner;
        if (o == null) {
            return 0;
        }
        long heard = o.sessionPlayout().heardMillis() - start;
        return Math.max(0, Math.min(heard, (long) Math.ceil(emittedMillis)));
    }
}
