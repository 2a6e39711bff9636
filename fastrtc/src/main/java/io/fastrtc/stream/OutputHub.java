package io.fastrtc.stream;

import io.fastrtc.handler.AdditionalOutputs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Fans one connection's additional outputs out to its feeds and remembers the latest. */
final class OutputHub {

    private final List<OutputFeed> feeds = new CopyOnWriteArrayList<>();
    private AdditionalOutputs latest;
    private boolean closed;

    /** A new feed, or null if {@code limit} feeds are open already. */
    OutputFeed subscribe(int limit) {
        OutputFeed[] holder = new OutputFeed[1];
        OutputFeed feed = new OutputFeed(() -> feeds.remove(holder[0]));
        holder[0] = feed;
        synchronized (this) {
            if (closed) {
                feed.end();
                return feed;
            }
            if (feeds.size() >= limit) {
                return null;
            }
            feeds.add(feed);
        }
        return feed;
    }

    void publish(AdditionalOutputs outputs) {
        synchronized (this) {
            if (closed) {
                return;
            }
            latest = outputs;
            notifyAll();
        }
        for (OutputFeed feed : feeds) {
            feed.offer(outputs);
        }
    }

    /** The latest output, waiting up to {@code timeout} for a first one; null if none came. */
    synchronized AdditionalOutputs latest(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (latest == null && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return latest;
    }

    void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        for (OutputFeed feed : feeds) {
            feed.end();
        }
        feeds.clear();
    }
}
