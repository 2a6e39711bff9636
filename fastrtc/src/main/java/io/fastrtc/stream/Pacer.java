package io.fastrtc.stream;

import java.util.concurrent.TimeUnit;

/**
 * Paces a loop at a fixed period in real time. When the loop falls far behind (an overloaded
 * machine, a slow producer) it resumes from now instead of bursting to catch up.
 */
final class Pacer {

    private final long periodNanos;
    private final long resyncNanos;
    private long next = System.nanoTime();

    Pacer(long periodNanos, long resyncNanos) {
        this.periodNanos = periodNanos;
        this.resyncNanos = resyncNanos;
    }

    static Pacer perSecond(int ticks) {
        return new Pacer(1_000_000_000L / Math.max(1, ticks), 1_000_000_000L);
    }

    /** Sleeps until the next tick. */
    void await() throws InterruptedException {
        next += periodNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        } else if (-wait > resyncNanos) {
            next = System.nanoTime();
        }
    }
}
