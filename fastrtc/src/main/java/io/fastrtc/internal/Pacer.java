package io.fastrtc.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Paces a loop at a fixed period in real time. When the loop falls far behind (an overloaded
 * machine, a slow producer) it resumes from now instead of bursting to catch up.
 */
public final class Pacer {

    private final long periodNanos;
    private final long resyncNanos;
    private long next = System.nanoTime();

    public Pacer(long periodNanos, long resyncNanos) {
        this.periodNanos = periodNanos;
        this.resyncNanos = resyncNanos;
    }

    public static Pacer perSecond(int ticks) {
        return new Pacer(1_000_000_000L / Math.max(1, ticks), 1_000_000_000L);
    }

    /**
     * Runs {@code tick} every {@code periodNanos} on a new daemon thread while {@code running} says so
     * (checked before each tick); an interrupt ends it too.
     */
    public static Thread loop(String name, long periodNanos, BooleanSupplier running, Runnable tick) {
        Thread t = new Thread(() -> {
            Pacer pacer = new Pacer(periodNanos, 10 * periodNanos);
            try {
                while (running.getAsBoolean()) {
                    tick.run();
                    pacer.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Sleeps until the next tick. */
    public void await() throws InterruptedException {
        next += periodNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        } else if (-wait > resyncNanos) {
            next = System.nanoTime();
        }
    }

    /**
     * Parks until the next tick, or until {@link LockSupport#unpark} wakes this thread for an extra
     * tick in between; the schedule stays where it was, so the next call still waits for that tick.
     * Returns false if woken early.
     */
    public boolean awaitOrWake() throws InterruptedException {
        long wait = next + periodNanos - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (System.nanoTime() - (next + periodNanos) < 0) {
                return false;
            }
        }
        await();
        return true;
    }
}
