package io.fastrtc.stream;

import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.security.AccessDenied;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Fans one connection's additional outputs out to its feeds and remembers the latest.
 *
 * <p>A server cannot tell that an event-stream client has gone until a write to it fails (neither
 * Jetty nor Tomcat reads an idle request's socket), so a gone client's feed would keep its place
 * until its next keep-alive. When the places are all taken, the feeds are {@linkplain OutputFeed#probe
 * probed} first: their writers send keep-alives at once, those of gone clients fail and close their
 * feeds, and the new subscriber takes the place freed.
 */
final class OutputHub {

    /** How long a subscriber waits for probed feeds to free a place before it is refused. */
    static final Duration PROBE_WAIT = Duration.ofSeconds(1);

    private final List<OutputFeed> feeds = new CopyOnWriteArrayList<>();
    private AdditionalOutputs latest;
    private boolean closed;

    /** A new feed, or null if {@code limit} feeds are open and stay open for {@link #PROBE_WAIT}. */
    OutputFeed subscribe(int limit) {
        OutputFeed[] holder = new OutputFeed[1];
        OutputFeed feed = new OutputFeed(() -> removed(holder[0]));
        holder[0] = feed;
        synchronized (this) {
            if (closed) {
                feed.end();
                return feed;
            }
            if (feeds.size() >= limit && !placeFreed(limit)) {
                return null;
            }
            feeds.add(feed);
        }
        return feed;
    }

    /** Probes the feeds and waits for one to close; true if fewer than {@code limit} remain. */
    private boolean placeFreed(int limit) {
        feeds.forEach(OutputFeed::probe);
        long deadline = System.nanoTime() + PROBE_WAIT.toNanos();
        try {
            while (feeds.size() >= limit && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !closed;
    }

    private synchronized void removed(OutputFeed feed) {
        feeds.remove(feed);
        notifyAll();
    }

    static AccessDenied tooManyListeners(int limit) {
        return new AccessDenied(429, "too_many_listeners", "this connection already has " + limit
                + " output streams open; close one first", Map.of());
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
