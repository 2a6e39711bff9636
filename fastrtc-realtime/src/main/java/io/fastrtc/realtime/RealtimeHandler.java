package io.fastrtc.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Layout;
import io.fastrtc.audio.Resampler;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.handler.Emit;
import io.fastrtc.internal.Threads;
import io.fastrtc.turn.PauseDetectionModel;
import io.fastrtc.ui.Chatbot;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An audio handler that bridges each call to a realtime speech-to-speech model: the caller's audio
 * goes to the model as it comes, the model's speech comes back as it is generated, and the model's
 * own turn detection (or ours, {@link RealtimeBuilder#localTurnDetection}) decides when it answers
 * and when the caller interrupts it. Build one with
 * {@link OpenAiRealtime#builder()} or {@link GeminiLive#builder()} and pass it to
 * {@code Stream.builder().audio(...)}; it works the same over WebRTC, a WebSocket or a phone call.
 *
 * <p>The handler takes the call's audio at its input rate (48 kHz unless the builder says otherwise,
 * FastRTC's default, so FastRTC's WebSocket clients work unchanged), converts it to the model's rate
 * with a {@link Resampler}, and emits the model's 24 kHz speech; the stream converts the call's own
 * format on the way in and the speech to it on the way out (48 kHz WebRTC, 8 kHz µ-law on the phone).
 * When the caller talks over a reply, what is still queued is dropped here and at the client, and
 * the model is told how much of its reply the caller actually heard (emitted minus
 * {@code queuedMillis()} of the connection), so its memory of the conversation matches the call.
 *
 * <p>The conversation is published as an additional output, the whole list of
 * {@link Chatbot.Message}s so far each time a message is complete (give the stream a
 * {@code Chatbot} output to show it). Tool calls run the registered {@link Tool}s on their own
 * threads. If the model connection fails (refused key, rate limit, lost socket) the caller gets an
 * {@code error} toast and silence (or the configured apology), the call goes on, and the bridge
 * reconnects after a back-off (1 s, doubling up to 30 s; never after a refused key), keeping the
 * last 1.5 s of the caller's audio for the new session. Keys never appear in logs,
 * messages or {@code toString()}.
 */
public final class RealtimeHandler extends StreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RealtimeHandler.class);
    private static final long EMIT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Caller audio kept while the model connects: 1.5 s of 20 ms frames. */
    private static final int MAX_EARLY = 75;

    /** What every copy shares: configuration and one HTTP client (its threads serve every call). */
    static final class Settings {
        final Protocol protocol;
        final List<Tool> tools;
        final AudioFrame apology;
        final Duration connectTimeout;
        final String keyVariable;
        final int inputRate;
        final PauseDetectionModel localTurns;
        final int endOfTurnMillis;
        private volatile HttpClient client;
        private final Executor tasks = Threads.perTask("realtime-tool");

        Settings(Protocol protocol, List<Tool> tools, AudioFrame apology, Duration connectTimeout, String keyVariable,
                int inputRate, PauseDetectionModel localTurns, int endOfTurnMillis) {
            this.protocol = protocol;
            this.inputRate = inputRate;
            this.localTurns = localTurns;
            this.endOfTurnMillis = endOfTurnMillis;
            this.tools = List.copyOf(tools);
            this.apology = apology;
            this.connectTimeout = connectTimeout;
            this.keyVariable = keyVariable;
        }

        HttpClient client() {
            HttpClient c = client;
            if (c == null) {
                synchronized (this) {
                    c = client;
                    if (c == null) {
                        // Its own named daemon threads, so they are told apart from the app's clients.
                        client = c = HttpClient.newBuilder().connectTimeout(connectTimeout)
                                .executor(Executors.newCachedThreadPool(Threads.daemon("realtime-http"))).build();
                    }
                }
            }
            return c;
        }

        Optional<Tool> tool(String name) {
            return tools.stream().filter(t -> t.name().equals(name)).findFirst();
        }
    }

    private final Settings settings;
    private final Protocol protocol;
    private final ReplyQueue reply;
    /** The call's audio to the model's rate; used by the input thread only. */
    private final Resampler toModel;
    /** Our turn-taking when the server's is off; created and used by the input thread. */
    private LocalTurns turns;

    private final Object lock = new Object();
    /** Caller audio from before the session was ready, sent once it is; guarded by lock. */
    private final ArrayDeque<String> early = new ArrayDeque<>();
    // The model connection, guarded by lock.
    private ModelLink link;
    private boolean ready;
    private boolean refused;
    private boolean closed;
    private long retryAt = System.nanoTime();
    private long retryDelay = FIRST_RETRY_NANOS;

    RealtimeHandler(Settings settings) {
        super(settings.inputRate, Layout.MONO, settings.protocol.outputRate());
        this.settings = settings;
        this.protocol = settings.protocol;
        this.reply = new ReplyQueue(protocol.outputRate());
        this.toModel = new Resampler(settings.inputRate, protocol.inputRate(), 1);
    }

    @Override
    public StreamHandler copy() {
        return new RealtimeHandler(settings);
    }

    @Override
    public void startUp() {
        connect();
    }

    @Override
    public void receive(AudioFrame frame) {
        AudioFrame audio = toModel.process(frame);
        String message = audio.isEmpty() ? null : protocol.audio(audio.toBytes());
        boolean reconnect;
        synchronized (lock) {
            reconnect = link == null;
            if (message == null || refused) {
                // nothing to send
            } else if (ready) {
                if (!link.sendAudio(message)) {
                    LOG.debug("{} is not keeping up; dropped 20 ms of caller audio", protocol.vendor());
                }
            } else {
                // Not connected yet (or again): keep the last moments of speech for when it is.
                early.add(message);
                if (early.size() > MAX_EARLY) {
                    early.poll();
                }
            }
        }
        if (reconnect) {
            connect(); // after a failure: again once the back-off has passed
        }
        if (settings.localTurns != null) {
            followTurns(frame);
        }
    }

    /** Our turn-taking: the caller starts (barge-in) and ends turns; the model is told. */
    private void followTurns(AudioFrame frame) {
        if (turns == null) {
            turns = new LocalTurns(settings.localTurns.streamingDetector(), settings.endOfTurnMillis);
        }
        LocalTurns.Change change = turns.feed(frame);
        if (change == LocalTurns.Change.NONE) {
            return;
        }
        ModelLink current;
        synchronized (lock) {
            current = ready ? link : null;
        }
        if (change == LocalTurns.Change.STARTED) {
            boolean replying = reply.responding();
            interrupt(current);
            if (current != null) {
                protocol.userStarted(replying).forEach(current::send);
            }
        } else if (current != null) {
            protocol.userStopped().forEach(current::send);
        }
    }

    @Override
    public Emit emit() throws InterruptedException {
        return reply.next(EMIT_WAIT_NANOS);
    }

    @Override
    public void shutdown() {
        LocalTurns detector = turns;
        if (detector != null) {
            detector.close();
        }
        ModelLink current;
        synchronized (lock) {
            closed = true;
            current = link;
            link = null;
            early.clear();
        }
        reply.clear();
        if (current != null) {
            current.close();
        }
    }

    // ---- the model connection ----

    private void connect() {
        synchronized (lock) {
            if (closed || refused || link != null || System.nanoTime() - retryAt < 0) {
                return;
            }
            link = ModelLink.open(settings.client(), protocol, settings.connectTimeout, new Listener());
        }
    }

    private final class Listener implements ModelLink.Listener, Protocol.Events {
        private ModelLink self;
        private volatile boolean goingAway;

        @Override
        public void onOpen(ModelLink opened) {
            self = opened;
            for (String message : protocol.opening(settings.tools, settings.localTurns != null)) {
                opened.send(message);
            }
        }

        @Override
        public void onMessage(ModelLink from, JsonNode message) {
            if (current(from)) {
                protocol.onMessage(message, this);
            }
        }

        @Override
        public void onLost(ModelLink from, Protocol.Failure failure, String detail) {
            synchronized (lock) {
                if (link != from) {
                    return;
                }
                link = null;
                ready = false;
                refused |= failure == Protocol.Failure.AUTH;
                if (goingAway && failure == Protocol.Failure.DROPPED) {
                    retryAt = System.nanoTime(); // announced: a new session at once, nothing to tell
                } else {
                    retryAt = System.nanoTime() + retryDelay;
                    retryDelay = Math.min(MAX_RETRY_NANOS, retryDelay * 2);
                }
                if (closed) {
                    return;
                }
            }
            boolean midAnswer = reply.lost();
            if (goingAway && failure == Protocol.Failure.DROPPED && !midAnswer) {
                LOG.debug("{} ended the session as announced; reconnecting", protocol.vendor());
                return;
            }
            LOG.warn("{} connection {}: {}", protocol.vendor(), failure == Protocol.Failure.AUTH ? "refused" : "failed",
                    detail);
            tellCaller(failure, null);
            if (midAnswer || failure != Protocol.Failure.DROPPED) {
                apologise();
            }
        }

        private boolean current(ModelLink from) {
            synchronized (lock) {
                return link == from && !closed;
            }
        }

        @Override
        public void ready() {
            synchronized (lock) {
                if (link != self) {
                    return;
                }
                ready = true;
                retryDelay = FIRST_RETRY_NANOS;
                while (!early.isEmpty()) {
                    self.sendAudio(early.poll());
                }
            }
            LOG.debug("{} session ready", protocol.vendor());
        }

        @Override
        public void replyStarted() {
            reply.replyStarted();
        }

        @Override
        public void audio(String itemId, byte[] pcm16) {
            reply.audio(itemId, pcm16);
        }

        @Override
        public void audioDone(String itemId) {
            reply.audioDone(itemId);
        }

        @Override
        public void interrupted() {
            interrupt(self);
        }

        @Override
        public void userText(String text, boolean complete) {
            reply.userText(text, complete);
        }

        @Override
        public void assistantText(String delta) {
            reply.assistantText(delta);
        }

        @Override
        public void turnComplete() {
            reply.turnComplete();
        }

        @Override
        public void goingAway() {
            goingAway = true;
        }

        @Override
        public void toolCall(String callId, String name, String arguments) {
            ModelLink from = self;
            settings.tasks.execute(() -> {
                String output = runTool(name, arguments);
                if (current(from)) {
                    protocol.toolResult(callId, name, output).forEach(from::send);
                }
            });
        }

        @Override
        public void failed(Protocol.Failure failure, String code) {
            LOG.warn("{} reported an error: {}", protocol.vendor(), code);
            tellCaller(failure, code);
        }
    }

    private String runTool(String name, String arguments) {
        Optional<Tool> tool = settings.tool(name);
        if (tool.isEmpty()) {
            LOG.warn("the model called an unknown tool \"{}\"", name);
            return error("no tool named " + name);
        }
        try {
            String result = tool.get().function().call(arguments == null || arguments.isBlank() ? "{}" : arguments);
            return result == null ? "" : result;
        } catch (Exception e) {
            LOG.warn("tool {} failed", name, e);
            return error("the tool failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String error(String message) {
        return Json.write(Json.object().put("error", message));
    }

    /**
     * Barge-in: drop the reply not yet heard, here and at the client, and tell the model (through
     * {@code from}, when connected) what was heard.
     */
    private void interrupt(ModelLink from) {
        synchronized (lock) {
            if (from != null && link != from || closed) {
                return;
            }
        }
        ReplyQueue.Cut cut = reply.cut(attached() ? session().queuedMillis() : 0);
        if (attached()) {
            clearQueue();
        }
        if (cut.dropped() && cut.item() != null && from != null) {
            LOG.debug("interrupted: the caller heard {} ms of {}", cut.heardMillis(), cut.item());
            protocol.truncate(cut.item(), cut.heardMillis()).forEach(from::send);
        }
    }

    /** An {@code error} toast that says what went wrong and what to do, without anything secret. */
    private void tellCaller(Protocol.Failure failure, String code) {
        String message = switch (failure) {
            case AUTH -> "The " + protocol.vendor() + " voice model refused the API key; set " + settings.keyVariable
                    + " (or the builder's apiKey) to a valid key.";
            case RATE_LIMIT -> "The " + protocol.vendor() + " voice model is rate-limited; try again in a moment.";
            case DROPPED -> "Lost the connection to the " + protocol.vendor() + " voice model; reconnecting.";
            case SERVER -> "The " + protocol.vendor() + " voice model reported an error"
                    + (code == null ? "" : " (" + code + ")") + ".";
        };
        if (attached()) {
            try {
                context().error(message);
            } catch (RuntimeException e) {
                LOG.debug("could not tell the caller", e);
            }
        }
    }

    private void apologise() {
        if (settings.apology != null) {
            reply.play(settings.apology);
        }
    }

    @Override
    public String toString() {
        return "RealtimeHandler[" + protocol.vendor() + ", " + settings.tools.size() + " tools]";
    }
}
