package io.fastrtc.stream;

import io.fastrtc.engine.AudioInput;
import io.fastrtc.engine.DataChannel;
import io.fastrtc.engine.PeerSession;
import io.fastrtc.engine.PeerState;
import io.fastrtc.engine.Sdp;
import io.fastrtc.engine.VideoInput;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.CloseStream;
import io.fastrtc.handler.Context;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.HandlerSession;
import io.fastrtc.handler.Inputs;
import io.fastrtc.protocol.Messages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of a {@link Stream}: its peer session, media pipeline, inputs, outputs and
 * timers. Every way a connection can end goes through the one idempotent {@link #close(String)}.
 * It is also the {@link Context} and {@link HandlerSession} its handler sees.
 */
final class Connection implements PeerSession.Listener, Context, HandlerSession {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** Largest data-channel message we read; larger ones get an error reply. */
    static final int MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;
    private static final long ERROR_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Stream stream;
    private final String id;
    private final Pipeline pipeline;
    private final OutputHub outputs = new OutputHub();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<String[]> pendingCandidates = new ArrayList<>();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private final Map<Thread, Long> callsInFlight = new ConcurrentHashMap<>();
    private final Object inputsChanged = new Object();
    private volatile PeerSession session;
    private volatile boolean remoteApplied;
    private volatile DataChannel channel;
    private volatile Inputs inputs;
    private long inputsVersion;
    private volatile ScheduledFuture<?> connectTimeout;
    private volatile ScheduledFuture<?> timeLimit;
    private volatile ScheduledFuture<?> disconnectGrace;
    private volatile boolean everConnected;
    private volatile boolean hangReported;
    private long lastErrorNanos;
    private int suppressedErrors;

    Connection(Stream stream, String id) {
        this.stream = stream;
        this.id = id;
        this.inputs = stream.defaultInputs();
        this.pipeline = Pipeline.create(stream, this);
    }

    /** Creates the peer connection and answers the offer; throws if the offer cannot be applied. */
    String negotiate(String offerSdp) {
        PeerSession s = stream.engine().newSession(id, stream.iceConfig(), this);
        session = s;
        String codec = stream.videoCodec().sdpName();
        s.setRemoteDescription(true, codec == null ? offerSdp : Sdp.preferVideoCodec(offerSdp, codec));
        flushCandidates(s);
        pipeline.addOutputs(s);
        String answer = s.createAnswer();
        connectTimeout = stream.scheduler().schedule(() -> close("not connected within "
                + stream.connectTimeout().toMillis() + " ms"), stream.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return answer;
    }

    /** Adds a trickled candidate, or keeps it until the offer has been applied. */
    void addCandidate(String mid, int index, String candidate) {
        synchronized (pendingCandidates) {
            if (!remoteApplied) {
                pendingCandidates.add(new String[] {mid, Integer.toString(index), candidate});
                return;
            }
        }
        session.addIceCandidate(mid, index, candidate);
    }

    private void flushCandidates(PeerSession s) {
        List<String[]> queued;
        synchronized (pendingCandidates) {
            remoteApplied = true;
            queued = new ArrayList<>(pendingCandidates);
            pendingCandidates.clear();
        }
        for (String[] c : queued) {
            try {
                s.addIceCandidate(c[0], Integer.parseInt(c[1]), c[2]);
            } catch (RuntimeException e) {
                LOG.debug("{}: early candidate rejected: {}", id, e.getMessage());
            }
        }
    }

    Stream stream() {
        return stream;
    }

    boolean isClosed() {
        return closed.get();
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

    Pipeline pipeline() {
        return pipeline;
    }

    // ---- peer events (on a library thread, in order) ----

    @Override
    public void onStateChange(PeerState state) {
        switch (state) {
            case CONNECTED -> onConnected();
            case DISCONNECTED -> disconnectGrace = stream.scheduler().schedule(
                    () -> close("network lost for " + Stream.DISCONNECT_GRACE.toSeconds() + " s"),
                    Stream.DISCONNECT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            case FAILED -> close("connection failed");
            case CLOSED -> close("connection closed");
            default -> {
            }
        }
    }

    private void onConnected() {
        cancel(connectTimeout);
        cancel(disconnectGrace);
        if (everConnected) {
            return;
        }
        everConnected = true;
        if (stream.timeLimit() != null) {
            timeLimit = stream.scheduler().schedule(() -> {
                sendMessage(Messages.endStream("time limit of " + stream.timeLimit().toSeconds() + " s reached"));
                close("time limit reached");
            }, stream.timeLimit().toMillis(), TimeUnit.MILLISECONDS);
        }
        pipeline.onConnected();
    }

    @Override
    public void onVideoTrack(VideoInput input) {
        if (stream.modality().accepts("video")) {
            pipeline.onVideoTrack(input);
        }
    }

    @Override
    public void onAudioTrack(AudioInput input) {
        if (stream.modality().accepts("audio")) {
            pipeline.onAudioTrack(input);
        }
    }

    @Override
    public void onDataChannel(DataChannel ch) {
        channel = ch;
    }

    @Override
    public void onDataChannelMessage(DataChannel ch, byte[] data, boolean binary) {
        if (data.length > MAX_CLIENT_MESSAGE_BYTES) {
            ch.send(Messages.error("message of " + data.length + " bytes ignored; the limit is "
                    + MAX_CLIENT_MESSAGE_BYTES));
            return;
        }
        // FastRTC acknowledges every client message this way; clients may rely on it.
        ch.send(Messages.log("Server received: " + new String(data, StandardCharsets.UTF_8)));
    }

    @Override
    public void onDataChannelClosed(DataChannel ch) {
        if (ch == channel) {
            close("client closed the data channel");
        }
    }

    // ---- running user code ----

    /** Starts a thread for this connection's work; it is interrupted when the connection closes. */
    void startWorker(String name, Runnable body) {
        Thread t = stream.workerFactory().newThread(() -> {
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
     * Tracked calls that run longer than the stream's hang warning are reported.
     */
    <T> Outcome<T> attempt(boolean tracked, Call<T> body) {
        Thread self = Thread.currentThread();
        if (tracked) {
            callsInFlight.put(self, System.nanoTime());
        }
        try {
            return new Outcome<>(body.run(), false);
        } catch (InterruptedException e) {
            self.interrupt();
            return new Outcome<>(null, true);
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            if (!closed.get()) {
                reportError(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
            }
            return new Outcome<>(null, true);
        } finally {
            if (tracked && callsInFlight.remove(self) != null && callsInFlight.isEmpty()) {
                hangReported = false;
            }
        }
    }

    /** {@link #attempt} for when a failure only means "no result". */
    <T> T call(boolean tracked, Call<T> body) {
        return attempt(tracked, body).value();
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
            pipeline.finish(() -> {
                sendMessage(Messages.endStream(end.message()));
                close("handler returned CloseStream");
            });
            return null;
        }
        return emit;
    }

    private void publish(AdditionalOutputs extra) {
        outputs.publish(extra);
        sendMessage(Messages.fetchOutput());
    }

    /** Warns the client once per stuck call; run periodically by the stream. */
    void checkHang(long nowNanos) {
        Duration limit = stream.hangWarning();
        for (long started : callsInFlight.values()) {
            if (!hangReported && nowNanos - started > limit.toNanos()) {
                hangReported = true;
                LOG.warn("{}: handler has not returned for {} s", id, limit.toSeconds());
                sendMessage(Messages.warning("The handler has not returned for " + limit.toSeconds()
                        + " s; input is being dropped until it does"));
            }
        }
    }

    /** Sends an error to the client and logs it, at most once a second (a handler may fail on every frame). */
    void reportError(String message, Throwable cause) {
        long now = System.nanoTime();
        synchronized (this) {
            if (lastErrorNanos != 0 && now - lastErrorNanos < ERROR_INTERVAL_NANOS) {
                suppressedErrors++;
                return;
            }
            if (suppressedErrors > 0) {
                message = message + " (" + suppressedErrors + " similar errors suppressed)";
                suppressedErrors = 0;
            }
            lastErrorNanos = now;
        }
        LOG.warn("{}: handler failed: {}", id, message, cause);
        sendMessage(Messages.error(message));
    }

    // ---- Context and HandlerSession ----

    @Override
    public String webrtcId() {
        return id;
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
    public void sendMessage(String text) {
        DataChannel ch = channel;
        if (ch != null) {
            ch.send(text);
        }
    }

    @Override
    public Context context() {
        return this;
    }

    @Override
    public void clearQueue() {
        pipeline.clearQueue();
    }

    @Override
    public boolean outputPending() {
        return pipeline.queuedMillis() > 0;
    }

    @Override
    public Inputs waitForInputs(Duration timeout) throws InterruptedException {
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

    // ---- the end ----

    /** Ends the connection for {@code reason}. Idempotent; returns at once and frees the slot at once. */
    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.debug("{}: closing ({})", id, reason);
        cancel(connectTimeout);
        cancel(timeLimit);
        cancel(disconnectGrace);
        stream.forget(this);
        outputs.close();
        Thread self = Thread.currentThread();
        for (Thread w : workers) {
            if (w != self) {
                w.interrupt();
            }
        }
        stream.closer().execute(() -> {
            PeerSession s = session;
            if (s != null) {
                s.close();
            }
            for (Thread w : workers) {
                try {
                    w.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            pipeline.shutdown();
        });
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
