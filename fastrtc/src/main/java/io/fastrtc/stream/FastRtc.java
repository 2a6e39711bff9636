package io.fastrtc.stream;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.internal.Threads;
import io.fastrtc.telemetry.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the streams of an application share: the WebRTC engine (libwebrtc's native threads), the
 * timer and handler threads, and the count of sessions open against {@link #maxTotalConnections()}.
 * Every {@link Stream} runs on one; nothing of it is process-wide, so two runtimes in one JVM (two
 * tests, two Spring contexts) see nothing of each other.
 *
 * <pre>{@code
 * try (FastRtc rtc = FastRtc.builder().maxTotalConnections(100).build()) {
 *     Stream a = Stream.builder().runtime(rtc).video(...).build();
 *     Stream b = Stream.builder().runtime(rtc).audio(...).build();
 *     ...
 * }   // closes a and b, then the engine and the threads
 * }</pre>
 *
 * <p>A stream built without {@link Stream.Builder#runtime} uses {@link #shared()}, created on first
 * use and drained when the JVM exits: the ten-line case needs nothing more.
 *
 * <p>{@link #drain()} takes an instance out of service without cutting calls: readiness goes down,
 * new sessions are refused with {@code draining}, open ones are told the deadline and may end by
 * themselves until it, then the rest are closed and the runtime closes. On SIGTERM it runs from a
 * JVM shutdown hook ({@link Builder#drainOnShutdown}, always for {@link #shared()}).
 */
public final class FastRtc implements AutoCloseable {

    /** Default of {@link Builder#maxTotalConnections}; system property {@code fastrtc.maxTotalConnections}. */
    public static final int DEFAULT_MAX_TOTAL_CONNECTIONS = 256;
    /**
     * Default of {@link Builder#drainTimeout}: below Kubernetes' default 30 s grace period minus a
     * few seconds of {@code preStop}, and below Spring's default 30 s per shutdown phase. Environment
     * variable {@code FASTRTC_DRAIN_SECONDS} or system property {@code fastrtc.drainSeconds} change it.
     */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(20);
    /** How much longer than its deadline a shutdown hook waits for the drain (closing the leftovers). */
    private static final Duration HOOK_SLACK = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(FastRtc.class);
    private static FastRtc shared;

    private final int maxTotalConnections;
    private final Duration drainTimeout;
    private final Telemetry telemetry;
    private final Drain drain = new Drain(this);
    private final Thread shutdownHook;
    /** {@link #telemetry} as the core calls it: its failures caught and logged. */
    private final Telemetry events;
    private final AtomicInteger openSessions = new AtomicInteger();
    private final List<Stream> streams = new ArrayList<>();
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadFactory workers = Threads.workers("fastrtc-handler");
    private final ThreadFactory platformWorkers = Threads.daemon("fastrtc-media");
    private final Executor closer = Threads.perTask("fastrtc-close");
    private RtcEngine engine;
    private boolean closed;

    private FastRtc(Builder b) {
        maxTotalConnections = b.maxTotalConnections;
        drainTimeout = b.drainTimeout;
        telemetry = b.telemetry;
        events = GuardedTelemetry.of(telemetry);
        events.runtimeStarted(maxTotalConnections);
        timer = new ScheduledThreadPoolExecutor(1, Threads.daemon("fastrtc-timer"));
        timer.setRemoveOnCancelPolicy(true);
        shutdownHook = b.drainOnShutdown ? new Thread(this::drainAtShutdown, "fastrtc-drain") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** A runtime with the defaults; close it when its streams are done. */
    public static FastRtc create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The runtime of streams built without one: created on first use, drained and closed by a JVM
     * shutdown hook (libwebrtc's native threads would otherwise keep the JVM alive).
     */
    public static synchronized FastRtc shared() {
        if (shared == null || shared.isClosed()) {
            shared = builder().drainOnShutdown(true).build();
        }
        return shared;
    }

    /**
     * Most sessions open at once across this runtime's streams, every transport counted: a backstop
     * for apps with many streams, each within its own concurrency limit. Offers beyond it get
     * {@code concurrency_limit_reached}.
     */
    public int maxTotalConnections() {
        return maxTotalConnections;
    }

    /** Sessions (WebRTC, WebSocket, phone) open now across this runtime's streams. */
    public int openSessions() {
        return openSessions.get();
    }

    /** Native peer connections not yet released; 0 once every connection has closed (a leak check). */
    public synchronized int openPeerConnections() {
        return engine == null ? 0 : engine.openSessions();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Starts draining with {@link Builder#drainTimeout} as the deadline; see {@link #drain(Duration)}.
     */
    public CompletableFuture<Void> drain() {
        return drain(drainTimeout);
    }

    /**
     * Takes this runtime out of service gracefully: from now on {@link #isReady()} is false and every
     * new session (offer, WebSocket {@code start}, phone call) is refused with {@code draining}
     * (HTTP 503 and {@code Retry-After}); each open session is sent a {@code warning} with
     * {@code "code":"draining"} and the deadline and goes on normally. When the last session has
     * ended, or once {@code timeout} has passed (the sessions left are sent {@code end_stream} and
     * closed with reason {@code draining}), the runtime closes. Returns at once; the future completes
     * when the runtime is closed. Idempotent: later calls keep the first deadline and complete with
     * the first drain.
     */
    public CompletableFuture<Void> drain(Duration timeout) {
        checkDrainTimeout(timeout);
        return drain.begin(timeout);
    }

    /** True once {@link #drain} was called. */
    public boolean isDraining() {
        return drain.isDraining();
    }

    /** Whether this runtime takes new sessions: neither draining nor closed (a readiness probe). */
    public boolean isReady() {
        return !isDraining() && !isClosed();
    }

    /**
     * Completes with the deadline when a drain begins, for adapters that report readiness by event
     * (Spring's {@code AvailabilityChangeEvent}).
     */
    public CompletionStage<Instant> whenDraining() {
        return drain.started().minimalCompletionStage();
    }

    /** The deadline {@link #drain()} and the shutdown hook use. */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    private void drainAtShutdown() {
        try {
            drain().get(drainTimeout.plus(HOOK_SLACK).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("drain at shutdown did not finish; closing", e);
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void checkDrainTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout must be zero or positive; got " + timeout);
        }
    }

    /** Where this runtime's metrics and traces go ({@link Telemetry#NONE} unless set on the builder). */
    public Telemetry telemetry() {
        return telemetry;
    }

    Telemetry events() {
        return events;
    }

    /** Closes the streams still open on this runtime (newest first), then its threads and the engine. */
    @Override
    public void close() {
        List<Stream> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(streams);
            streams.clear();
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        timer.shutdownNow();
        RtcEngine started;
        synchronized (this) {
            started = engine;
        }
        if (started != null) {
            started.close();
        }
        removeShutdownHook();
        drain.closed();
        LOG.debug("runtime closed");
    }

    private void removeShutdownHook() {
        if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running or about to, and drains nothing now.
        }
    }

    // ---- for the streams ----

    /** A session just admitted: if a drain began while it was being set up, it is told too. */
    void admitted(Session session) {
        drain.tell(session);
    }

    synchronized List<Stream> streamsSnapshot() {
        return List.copyOf(streams);
    }

    synchronized void register(Stream stream) {
        if (closed) {
            throw new IllegalStateException("this FastRtc runtime is closed; build the stream on an open one");
        }
        streams.add(stream);
    }

    synchronized void unregister(Stream stream) {
        streams.remove(stream);
    }

    /** The engine, started with the first connection (loading libwebrtc costs a second). */
    synchronized RtcEngine engine() {
        if (closed) {
            throw new IllegalStateException("this FastRtc runtime is closed");
        }
        if (engine == null) {
            engine = RtcEngine.create();
        }
        return engine;
    }

    AtomicInteger sessions() {
        return openSessions;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    ThreadFactory workers() {
        return workers;
    }

    ThreadFactory platformWorkers() {
        return platformWorkers;
    }

    Executor closer() {
        return closer;
    }

    /** Builds a {@link FastRtc}. */
    public static final class Builder {
        private int maxTotalConnections = Integer.getInteger("fastrtc.maxTotalConnections",
                DEFAULT_MAX_TOTAL_CONNECTIONS);
        private Telemetry telemetry = Telemetry.NONE;
        private Duration drainTimeout = defaultDrainTimeout();
        private boolean drainOnShutdown;

        private Builder() {
        }

        private static Duration defaultDrainTimeout() {
            String env = System.getenv("FASTRTC_DRAIN_SECONDS");
            String value = System.getProperty("fastrtc.drainSeconds", env);
            if (value == null || value.isBlank()) {
                return DEFAULT_DRAIN_TIMEOUT;
            }
            try {
                return Duration.ofSeconds(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                LOG.warn("ignoring drain seconds \"{}\" (FASTRTC_DRAIN_SECONDS or fastrtc.drainSeconds): not a whole"
                        + " number; using {} s", value, DEFAULT_DRAIN_TIMEOUT.toSeconds());
                return DEFAULT_DRAIN_TIMEOUT;
            }
        }

        /**
         * The deadline of {@link FastRtc#drain()} and of the shutdown hook: sessions open when the
         * drain begins may go on this long (default {@code FASTRTC_DRAIN_SECONDS}, system property
         * {@code fastrtc.drainSeconds}, else 20 s). Keep it below the platform's grace period
         * (Kubernetes' {@code terminationGracePeriodSeconds} minus {@code preStop}).
         */
        public Builder drainTimeout(Duration timeout) {
            checkDrainTimeout(timeout);
            this.drainTimeout = timeout;
            return this;
        }

        /**
         * Installs a JVM shutdown hook (SIGTERM, {@code System.exit}) that drains the runtime with
         * {@link #drainTimeout} and waits for it, so the process exits once its sessions ended or the
         * deadline passed. Off by default for runtimes you build (the application decides when they
         * close; Spring's starter drains on context close instead); on for {@link FastRtc#shared()}.
         * The hook is removed when the runtime is closed.
         */
        public Builder drainOnShutdown(boolean drain) {
            this.drainOnShutdown = drain;
            return this;
        }

        /** See {@link FastRtc#maxTotalConnections()} (default {@value FastRtc#DEFAULT_MAX_TOTAL_CONNECTIONS}). */
        public Builder maxTotalConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxTotalConnections must be at least 1; got " + max);
            }
            this.maxTotalConnections = max;
            return this;
        }

        /**
         * Where the runtime reports connections, refusals, handler time and turns: a Micrometer or
         * OpenTelemetry module's implementation, or several with {@link Telemetry#of}.
         */
        public Builder telemetry(Telemetry telemetry) {
            if (telemetry == null) {
                throw new IllegalArgumentException("telemetry must not be null; use Telemetry.NONE to record nothing");
            }
            this.telemetry = telemetry;
            return this;
        }

        public FastRtc build() {
            return new FastRtc(this);
        }
    }
}
