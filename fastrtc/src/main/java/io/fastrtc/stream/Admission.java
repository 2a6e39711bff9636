package io.fastrtc.stream;

import io.fastrtc.cluster.Broker;
import io.fastrtc.cluster.BrokerException;
import io.fastrtc.internal.RateLimiter;
import io.fastrtc.security.Limits;
import io.fastrtc.transport.HttpReply;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who gets a new session of a stream, of any transport: the client's rate limit, a unique id across
 * instances, the stream's concurrency limit and the global one, the {@link Capacity} and the
 * runtime's {@link FastRtc#maxTotalConnections()}. A session admitted joins the
 * {@link ConnectionRegistry}, whose lock admission waits on for a slot.
 */
final class Admission {

    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    private final Stream stream;
    private final ConnectionRegistry registry;
    private final FastRtc runtime;
    private final Broker broker;
    private final Limits limits;
    private final RateLimiter newSessions;
    private final int concurrencyLimit;
    private final int globalConcurrencyLimit;
    private final Capacity capacity;
    private final boolean cookieOwners;
    /** Offers and sessions refused with {@code concurrency_limit_reached}, for {@link Stream#stats()}. */
    private final AtomicLong refused = new AtomicLong();

    Admission(Stream stream, ConnectionRegistry registry, StreamSettings<?> settings, FastRtc runtime, Broker broker) {
        this.stream = stream;
        this.registry = registry;
        this.runtime = runtime;
        this.broker = broker;
        this.limits = settings.limits;
        this.newSessions = RateLimiter.perMinute(limits.offersPerMinute());
        this.concurrencyLimit = settings.concurrencyLimit;
        this.globalConcurrencyLimit = settings.globalConcurrencyLimit;
        this.capacity = settings.capacity;
        this.cookieOwners = settings.authorizer == null;
    }

    /**
     * Registers a new session of any transport for {@code caller}, who then owns it, or refuses it.
     * A caller over its {@link Limits#offersPerMinute()} gets 429 {@code rate_limited}; a duplicate id
     * (on any instance) {@code connection_already_exists}; at this instance's concurrency limit, or
     * the global one, the offer waits up to {@link Stream#ADMISSION_WAIT} for a closing session to free its
     * slot, then gets {@code concurrency_limit_reached}, as it does beyond the stream's
     * {@link Capacity} (with the number of sessions open in the process as the limit) and at the
     * runtime's {@link FastRtc#maxTotalConnections()}. A draining runtime refuses every new session
     * with 503 {@code draining}.
     */
    <S extends Session> S admit(Caller caller, String id, Function<String, S> create) throws Refused {
        if (runtime.isDraining()) {
            throw Drain.refusal();
        }
        String key = caller.rateKey();
        if (key != null && !newSessions.tryTake(key)) {
            long wait = Math.max(1, newSessions.secondsUntilNext(key));
            throw new Refused(HttpReply.failed(429, "rate_limited", "too many new connections from this client; the"
                    + " limit is " + limits.offersPerMinute() + " a minute. Try again in " + wait + " s")
                    .withHeader("Retry-After", Long.toString(wait)));
        }
        synchronized (registry) {
            if (stream.isClosed()) {
                throw new Refused("stream_closed", Map.of());
            }
            if (registry.has(id)) {
                throw new Refused("connection_already_exists", Map.of());
            }
            long deadline = System.nanoTime() + Stream.ADMISSION_WAIT.toNanos();
            while (true) {
                int limit;
                int open = runtime.sessions().get();
                if (registry.size() >= concurrencyLimit) {
                    limit = concurrencyLimit;
                } else if (!capacity.admits(open)) {
                    limit = open;
                } else {
                    Broker.Claim claim = claim(id);
                    if (claim == Broker.Claim.CLAIMED) {
                        break;
                    }
                    if (claim == Broker.Claim.TAKEN) {
                        throw new Refused("connection_already_exists", Map.of());
                    }
                    limit = globalConcurrencyLimit;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    refused.incrementAndGet();
                    LOG.debug("refusing {}: limit {} reached ({} sessions open in the process, {})", id, limit, open,
                            capacity);
                    throw new Refused("concurrency_limit_reached", Map.of("limit", limit));
                }
                try {
                    // A slot freed here wakes us; one freed on another instance is seen on the next try.
                    TimeUnit.NANOSECONDS.timedWait(registry, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Refused("stream_closed", Map.of());
                }
            }
            int total = runtime.maxTotalConnections();
            int open = runtime.sessions().incrementAndGet();
            // Checked again now that the slot is taken: another stream may have admitted one meanwhile.
            if (open > total || !capacity.admits(open - 1)) {
                registry.release(id);
                refused.incrementAndGet();
                if (open > total) {
                    LOG.warn("refusing {}: {} sessions are open in this process, the most allowed", id, total);
                }
                throw new Refused("concurrency_limit_reached", Map.of("limit", open > total ? total : open - 1));
            }
            registry.reserve(id);
        }
        // Outside the lock: creating the session runs the handler's copy(), which may be slow or hang.
        S session = null;
        try {
            session = create.apply(id);
            session.bind(Owner.of(caller, cookieOwners));
            session.startTelemetry();
        } finally {
            registry.settle(id, session != null && !stream.isClosed() ? session : null);
        }
        if (stream.isClosed()) {
            session.close(Session.End.SHUTDOWN, "stream closed");
            throw new Refused("stream_closed", Map.of());
        }
        runtime.admitted(session);
        return session;
    }

    private Broker.Claim claim(String id) throws Refused {
        try {
            return broker.claim(id, globalConcurrencyLimit);
        } catch (BrokerException e) {
            LOG.warn("offer {} refused: the broker failed", id, e);
            throw new Refused(HttpReply.failed(503, "broker_unavailable", "connections cannot be registered right now"));
        }
    }

    long refused() {
        return refused.get();
    }
}
