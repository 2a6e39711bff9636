package io.fastrtc.stream;

import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.CloseStream;
import io.fastrtc.handler.Context;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.HandlerSession;
import io.fastrtc.handler.Inputs;
import io.fastrtc.handler.Playout;
import io.fastrtc.handler.WebRtcError;
import io.fastrtc.internal.Incidents;
import io.fastrtc.internal.Throttle;
import io.fastrtc.engine.VideoInput;
import io.fastrtc.protocol.Messages;
import io.fastrtc.telemetry.Scope;
import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.telemetry.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of a {@link Stream}, whatever the transport: its id, inputs, outputs, worker threads
 * and the rules for running user code. Every way a session can end goes through the one idempotent
 * {@link #close(String)}, so limits, time limits, cleanup and the handler's shutdown hook hold for
 * every transport (FastRTC skips them for WebSocket and phone calls).
 * It is also the {@link Context} and {@link HandlerSession} its handler sees.
 */
abstract class Session implements Context, HandlerSession {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    final Stream stream;
    private final String id;
    private final OutputHub outputs = new OutputHub();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private final Map<Thread, Long> callsInFlight = new ConcurrentHashMap<>();
    private final Object inputsChanged = new Object();
    private volatile Owner owner;
    private volatile Inputs inputs;
    private long inputsVersion;
    private volatile ScheduledFuture<?> timeLimit;
    private volatile String closeReason;
    private volatile boolean hangReported;
    private final Throttle errors = new Throttle(Duration.ofSeconds(1));
    /** Completes once a closed session's transport is torn down and its handler shut down. */
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    /** When the session was admitted, for the setup time. */
    private final long admittedNanos = System.nanoTime();
    /** {@link SessionTelemetry#NONE} until admitted, and for a runtime without telemetry. */
    private volatile SessionTelemetry telemetry = SessionTelemetry.NONE;

    /**
     * Why a session ended, as {@link SessionTelemetry#closed} tags it: a small fixed set, whatever
     * the detailed reason the log shows.
     */
    enum End {
        /** The client left: hung up, closed the socket or the peer connection, sent stop. */
        CLIENT,
        /** The handler ended it: {@code CloseStream}, a generator that finished. */
        HANDLER,
        /** The transport failed, the negotiation failed or the client broke the protocol. */
        ERROR,
        /** Not connected in time, silent or disconnected too long, over its time limit. */
        TIMEOUT,
        /** The server is draining. */
        DRAINING,
        /** The stream or the runtime closed. */
        SHUTDOWN,
        /** The application closed it ({@code closeConnection}). */
        SERVER;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Session(Stream stream, String id) {
        this.stream = stream;
        this.id = id;
        this.inputs = stream.defaultInputs();
    }

    Stream stream() {
        return stream;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Records who opened the session; called once, when it is admitted. */
    void bind(Owner opener) {
        owner = opener;
    }

    /** How the client reached us, for telemetry. */
    abstract Transport transport();

    /** Starts this session's telemetry; called once, when it is admitted. */
    void startTelemetry() {
        telemetry = stream.runtime().events().sessionStarted(transport(), stream.modality().wireName(), id);
    }

    /** Media flows: reports the setup time since admission. */
    void reportConnected() {
        SessionTelemetry t = telemetry;
        if (t != SessionTelemetry.NONE) {
            t.connected(Duration.ofNanos(System.nanoTime() - admittedNanos));
        }
    }

    /**
     * Reports the frames {@code input} skipped (replaced by newer ones or too old) since it had
     * skipped {@code seen}; returns how many it has skipped now.
     */
    long reportSkipped(VideoInput input, long seen) {
        long skipped = input.dropped() + input.stale();
        if (skipped > seen) {
            reportDropped((int) Math.min(Integer.MAX_VALUE, skipped - seen));
        }
        return skipped;
    }

    /** Input the session could not keep up with was dropped. */
    void reportDropped(int count) {
        SessionTelemetry t = telemetry;
        if (t != SessionTelemetry.NONE) {
            t.framesDropped(count);
        }
    }

    Owner owner() {
        return owner;
    }

    Inputs inputs() {
        return inputs;
    }

    void setInputs(Inputs values) {
        synchronized (inputsChanged) {
            inputs = values;
            inputsVersion++;
            inputsChanged.notifyAll();
        }
    }

    OutputHub outputs() {
        return outputs;
    }

    /** The media half of this session. */
    abstract Pipeline pipeline();

    /** Starts the time limit, if the stream has one; call once the session is live. */
    void startTimeLimit() {
        if (stream.timeLimit() != null && timeLimit == null) {
            timeLimit = stream.scheduler().schedule(() -> {
                sendMessage(Messages.endStream("time limit of " + stream.timeLimit().toSeconds() + " s reached"));
                close(End.TIMEOUT, "time limit reached");
            }, stream.timeLimit().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    // ---- running user code ----

    /**
     * Starts a thread for this session's work (a virtual thread when the JVM has them); it is
     * interrupted when the session closes.
     */
    void startWorker(String name, Runnable body) {
        start(stream.workerFactory(), name, body);
    }

    /**
     * {@link #startWorker} on a platform thread, for work that is CPU-bound (video) or must run on
     * time (audio playout): virtual threads share a carrier per core, so one would wait behind the
     * other, and audio would stutter under video load.
     */
    void startPlatformWorker(String name, Runnable body) {
        start(stream.platformWorkerFactory(), name, body);
    }

    private void start(ThreadFactory factory, String name, Runnable body) {
        Thread t = factory.newThread(() -> {
            Context.ContextHolder.set(this);
            try {
                body.run();
            } catch (RuntimeException e) {
                LOG.error("{}: {} failed", id, name, e);
            } finally {
                Context.ContextHolder.set(null);
            }
        });
        workers.add(t);
        if (!closed.get()) {
            t.start();
        }
    }

    interface Call<T> {
        T run() throws Exception;
    }

    /** What a call of user code gave: its result, or that it failed (already reported). */
    record Outcome<T>(T value, boolean failed) {
    }

    /**
     * Runs user code; an exception becomes an error message to the client and a failed outcome.
     * Tracked calls (every call that takes or gives media) that run longer than the stream's hang
     * warning are reported.
     */
    <T> Outcome<T> attempt(boolean tracked, Call<T> body) {
        Thread self = Thread.currentThread();
        if (tracked) {
            callsInFlight.put(self, System.nanoTime());
        }
        SessionTelemetry t = telemetry;
        Scope scope = t == SessionTelemetry.NONE ? Scope.NOOP : t.enter();
        try {
            return new Outcome<>(body.run(), false);
        } catch (InterruptedException e) {
            self.interrupt();
            return new Outcome<>(null, true);
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            if (!closed.get()) {
                t.handlerFailed(e);
                WebRtcError forUser = forUser(e);
                if (forUser != null) {
                    reportError(forUser.getMessage());
                } else {
                    reportFault("the handler failed", e);
                }
            }
            return new Outcome<>(null, true);
        } finally {
            scope.close();
            if (tracked && callsInFlight.remove(self) != null && callsInFlight.isEmpty()) {
                hangReported = false;
            }
        }
    }

    /** {@link #attempt} for when a failure only means "no result". */
    <T> T call(boolean tracked, Call<T> body) {
        return attempt(tracked, body).value();
    }

    /** A tracked {@link #call} that hands the handler one frame or chunk, timed for telemetry. */
    <T> T timed(SessionTelemetry.Call kind, Call<T> body) {
        SessionTelemetry t = telemetry;
        if (t == SessionTelemetry.NONE) {
            return call(true, body);
        }
        long start = System.nanoTime();
        try {
            return call(true, body);
        } finally {
            t.handlerCall(kind, System.nanoTime() - start);
        }
    }

    /** Handles what every modality's emit may carry besides media; returns the media part or null. */
    Emit unwrap(Emit emit) {
        if (emit instanceof Emit.WithOutputs both) {
            publish(both.outputs());
            return both.media();
        }
        if (emit instanceof AdditionalOutputs extra) {
            publish(extra);
            return null;
        }
        if (emit instanceof CloseStream end) {
            pipeline().finish(() -> {
                sendMessage(Messages.endStream(end.message()));
                close(End.HANDLER, "handler returned CloseStream");
            });
            return null;
        }
        return emit;
    }

    private void publish(AdditionalOutputs extra) {
        outputs.publish(extra);
        stream.published(this, extra);
        sendMessage(Messages.fetchOutput());
    }

    /** Warns the client once per stuck call; run periodically by the stream. */
    void checkHang(long nowNanos) {
        Duration limit = stream.sessions().hangWarning();
        for (long started : callsInFlight.values()) {
            if (!hangReported && nowNanos - started > limit.toNanos()) {
                hangReported = true;
                LOG.warn("{}: handler has not returned for {} s", id, limit.toSeconds());
                sendMessage(Messages.warning("The handler has not returned for " + limit.toSeconds() + " s"));
            }
        }
    }

    /** The {@link WebRtcError} in a failure's causes, whose message is meant for the client; null if none. */
    private static WebRtcError forUser(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WebRtcError w) {
                return w;
            }
        }
        return null;
    }

    /**
     * Reports a failure whose details are not for the client (an exception's message may name files,
     * hosts or data): the client gets a generic message and an error id, the log the id and the details.
     */
    void reportFault(String detail, Throwable cause) {
        String incident = Incidents.newId();
        if (reportError(Incidents.message("the handler failed", incident))) {
            LOG.warn("{}: {} [error id {}]", id, detail, incident, cause);
        }
    }

    /**
     * Sends an error to the client, at most once a second (a handler may fail on every frame); true
     * if it was sent.
     */
    private boolean reportError(String message) {
        String passed = errors.pass(message);
        if (passed == null) {
            return false;
        }
        LOG.info("{}: error sent to the client: {}", id, passed);
        sendMessage(Messages.error(passed));
        return true;
    }

    // ---- Context and HandlerSession ----

    @Override
    public String webrtcId() {
        return id;
    }

    @Override
    public java.util.Optional<String> principal() {
        return java.util.Optional.ofNullable(owner == null ? null : owner.principal());
    }

    @Override
    public void warn(String message) {
        sendMessage(Messages.warning(message));
    }

    @Override
    public void error(String message) {
        sendMessage(Messages.error(message));
    }

    @Override
    public Context context() {
        return this;
    }

    @Override
    public void clearQueue() {
        pipeline().clearQueue();
    }

    @Override
    public boolean outputPending() {
        return queuedMillis() > 0;
    }

    @Override
    public int queuedMillis() {
        return pipeline().queuedMillis();
    }

    @Override
    public Inputs waitForInputs(Duration timeout) throws InterruptedException {
        if (phoneMode()) {
            return inputs;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inputsChanged) {
            long seen = inputsVersion;
            sendMessage(Messages.sendInput());
            while (inputsVersion == seen && !closed.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(inputsChanged, Math.min(left, TimeUnit.MILLISECONDS.toNanos(250)));
            }
            return inputs;
        }
    }

    @Override
    public Inputs latestInputs() {
        return inputs;
    }

    @Override
    public boolean phoneMode() {
        return false;
    }

    @Override
    public SessionTelemetry telemetry() {
        return telemetry;
    }

    @Override
    public Playout playout() {
        return pipeline().playout();
    }

    @Override
    public void pauseOutput(boolean paused) {
        pipeline().pauseOutput(paused);
    }

    // ---- the end ----

    /** {@link #close(End, String)} for a reason outside the library's own ({@link End#SERVER}). */
    void close(String reason) {
        close(End.SERVER, reason);
    }

    /**
     * Ends the session for {@code reason}, of kind {@code end}. Idempotent; returns at once and
     * frees the slot at once; the transport is torn down and the handler shut down on another thread.
     */
    void close(End end, String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        LOG.debug("{}: closing ({})", id, reason);
        telemetry.closed(end.tag());
        cancel(timeLimit);
        onClosing();
        stream.forget(this);
        outputs.close();
        Thread self = Thread.currentThread();
        for (Thread w : workers) {
            if (w != self) {
                w.interrupt();
            }
        }
        stream.closer().execute(() -> {
            try {
                closeTransport();
                for (Thread w : workers) {
                    try {
                        w.join(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                pipeline().shutdown();
            } finally {
                released.complete(null);
            }
        });
    }

    /** Completes once the session, closed, has torn its transport down and shut its handler down. */
    CompletableFuture<Void> released() {
        return released;
    }

    /** The runtime's drain deadline passed: the client is told (FastRTC's {@code end_stream}), then the session closes. */
    void endDraining() {
        sendMessage(Messages.drained());
        close(End.DRAINING, Messages.DRAINING);
    }

    /** Why the session ended; null while it is open. */
    String closeReason() {
        return closeReason;
    }

    /** Called once, first thing when closing (cancel transport timers). */
    void onClosing() {
    }

    /** Tears the transport down (off the closing thread). */
    abstract void closeTransport();

    static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
