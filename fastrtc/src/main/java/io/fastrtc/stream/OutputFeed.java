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
    /** Early returns of {@link #poll} after a {@link #probe}, and the time between them. */
    private static final int PROBES = 4;
    private static final long PROBE_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ArrayDeque<AdditionalOutputs> queue = new ArrayDeque<>();
    private final Runnable onClose;
    private boolean ended;
    private long lost;
    private int probes;
    private long nextProbe;

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

    /**
     * Asks the writer whether its client is still there: {@link #poll} returns null at once and a few
     * more times 100 ms apart, so the writer sends keep-alives. A write to a
     * client that has gone fails only once the client's reset has come back, hence more than one.
     */
    synchronized void probe() {
        probes = PROBES;
        nextProbe = System.nanoTime();
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
     * The next output, waiting at most {@code timeout}; null if none came in time or the connection
     * ended, or early when the stream needs to know whether the client is still there (a server-sent
     * events writer sends a keep-alive on null, and its failure shows that the client has gone).
     */
    public synchronized AdditionalOutputs poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (queue.isEmpty() && !ended) {
            long now = System.nanoTime();
            if (probes > 0 && now - nextProbe >= 0) {
                probes--;
                nextProbe = now + PROBE_GAP_NANOS;
                return null;
            }
            long left = deadline - now;
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, probes > 0 ? Math.min(left, nextProbe - now) : left);
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
