package io.fastrtc.stream;

import io.fastrtc.handler.AdditionalOutputs;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

/**
 * The additional outputs of one connection, as a blocking iterator: {@code hasNext()} waits for the
 * next output and returns false once the connection has ended (FastRTC's {@code output_stream}).
 * Each feed sees every output published after it was opened; a feed that falls more than
 * {@value #CAPACITY} outputs behind loses the oldest ones rather than holding memory without bound.
 * Close it to stop listening early.
 */
public final class OutputFeed implements Iterator<AdditionalOutputs>, AutoCloseable {

    static final int CAPACITY = 256;

    private final ArrayDeque<AdditionalOutputs> queue = new ArrayDeque<>();
    private final Runnable onClose;
    private boolean ended;
    private long lost;

    OutputFeed(Runnable onClose) {
        this.onClose = onClose;
    }

    synchronized void offer(AdditionalOutputs outputs) {
        if (ended) {
            return;
        }
        if (queue.size() == CAPACITY) {
            queue.poll();
            lost++;
        }
        queue.add(outputs);
        notifyAll();
    }

    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** Waits for the next output; false once the connection has ended and everything was read. */
    @Override
    public synchronized boolean hasNext() {
        try {
            while (queue.isEmpty() && !ended) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !queue.isEmpty();
    }

    @Override
    public synchronized AdditionalOutputs next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the connection has ended");
        }
        return queue.poll();
    }

    /**
     * The next output, waiting at most {@code timeout}; null if none came in time or the connection ended.
     */
    public synchronized AdditionalOutputs poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (queue.isEmpty() && !ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return queue.poll();
    }

    /** True once the connection ended and all its outputs were read. */
    public synchronized boolean isFinished() {
        return ended && queue.isEmpty();
    }

    /** Outputs dropped because this feed was read too slowly. */
    public synchronized long lost() {
        return lost;
    }

    @Override
    public void close() {
        end();
        onClose.run();
    }
}
