package io.fastrtc.stream;

import io.fastrtc.security.AccessDenied;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Output subscribers that come before their connection. FastRTC's clients open {@code GET /outputs}
 * right after their WebSocket, before its {@code start} message registers the id (FastRTC keeps
 * outputs per id in a {@code defaultdict}, so there the subscriber simply waits). Here it waits too,
 * at most the stream's connect timeout, and is checked against the connection's owner once the
 * connection exists. Nothing is kept for an id but its waiting threads: at most
 * {@value #MAX_WAITING} of them per stream, and per id as many as its output listeners may be. The
 * ids of this instance's recently ended connections are answered at once.
 */
final class EarlySubscribers {

    /** Most subscribers waiting at once, per stream, for connections that do not exist yet. */
    static final int MAX_WAITING = 32;
    /** How many ids of ended connections are remembered, so that their subscribers are not kept waiting. */
    private static final int ENDED_REMEMBERED = 1024;
    /** How often a waiter asks the other instances too: a connection there wakes nobody here. */
    private static final long REMOTE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final Logger LOG = LoggerFactory.getLogger(EarlySubscribers.class);

    private final Stream stream;
    private final Map<String, Integer> waiting = new HashMap<>();
    private final Map<String, Boolean> ended = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > ENDED_REMEMBERED;
        }
    };
    private int total;
    /** Connections registered so far: a waiter that saw the count before looking misses none. */
    private long arrivals;

    EarlySubscribers(Stream stream) {
        this.stream = stream;
    }

    /** Connection {@code webrtcId} was registered (null: the stream closed): the waiters look again. */
    synchronized void arrived(String webrtcId) {
        ended.remove(webrtcId);
        arrivals++;
        notifyAll();
    }

    /** Connection {@code webrtcId} of this instance has ended: its late subscribers get no wait. */
    synchronized void ended(String webrtcId) {
        ended.put(webrtcId, Boolean.TRUE);
        notifyAll();
    }

    /**
     * What {@code find} finds for {@code webrtcId}, waiting up to {@code timeout} for the connection
     * to appear; null if it did not (or if too many subscribers are waiting already: then at once).
     * {@code find} is given whether to ask the other instances as well, and returns null while
     * there is nothing to find.
     *
     * @throws AccessDenied 429 {@code too_many_listeners} if this id has as many waiters as its
     *     connection may have output listeners
     */
    <T> T await(String webrtcId, Caller caller, Duration timeout, Function<Boolean, T> find)
            throws InterruptedException {
        T found = find.apply(true);
        if (found != null || stream.isClosed()) {
            return found;
        }
        synchronized (this) {
            int forId = waiting.getOrDefault(webrtcId, 0);
            if (forId >= caller.listenerLimit()) {
                throw OutputHub.tooManyListeners(caller.listenerLimit());
            }
            if (ended.containsKey(webrtcId)) {
                return null;
            }
            if (total >= MAX_WAITING) {
                LOG.debug("{}: not waiting for the connection, {} subscribers wait already", webrtcId, total);
                return null;
            }
            waiting.put(webrtcId, forId + 1);
            total++;
        }
        try {
            return waitFor(webrtcId, timeout, find);
        } finally {
            synchronized (this) {
                total--;
                waiting.computeIfPresent(webrtcId, (id, n) -> n > 1 ? n - 1 : null);
            }
        }
    }

    private <T> T waitFor(String webrtcId, Duration timeout, Function<Boolean, T> find) throws InterruptedException {
        long now = System.nanoTime();
        long deadline = now + timeout.toNanos();
        long nextRemote = now + REMOTE_CHECK_NANOS;
        while (!stream.isClosed()) {
            now = System.nanoTime();
            boolean remote = now - nextRemote >= 0;
            if (remote) {
                nextRemote = now + REMOTE_CHECK_NANOS;
            }
            long seen;
            synchronized (this) {
                seen = arrivals;
            }
            T found = find.apply(remote);
            if (found != null) {
                return found;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            synchronized (this) {
                if (ended.containsKey(webrtcId)) {
                    return null;
                }
                if (arrivals == seen) {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, REMOTE_CHECK_NANOS));
                }
            }
        }
        return null;
    }
}
