package io.fastrtc.stream;

import io.fastrtc.audio.AudioFrame;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A socket session's incoming audio, from the server's network thread to the session's input
 * thread: at most {@code capacity} frames, the oldest dropped beyond it. A phone call brings a
 * frame every 20 ms, and a blocking queue's lock made both threads meet at every one of them (the
 * input thread, woken, waited for the lock the network thread still held). Here neither waits for
 * the other, and the input thread is woken only while it sleeps: a busy server, whose input
 * threads are behind, wakes none of them.
 */
final class FrameInbox implements AudioPipeline.FrameSource {

    private final int capacity;
    private final ConcurrentLinkedQueue<AudioFrame> frames = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    /** The input thread while it sleeps in {@link #take}, else null. */
    private volatile Thread sleeper;

    FrameInbox(int capacity) {
        this.capacity = capacity;
    }

    /** Adds a frame; returns how many old frames it pushed out (0 or 1). */
    int offer(AudioFrame frame) {
        frames.add(frame);
        int dropped = 0;
        if (size.incrementAndGet() > capacity && poll() != null) {
            dropped = 1;
        }
        Thread waiting = sleeper;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
        return dropped;
    }

    @Override
    public AudioFrame take(long timeout, TimeUnit unit) throws InterruptedException {
        AudioFrame frame = poll();
        if (frame != null) {
            return frame;
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        sleeper = Thread.currentThread();
        try {
            while (true) {
                frame = poll(); // after announcing the sleep: a frame offered since then unparks us
                if (frame != null) {
                    return frame;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            sleeper = null;
        }
    }

    private AudioFrame poll() {
        AudioFrame frame = frames.poll();
        if (frame != null) {
            size.decrementAndGet();
        }
        return frame;
    }
}
