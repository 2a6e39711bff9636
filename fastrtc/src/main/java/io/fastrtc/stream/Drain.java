package io.fastrtc.stream;

import io.fastrtc.protocol.Messages;
import io.fastrtc.transport.HttpReply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runtime's graceful drain ({@link FastRtc#drain}): once begun, new sessions of every transport
 * are refused with {@code draining}, the open ones are told the deadline and go on; when the last
 * one ends, or at the deadline (whatever is left is closed with reason {@code draining}), the
 * runtime closes. Broker registrations stay until each session ends, so other instances keep
 * reaching the sessions still open here.
 */
final class Drain {

    private static final Logger LOG = LoggerFactory.getLogger(Drain.class);
    /** How often the end is checked; sessions leave at any moment, the deadline is a timer. */
    private static final long CHECK_MILLIS = 100;
    /** What a refused client is told to wait before trying again (reaching another instance). */
    private static final String RETRY_AFTER = "1";
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(3);
    private static final long FLUSH_MILLIS = 300;

    private final FastRtc runtime;
    private final CompletableFuture<Instant> started = new CompletableFuture<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile Instant deadline;
    private ScheduledFuture<?> check;

    Drain(FastRtc runtime) {
        this.runtime = runtime;
    }

    /**
     * Starts the drain (the first call decides the deadline); the future, a copy for each caller (who
     * may cancel theirs), completes once the runtime closed.
     */
    CompletableFuture<Void> begin(Duration timeout) {
        synchronized (this) {
            if (deadline != null) {
                return done.copy();
            }
            deadline = Instant.now().plus(timeout);
        }
        int open = runtime.openSessions();
        LOG.info("draining: new sessions are refused; {} open session(s) may go on until {}", open, deadline);
        started.complete(deadline);
        for (Session session : sessions()) {
            tell(session);
        }
        try {
            synchronized (this) {
                check = runtime.timer().scheduleWithFixedDelay(this::check, 0, CHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            done.complete(null); // the runtime closed meanwhile
        }
        return done.copy();
    }

    /** Sends a session the drain notice, if a drain has begun (also for one admitted just as it began). */
    void tell(Session session) {
        Instant end = deadline;
        if (end != null) {
            long seconds = Math.max(0, (Duration.between(Instant.now(), end).toMillis() + 999) / 1000);
            session.sendMessage(Messages.draining(end, seconds));
        }
    }

    boolean isDraining() {
        return deadline != null;
    }

    CompletableFuture<Instant> started() {
        return started;
    }

    /** The refusal of a new session while draining: HTTP 503 in FastRTC's failure shape. */
    static Refused refusal() {
        return new Refused(HttpReply.failed(503, Messages.DRAINING, "this server is shutting down and takes no new"
                + " connections; connect again").withHeader("Retry-After", RETRY_AFTER));
    }

    /** The runtime closed (by the drain or directly): a drain under way is over. */
    void closed() {
        done.complete(null);
    }

    private void check() {
        boolean late = !Instant.now().isBefore(deadline);
        if (runtime.openSessions() > 0 && !late) {
            return;
        }
        synchronized (this) {
            Session.cancel(check);
        }
        // Off the timer thread: closing the runtime shuts the timer down.
        runtime.closer().execute(() -> finish(late));
    }

    private void finish(boolean late) {
        try {
            List<Session> left = sessions();
            if (late && !left.isEmpty()) {
                LOG.info("drain deadline passed: closing {} session(s)", left.size());
            }
            for (Session session : left) {
                session.endDraining();
            }
            awaitReleased(left);
            runtime.close();
            LOG.info("drained");
        } finally {
            done.complete(null);
        }
    }

    /**
     * Waits (bounded) until the sessions closed at the deadline have torn their transports down, then
     * a moment more: the end message and the socket close frames are sent asynchronously, and a
     * shutdown hook's JVM exits as soon as the drain is over.
     */
    private static void awaitReleased(List<Session> closed) {
        if (closed.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(closed.stream().map(Session::released).toArray(CompletableFuture[]::new))
                    .get(RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            Thread.sleep(FLUSH_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("drain: sessions still closing after {} s", RELEASE_WAIT.toSeconds());
        }
    }

    private List<Session> sessions() {
        return runtime.streamsSnapshot().stream().flatMap(s -> s.openSessions().stream()).toList();
    }
}
