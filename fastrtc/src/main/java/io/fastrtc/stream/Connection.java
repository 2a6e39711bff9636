package io.fastrtc.stream;

import io.fastrtc.engine.DataChannel;
import io.fastrtc.engine.PeerSession;
import io.fastrtc.engine.PeerState;
import io.fastrtc.engine.Sdp;
import io.fastrtc.engine.VideoInput;
import io.fastrtc.engine.VideoOutput;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.CloseStream;
import io.fastrtc.handler.Context;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.Inputs;
import io.fastrtc.protocol.Messages;
import io.fastrtc.video.VideoFrame;
import io.fastrtc.video.VideoHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of a {@link Stream}: its peer session, handler copy, inputs, outputs and
 * timers. Every way a connection can end goes through the one idempotent {@link #close(String)}.
 */
final class Connection implements PeerSession.Listener, Context {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** Largest data-channel message we read; larger ones get an error reply. */
    static final int MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;
    private static final long ERROR_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Stream stream;
    private final String id;
    private final VideoHandler handler;
    private final OutputHub outputs = new OutputHub();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<String[]> pendingCandidates = new ArrayList<>();
    private volatile PeerSession session;
    private volatile boolean remoteApplied;
    private volatile VideoOutput output;
    private volatile DataChannel channel;
    private volatile Inputs inputs;
    private volatile Thread worker;
    private volatile ScheduledFuture<?> connectTimeout;
    private volatile ScheduledFuture<?> timeLimit;
    private volatile ScheduledFuture<?> disconnectGrace;
    private volatile boolean everConnected;
    private volatile long callStartedNanos;
    private volatile boolean hangReported;
    private long lastErrorNanos;
    private int suppressedErrors;

    Connection(Stream stream, String id) {
        this.stream = stream;
        this.id = id;
        this.handler = stream.videoHandler() == null ? null : stream.videoHandler().copy();
        this.inputs = stream.defaultInputs();
    }

    /** Creates the peer connection and answers the offer; throws if the offer cannot be applied. */
    String negotiate(String offerSdp) {
        PeerSession s = stream.engine().newSession(id, stream.iceConfig(), this);
        session = s;
        String codec = stream.videoCodec().sdpName();
        s.setRemoteDescription(true, codec == null ? offerSdp : Sdp.preferVideoCodec(offerSdp, codec));
        flushCandidates(s);
        if (stream.mode() != Mode.SEND) {
            // Its own stream id: sharing one with audio makes the receiver's lip-sync add growing delay.
            output = s.addVideoOutput("video-" + id, "v-" + id);
        }
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

    @Override
    public String webrtcId() {
        return id;
    }

    boolean isClosed() {
        return closed.get();
    }

    Inputs inputs() {
        return inputs;
    }

    void setInputs(Inputs values) {
        inputs = values;
    }

    OutputHub outputs() {
        return outputs;
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
                send(Messages.endStream("time limit of " + stream.timeLimit().toSeconds() + " s reached"));
                close("time limit reached");
            }, stream.timeLimit().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (stream.mode() == Mode.RECEIVE) {
            startWorker(this::runGenerator);
        }
    }

    @Override
    public void onVideoTrack(VideoInput input) {
        if (stream.mode() != Mode.RECEIVE && stream.modality().accepts("video") && worker == null) {
            startWorker(() -> runHandler(input));
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

    // ---- handler work (on the connection's worker thread) ----

    private void startWorker(Runnable body) {
        Thread t = stream.workerFactory().newThread(() -> {
            Context.ContextHolder.set(this);
            try {
                body.run();
            } finally {
                Context.ContextHolder.set(null);
            }
        });
        worker = t;
        if (closed.get()) {
            return;
        }
        t.start();
    }

    private void runHandler(VideoInput input) {
        try {
            while (!closed.get()) {
                VideoFrame frame = input.take(250, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    Inputs current = inputs;
                    deliver(call(() -> handler.handle(frame, current)));
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private void runGenerator() {
        Iterator<? extends Emit> frames = call(() -> stream.videoGenerator().generate(inputs));
        if (frames == null) {
            return;
        }
        long period = 1_000_000_000L / stream.fps();
        long next = System.nanoTime();
        try {
            while (!closed.get()) {
                Boolean more = call(frames::hasNext);
                if (more == null) {
                    continue;
                }
                if (!more) {
                    send(Messages.endStream(""));
                    close("generator finished");
                    return;
                }
                deliver(call(frames::next));
                next += period;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } else if (-wait > 1_000_000_000L) {
                    next = System.nanoTime(); // far behind: do not burst to catch up
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    /** Runs user code; an exception becomes an error message to the client and a null result. */
    private <T> T call(Call<T> body) {
        callStartedNanos = System.nanoTime();
        try {
            return body.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            if (!closed.get()) {
                reportError(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
            }
            return null;
        } finally {
            callStartedNanos = 0;
            hangReported = false;
        }
    }

    private void deliver(Emit emit) {
        if (emit == null || closed.get()) {
            return;
        }
        if (emit instanceof VideoFrame frame) {
            VideoOutput out = output;
            if (out != null && stream.mode() != Mode.SEND) {
                out.push(frame);
            }
        } else if (emit instanceof Emit.WithOutputs both) {
            deliver(both.media());
            publish(both.outputs());
        } else if (emit instanceof AdditionalOutputs extra) {
            publish(extra);
        } else if (emit instanceof CloseStream end) {
            send(Messages.endStream(end.message()));
            close("handler returned CloseStream");
        } else {
            reportError("video handler returned " + emit.getClass().getSimpleName()
                    + "; return a VideoFrame, AdditionalOutputs, CloseStream or null", null);
        }
    }

    private void publish(AdditionalOutputs extra) {
        outputs.publish(extra);
        send(Messages.fetchOutput());
    }

    /** Warns the client once per stuck call; run periodically by the stream. */
    void checkHang(long nowNanos) {
        long started = callStartedNanos;
        if (started != 0 && !hangReported && nowNanos - started > stream.hangWarning().toNanos()) {
            hangReported = true;
            LOG.warn("{}: handler has not returned for {} s", id, stream.hangWarning().toSeconds());
            send(Messages.warning("The handler has not returned for " + stream.hangWarning().toSeconds()
                    + " s; frames are being dropped until it does"));
        }
    }

    /** Sends an error to the client and logs it, at most once a second (a handler may fail on every frame). */
    private void reportError(String message, Throwable cause) {
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
        send(Messages.error(message));
    }

    // ---- Context ----

    @Override
    public void warn(String message) {
        send(Messages.warning(message));
    }

    @Override
    public void error(String message) {
        send(Messages.error(message));
    }

    @Override
    public void sendMessage(String text) {
        send(text);
    }

    private void send(String message) {
        DataChannel ch = channel;
        if (ch != null) {
            ch.send(message);
        }
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
        Thread w = worker;
        if (w != null && w != Thread.currentThread()) {
            w.interrupt();
        }
        stream.closer().execute(() -> {
            PeerSession s = session;
            if (s != null) {
                s.close();
            }
            if (w != null && w != Thread.currentThread()) {
                try {
                    w.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (handler != null) {
                try {
                    handler.shutdown();
                } catch (Exception | LinkageError e) {
                    LOG.warn("{}: handler shutdown failed", id, e);
                }
            }
        });
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
