package io.fastrtc.stream;

import io.fastrtc.audio.StreamHandler;
import io.fastrtc.cluster.Broker;
import io.fastrtc.cluster.InMemoryBroker;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Inputs;
import io.fastrtc.ice.RtcConfiguration;
import io.fastrtc.transport.HttpReply;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.security.Cors;
import io.fastrtc.security.Limits;
import io.fastrtc.security.Request;
import io.fastrtc.telemetry.Transport;
import io.fastrtc.transport.SocketPeer;
import io.fastrtc.transport.SocketSession;
import io.fastrtc.transport.Endpoints;
import io.fastrtc.transport.UiEndpoints;
import io.fastrtc.ui.Component;
import io.fastrtc.ui.UiOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler served as a real-time stream: FastRTC's {@code Stream} in Java.
 *
 * <pre>{@code
 * Stream stream = Stream.builder()
 *     .video((frame, inputs) -> frame.flipVertical())
 *     .additionalInputs(Slider.of("Threshold", 0, 1, 0.3))
 *     .build();
 * Javalin.create(cfg -> cfg.registerPlugin(new FastRtcPlugin(stream)));   // POST /webrtc/offer
 * }</pre>
 *
 * <p>Each client connects with an offer carrying its own {@code webrtc_id}; that id then names the
 * connection for {@link #setInput}, {@link #outputStream} and {@link #fetchLatestOutput}.
 * A stream owns its connections; {@link #close()} ends them all.
 *
 * <p>On several instances behind a load balancer, give each instance's stream a shared
 * {@link Builder#broker broker} (e.g. {@code RedisBroker} of module {@code fastrtc-redis}): a
 * connection lives in the instance that answered its offer, and the calls by {@code webrtc_id}
 * ({@code handleOffer} with a trickled candidate, {@code setInput}, {@code inputs},
 * {@code outputStream}, {@code fetchLatestOutput}, {@code closeConnection}) work on any instance.
 *
 * <p>Those methods are for the application's own code and reach every connection. On behalf of a
 * client request, use {@link #authorize(Request)}: the {@link Caller} it returns has the same
 * methods, limited to the connections that client opened (see SECURITY.md).
 */
public final class Stream implements AutoCloseable, Endpoints {

    /** Default time from offer to connected before a connection is dropped (FastRTC's fixed 30 s). */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long an offer at the concurrency limit waits for a closing connection to free its slot.
     * A client that stops and immediately starts again would otherwise race the server noticing
     * the stop and be refused (FastRTC's issue 53).
     */
    static final Duration ADMISSION_WAIT = Duration.ofSeconds(1);
    /**
     * A connection libwebrtc reports "disconnected" for this long is closed, freeing its slot. It is
     * how a client that vanished without closing (crash, lost network) is noticed: libwebrtc reports
     * "disconnected" about 7.5 s after the last packet, so the slot is back about 12.5 s after it.
     * A client that closes cleanly frees its slot at once.
     */
    public static final Duration DISCONNECT_GRACE = Duration.ofSeconds(5);
    /**
     * A WebSocket or phone session that receives nothing (no media, no ping) this long is closed,
     * freeing its slot: how a client that vanished without closing its socket is noticed. Twilio and
     * FastRTC's clients send media continuously, silence included. Receive-mode streams are exempt.
     */
    public static final Duration SOCKET_IDLE_TIMEOUT = Duration.ofSeconds(15);
    /**
     * A video frame that waited this long after arriving, because the handler was busy and no newer
     * frame came, is dropped rather than processed: the output would show the past.
     */
    static final Duration MAX_FRAME_AGE = Duration.ofMillis(150);

    private static final Logger LOG = LoggerFactory.getLogger(Stream.class);

    private final Modality modality;
    private final SessionSettings sessions;
    private final Mode mode;
    private final InputComponents inputSpec;
    private final List<Component> outputComponents;
    private final int concurrencyLimit;
    private final Duration timeLimit;
    private final boolean allowExtraTracks;
    private final FastRtc runtime;
    private final ScheduledFuture<?> everySecond;
    private final Capacity capacity;
    private final Broker broker;
    private final Remote remote;
    private final Authorization authorization;
    private final Limits limits;
    private final Cors cors;
    private final Caller server = Caller.server(this);
    private final EarlySubscribers early = new EarlySubscribers(this);
    private final ConnectionRegistry registry;
    private final Admission admission;
    private final Offers offers;
    private final Supplier<RtcConfiguration> rtcConfiguration;
    private final TwilioWebhooks twilio;
    private final UiOptions uiOptions;
    private volatile boolean closed;

    private Stream(Builder b) {
        modality = b.modality;
        mode = b.mode;
        sessions = new SessionSettings(b.videoHandler, b.videoGenerator, b.audioHandler, b.audioGenerator, b.iceConfig,
                b.videoCodec, b.fps, b.hangWarning, b.maxFrameAge, b.connectTimeout);
        inputSpec = new InputComponents(b.inputs);
        outputComponents = List.copyOf(b.outputs);
        concurrencyLimit = b.concurrencyLimit;
        timeLimit = b.timeLimit;
        allowExtraTracks = b.allowExtraTracks;
        runtime = b.runtime != null ? b.runtime : FastRtc.shared();
        limits = b.limits;
        cors = b.cors;
        rtcConfiguration = b.rtcConfiguration;
        uiOptions = b.uiOptions;
        twilio = new TwilioWebhooks(b.telephone, b.trustedProxies);
        capacity = b.capacity;
        broker = b.broker != null ? b.broker : new InMemoryBroker();
        remote = new Remote(this, broker);
        registry = new ConnectionRegistry(runtime, broker, early);
        admission = new Admission(this, registry, b, runtime, broker);
        offers = new Offers(this, registry);
        authorization = new Authorization(this, b.authorizer, cors, b.trustedProxies);
        runtime.register(this);
        try {
            broker.start(remote::serve);
        } catch (RuntimeException e) {
            runtime.unregister(this);
            broker.close();
            throw e;
        }
        everySecond = runtime.timer().scheduleWithFixedDelay(this::everySecond, 1, 1, TimeUnit.SECONDS);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- transports ----

    /**
     * {@link #handleOffer(Request, String)} for a caller that has no request to show
     * ({@link Request#NONE}): with an authorizer, the authorizer decides on an empty request;
     * without one, follow-ups must show the connection's token (or the cookie the answer sets).
     */
    public HttpReply handleOffer(String body) {
        return handleOffer(Request.NONE, body);
    }

    /**
     * Handles {@code POST /webrtc/offer} (an offer or a trickled candidate) and returns the reply to
     * send, headers included. Transport adapters call this; it never throws. The authorizer decides
     * first; a candidate is accepted only from the connection's owner (anyone else gets
     * {@code unknown_connection}, as for an unknown id); an offer's answer carries the new
     * connection's {@code token}, and sets the client cookie when there is no authorizer. A
     * candidate for a connection another instance owns is handed to that instance, which checks.
     */
    @Override
    public HttpReply handleOffer(Request request, String body) {
        return offers.handle(request, body);
    }

    /**
     * {@code GET /webrtc/rtc-configuration}: the client's {@code RTCConfiguration} JSON. A refused
     * request gets its status, a failing provider HTTP 500, both as {@code {"error": message}}
     * (FastRTC's shape for this route). The provider's own message stays in the log: credential
     * helpers name internal URLs and what the TURN service answered. Transport adapters call this
     * and must not let the answer be cached.
     */
    @Override
    public HttpReply handleRtcConfiguration(Request request) {
        return offers.rtcConfiguration(request);
    }

    /**
     * Serves a WebSocket speaking FastRTC's {@code /websocket/offer} protocol; call it when the
     * socket opens and forward its frames and close to the returned session. The authorizer decides
     * on the upgrade request first (a refusal closes the socket with 1008, a failing authorizer with
     * 1011), and the session's {@code start} is admitted for that caller (rate limit, process cap,
     * ownership). Audio streams only (other streams close the socket with 1008).
     */
    @Override
    public SocketSession openWebSocket(SocketPeer peer, Request upgrade) {
        return new WebSocketEndpoint(this, Objects.requireNonNull(peer, "peer"),
                Objects.requireNonNull(upgrade, "upgrade")).open();
    }

    /**
     * Serves a Twilio Media Streams WebSocket ({@code /telephone/handler}), as
     * {@link #openWebSocket}; the authorizer decides on it too. With an auth token in
     * {@link Builder#telephone}, a handshake without a valid {@code X-Twilio-Signature} is closed with
     * 1008 before the authorizer is asked.
     */
    @Override
    public SocketSession openTelephone(SocketPeer peer, Request upgrade) {
        return new TwilioEndpoint(this, Objects.requireNonNull(peer, "peer"),
                Objects.requireNonNull(upgrade, "upgrade")).open();
    }

    /**
     * Answers Twilio's voice webhook ({@code POST {path}/telephone/incoming} with its form-encoded
     * {@code body}) with TwiML connecting the call to {@code {path}/telephone/handler}: the
     * signature is checked if required (403 {@code forbidden}, the expected URL in the log), then the
     * authorizer decides; see
     * {@link TwilioWebhooks#answer}.
     */
    @Override
    public HttpReply handleIncomingCall(Request request, String body) {
        return twilio.incomingCall(this, request, body);
    }

    /**
     * Runs the authorizer on {@code request} and returns the caller it admits, through which the
     * request may reach its own connections. Call it from every route that acts for a client.
     * A WebSocket upgrade (browsers do not apply CORS to those) is refused unless its
     * {@code Origin} is the server's own (its {@code Host}, or a trusted proxy's
     * {@code X-Forwarded-Host}) or allowed by {@link Builder#cors}.
     *
     * @throws AccessDenied with the authorizer's status and message, 403 for a foreign WebSocket
     *     origin, 500 if the authorizer failed
     */
    public Caller authorize(Request request) {
        return authorization.authorize(request);
    }

    // ---- connections ----

    /**
     * Sets the additional-input values of a connection; the handler sees them from its next call.
     * With components declared, pass one value per component, in order; each is checked and
     * converted by its component.
     *
     * @throws UnknownConnectionException if no open connection has this id
     * @throws IllegalArgumentException naming the bad value and what its component accepts
     */
    public void setInput(String webrtcId, Object... values) {
        server.setInput(webrtcId, values);
    }

    /** The same as {@link #setInput(String, Object...)} with the values in a list. */
    public void setInput(String webrtcId, List<?> values) {
        server.setInput(webrtcId, values);
    }

    Inputs coerceInputs(List<?> values) {
        return inputSpec.coerce(values);
    }

    /** The current additional-input values of a connection. */
    public Inputs inputs(String webrtcId) {
        return server.inputs(webrtcId);
    }

    /**
     * The additional outputs of a connection from now on, ending when the connection ends.
     *
     * @throws UnknownConnectionException if no open connection has this id
     */
    public OutputFeed outputStream(String webrtcId) {
        return server.outputStream(webrtcId);
    }

    /**
     * The latest additional outputs of a connection, waiting up to {@code timeout} for a first one;
     * empty if none came (FastRTC's {@code fetch_latest_output}).
     */
    public java.util.Optional<AdditionalOutputs> fetchLatestOutput(String webrtcId, Duration timeout)
            throws InterruptedException {
        return server.fetchLatestOutput(webrtcId, timeout);
    }

    /** Ids of the open connections of this instance (connecting or connected). */
    public Set<String> connectionIds() {
        return registry.ids();
    }

    /**
     * The handler instance serving a connection (its per-connection copy), e.g. to call
     * {@code ReplyOnPause.triggerResponse()} from a route, as FastRTC's {@code stream.handlers[id]}.
     * Empty for video streams, whose handlers are functions. Only on the instance that owns the connection.
     */
    public java.util.Optional<StreamHandler> handler(String webrtcId) {
        return server.handler(webrtcId);
    }

    /** Closes one connection, on whichever instance it lives. */
    public void closeConnection(String webrtcId) {
        server.closeConnection(webrtcId);
    }

    /** The open session of this instance with this id, or null. */
    Session local(String webrtcId) {
        return registry.local(webrtcId);
    }

    /** The id, checked to be one another instance could own. */
    static String known(String webrtcId) {
        if (webrtcId == null || webrtcId.isEmpty()) {
            throw new UnknownConnectionException(webrtcId);
        }
        return webrtcId;
    }

    /** This instance's open sessions, for the runtime's drain. */
    List<Session> openSessions() {
        return registry.snapshot();
    }

    void forget(Session connection) {
        registry.forget(connection);
    }

    boolean isClosed() {
        return closed;
    }

    Remote remote() {
        return remote;
    }

    EarlySubscribers early() {
        return early;
    }

    Admission admission() {
        return admission;
    }

    Offers offers() {
        return offers;
    }

    /**
     * A new session of {@code transport} was refused with {@code code}, its error code as the client
     * sees it: every transport's refusals are reported here.
     */
    void refused(Transport transport, String code) {
        runtime.events().offerRefused(transport, code);
    }

    /** A session's new outputs, for subscribers on other instances. */
    void published(Session session, AdditionalOutputs outputs) {
        remote.published(session.webrtcId(), outputs);
    }

    private void everySecond() {
        capacity.sample(runtime.sessions().get());
        long now = System.nanoTime();
        for (Session connection : registry.sessions()) {
            connection.checkHang(now);
        }
    }

    /** Ends every connection and stops accepting offers. */
    @Override
    public void close() {
        closed = true;
        early.arrived(null);
        for (Session connection : registry.snapshot()) {
            connection.close(Session.End.SHUTDOWN, "stream closed");
        }
        everySecond.cancel(false);
        broker.close();
        runtime.unregister(this);
    }

    // ---- configuration, for the package and the UI ----

    public Modality modality() {
        return modality;
    }

    public Mode mode() {
        return mode;
    }

    public List<Component> additionalInputs() {
        return inputSpec.list();
    }

    public List<Component> additionalOutputs() {
        return outputComponents;
    }

    public int concurrencyLimit() {
        return concurrencyLimit;
    }

    /** How many streams the process admits ({@link Capacity#UNLIMITED} unless set). */
    public Capacity capacity() {
        return capacity;
    }

    /** Null when connections have no time limit. */
    public Duration timeLimit() {
        return timeLimit;
    }

    Inputs defaultInputs() {
        return inputSpec.defaults();
    }

    /** What the stream's sessions are made of and how they behave. */
    SessionSettings sessions() {
        return sessions;
    }

    Limits limits() {
        return limits;
    }

    boolean allowExtraTracks() {
        return allowExtraTracks;
    }

    /** Which other origins may call the stream's routes from a browser; adapters apply it to every route. */
    @Override
    public Cors cors() {
        return cors;
    }

    RtcEngine engine() {
        return runtime.engine();
    }

    /** The runtime this stream runs on (its engine, threads and process-wide count). */
    public FastRtc runtime() {
        return runtime;
    }

    ScheduledExecutorService scheduler() {
        return runtime.timer();
    }

    ThreadFactory workerFactory() {
        return runtime.workers();
    }

    ThreadFactory platformWorkerFactory() {
        return runtime.platformWorkers();
    }

    /**
     * What this instance is doing now, for monitoring and benchmarks: the open connections, the
     * offers refused for want of room so far, and over the open connections the incoming video
     * frames received, replaced by a newer one before the handler was free, and dropped as too
     * old, and how many send at reduced resolution.
     */
    public Stats stats() {
        return registry.stats(admission.refused(), capacity.perStreamShare());
    }

    /**
     * A snapshot of {@link #stats()}.
     *
     * @param connections open connections of this instance, connecting or connected
     * @param refused offers and sessions refused with {@code concurrency_limit_reached} since the stream started
     * @param framesReceived incoming video frames of the open connections
     * @param framesReplaced frames a newer one replaced while the handler was busy (latest frame wins)
     * @param framesStale frames dropped because they had waited too long for the handler
     * @param scaledDown open connections whose outgoing video is sent at reduced resolution
     * @param cpuPerStream the measured share of all cores one stream costs ({@link Capacity#cpu}); NaN otherwise
     */
    public record Stats(int connections, long refused, long framesReceived, long framesReplaced, long framesStale,
            int scaledDown, double cpuPerStream) {
    }

    Executor closer() {
        return runtime.closer();
    }


    TwilioWebhooks twilio() {
        return twilio;
    }

    /**
     * The ICE configuration for a client about to connect, resolved now (a provider set with
     * {@link Builder#rtcConfiguration(Supplier)} is called on every call);
     * {@link RtcConfiguration#NONE} if none was set. Adapters serve it as
     * {@code GET {path}/webrtc/rtc-configuration}, for front ends to pass to {@code new RTCPeerConnection(...)}.
     *
     * @throws IllegalStateException if the provider returns null; whatever the provider throws
     */
    public RtcConfiguration rtcConfiguration() {
        RtcConfiguration config = rtcConfiguration.get();
        if (config == null) {
            throw new IllegalStateException("the rtcConfiguration provider returned null; return RtcConfiguration.NONE"
                    + " for no ICE servers");
        }
        return config;
    }

    /** Builds a {@link Stream}; every setting is checked when set, with a message naming the fix. */
    public static final class Builder extends StreamSettings<Builder> {

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        public Stream build() {
            check();
            return new Stream(this);
        }
    }

    /**
     * The built-in web UI with the options given to the builder: {@code stream.ui().launch()} (with
     * module {@code fastrtc-javalin}), or served by an adapter next to the stream's routes.
     */
    public WebUi ui() {
        return new WebUi(this, uiOptions);
    }

    /** The built-in web UI with other options. */
    public WebUi ui(UiOptions options) {
        return new WebUi(this, options);
    }

    @Override
    public UiEndpoints uiEndpoints(UiOptions options, String uiPath, String streamPath) {
        return new WebUiEndpoints(this, Objects.requireNonNull(options, "options"), uiPath, streamPath);
    }
}
