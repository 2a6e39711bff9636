package io.fastrtc.stream;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.internal.Threads;
import io.fastrtc.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
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
 * use and closed when the JVM exits: the ten-line case needs nothing more.
 */
public final class FastRtc implements AutoCloseable {

    /** Default of {@link Builder#maxTotalConnections}; system property {@code fastrtc.maxTotalConnections}. */
    public static final int DEFAULT_MAX_TOTAL_CONNECTIONS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(FastRtc.class);
    private static FastRtc shared;

    private final int maxTotalConnections;
    private final Telemetry telemetry;
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
        telemetry = b.telemetry;
        events = GuardedTelemetry.of(telemetry);
        events.runtimeStarted(maxTotalConnections);
        timer = new ScheduledThreadPoolExecutor(1, Threads.daemon("fastrtc-timer"));
        timer.setRemoveOnCancelPolicy(true);
    }

    /** A runtime with the defaults; close it when its streams are done. */
    public static FastRtc create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The runtime of streams built without one: created on first use, closed by a JVM shutdown hook
     * (libwebrtc's native threads would otherwise keep the JVM alive).
     */
    public static synchronized FastRtc shared() {
        if (shared == null || shared.isClosed()) {
            FastRtc rtc = create();
            Runtime.getRuntime().addShutdownHook(new Thread(rtc::close, "fastrtc-shutdown"));
            shared = rtc;
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
        LOG.debug("runtime closed");
    }

    // ---- for the streams ----

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

        private Builder() {
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
