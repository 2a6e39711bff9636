package io.fastrtc.stream;

import io.fastrtc.audio.AudioGenerator;
import io.fastrtc.audio.AudioVideoStreamHandler;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.cluster.Broker;
import io.fastrtc.cluster.BrokerException;
import io.fastrtc.cluster.InMemoryBroker;
import io.fastrtc.engine.EngineException;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.engine.Sdp;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Inputs;
import io.fastrtc.handler.InvalidInputException;
import io.fastrtc.ice.IceConfig;
import io.fastrtc.ice.IceServer;
import io.fastrtc.ice.RtcConfiguration;
import io.fastrtc.internal.Incidents;
import io.fastrtc.internal.RateLimiter;
import io.fastrtc.internal.Threads;
import io.fastrtc.protocol.HttpReply;
import io.fastrtc.protocol.Json;
import io.fastrtc.protocol.OfferRequest;
import io.fastrtc.protocol.ProtocolException;
import io.fastrtc.protocol.RequestBody;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.security.Authorizer;
import io.fastrtc.security.Cors;
import io.fastrtc.security.Limits;
import io.fastrtc.security.Request;
import io.fastrtc.security.TrustedProxies;
import io.fastrtc.telephone.TelephoneOptions;
import io.fastrtc.telephone.TwilioWebhooks;
import io.fastrtc.transport.SocketPeer;
import io.fastrtc.transport.SocketSession;
import io.fastrtc.transport.javalin.JavalinRoutes;
import io.fastrtc.ui.Component;
import io.fastrtc.ui.UiOptions;
import io.fastrtc.ui.WebUi;
import io.fastrtc.video.VideoGenerator;
import io.fastrtc.video.VideoHandler;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
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
 * stream.mount(app);   // POST /webrtc/offer
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
public final class Stream implements AutoCloseable {

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
    /** Sessions open in this JVM, across streams, against {@link Limits#maxTotalConnections()}. */
    private static final AtomicInteger OPEN_SESSIONS = new AtomicInteger();

    private final Modality modality;
    private final Mode mode;
    private final VideoHandler videoHandler;
    private final VideoGenerator videoGenerator;
    private final StreamHandler audioHandler;
    private final AudioGenerator audioGenerator;
    private final List<Component> inputComponents;
    private final List<Component> outputComponents;
    private final int concurrencyLimit;
    private final Duration timeLimit;
    private final Duration connectTimeout;
    private final IceConfig iceConfig;
    private final VideoCodec videoCodec;
    private final int fps;
    private final boolean allowExtraTracks;
    private final Duration hangWarning;
    private final RtcEngine engineOverride;
    private final int globalConcurrencyLimit;
    private final Capacity capacity;
    private final Duration maxFrameAge;
    /** Offers and sessions refused with {@code concurrency_limit_reached}, for {@link #stats()}. */
    private final AtomicLong refused = new AtomicLong();
    private final Broker broker;
    private final Remote remote;
    private final Authorizer authorizer;
    private final Limits limits;
    private final Cors cors;
    private final TrustedProxies trustedProxies;
    private final RateLimiter newSessions;
    private final Caller server = Caller.server(this);
    private final EarlySubscribers early = new EarlySubscribers(this);

    private final Map<String, Session> connections = new ConcurrentHashMap<>();
    /** Ids admitted whose session is still being created; they count against the limit. Guarded by {@code connections}. */
    private final Set<String> reserved = new HashSet<>();
    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadFactory workers = Threads.workers("fastrtc-handler");
    private final ThreadFactory platformWorkers = Threads.daemon("fastrtc-media");
    private final Executor closer = Threads.perTask("fastrtc-close");
    private volatile boolean closed;

    private Stream(Builder b) {
        modality = b.modality;
        mode = b.mode;
        videoHandler = b.videoHandler;
        videoGenerator = b.videoGenerator;
        audioHandler = b.audioHandler;
        audioGenerator = b.audioGenerator;
        inputComponents = List.copyOf(b.inputs);
        outputComponents = List.copyOf(b.outputs);
        concurrencyLimit = b.concurrencyLimit;
        timeLimit = b.timeLimit;
        connectTimeout = b.connectTimeout;
        iceConfig = b.iceConfig;
        videoCodec = b.videoCodec;
        fps = b.fps;
        allowExtraTracks = b.allowExtraTracks;
        hangWarning = b.hangWarning;
        engineOverride = b.engine;
        authorizer = b.authorizer;
        limits = b.limits;
        cors = b.cors;
        trustedProxies = b.trustedProxies;
        newSessions = RateLimiter.perMinute(limits.offersPerMinute());
        rtcConfiguration = b.rtcConfiguration;
        scheduler = new ScheduledThreadPoolExecutor(1, Threads.daemon("fastrtc-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.scheduleWithFixedDelay(this::everySecond, 1, 1, TimeUnit.SECONDS);
        uiOptions = b.uiOptions;
        twilio = new TwilioWebhooks(b.telephone, trustedProxies);
        globalConcurrencyLimit = b.globalConcurrencyLimit;
        capacity = b.capacity;
        maxFrameAge = b.maxFrameAge;
        broker = b.broker != null ? b.broker : new InMemoryBroker();
        remote = new Remote(this, broker);
        try {
            broker.start(remote::serve);
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            broker.close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- transports ----

    /**
     * Adds FastRTC's routes to a Javalin app: {@code POST /webrtc/offer};
     * {@code GET /webrtc/rtc-configuration} answering {@link #rtcConfiguration()} as JSON for front
     * ends; {@code WS /websocket/offer} (FastRTC's WebSocket audio protocol); and for phone calls
     * {@code POST /telephone/incoming} (Twilio's voice webhook) and {@code WS /telephone/handler}
     * (Twilio Media Streams).
     */
    public void mount(Javalin app) {
        mount(app, "");
    }

    /** Adds FastRTC's routes under {@code path}, e.g. {@code "/api"} gives {@code POST /api/webrtc/offer}. */
    public void mount(Javalin app, String path) {
        JavalinRoutes.mount(this, app.unsafe.routes, path);
    }

    /** The same, for Javalin's configuration style: {@code Javalin.create(cfg -> stream.mount(cfg, "/"))}. */
    public void mount(JavalinConfig config, String path) {
        JavalinRoutes.mount(this, config.routes, path);
    }

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
    public HttpReply handleOffer(Request request, String body) {
        if (closed) {
            return HttpReply.failed(503, "stream_closed", "this stream is closed");
        }
        Caller caller;
        OfferRequest offer;
        try {
            caller = authorize(request);
            RequestBody.checkJson(request.header("content-type"));
            offer = OfferRequest.parse(body);
        } catch (AccessDenied e) {
            return e.reply();
        } catch (ProtocolException e) {
            return e.reply();
        }
        if (!offer.isCandidate()) {
            return handleSdpOffer(caller, offer);
        }
        if (connections.containsKey(offer.webrtcId())) {
            return handleLocalCandidate(caller, offer);
        }
        try {
            HttpReply elsewhere = remote.candidate(caller, offer.webrtcId(), body);
            return elsewhere != null ? elsewhere : HttpReply.failed("unknown_connection", Map.of());
        } catch (RuntimeException e) {
            LOG.warn("candidate for {} not delivered: {}", offer.webrtcId(), e.getMessage());
            return HttpReply.failed(503, "owner_unreachable", "the instance holding this connection did not answer");
        }
    }

    /**
     * {@code GET /webrtc/rtc-configuration}: the client's {@code RTCConfiguration} JSON. A refused
     * request gets its status, a failing provider HTTP 500, both as {@code {"error": message}}
     * (FastRTC's shape for this route). The provider's own message stays in the log: credential
     * helpers name internal URLs and what the TURN service answered. Transport adapters call this
     * and must not let the answer be cached.
     */
    public HttpReply handleRtcConfiguration(Request request) {
        try {
            return new HttpReply(200, authorize(request).rtcConfiguration().toJson());
        } catch (AccessDenied e) {
            return new HttpReply(e.status(), Json.write(Map.of("error", e.getMessage()))).withHeaders(e.headers());
        } catch (RuntimeException e) {
            LOG.warn("the rtcConfiguration provider failed", e);
            return new HttpReply(500, Json.write(Map.of("error", "the ICE configuration is not available right now")));
        }
    }

    /**
     * Serves a WebSocket speaking FastRTC's {@code /websocket/offer} protocol; call it when the
     * socket opens and forward its frames and close to the returned session. The authorizer decides
     * on the upgrade request first (a refusal closes the socket with 1008, a failing authorizer with
     * 1011), and the session's {@code start} is admitted for that caller (rate limit, process cap,
     * ownership). Audio streams only (other streams close the socket with 1008).
     */
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
    public HttpReply handleIncomingCall(Request request, String body) {
        if (closed) {
            return HttpReply.failed(503, "stream_closed", "this stream is closed");
        }
        String form = body == null ? "" : body;
        if (!twilio.acceptsWebhook(Objects.requireNonNull(request, "request"), form)) {
            return HttpReply.failed(403, "forbidden", "forbidden"); // why is in the log, not for the caller
        }
        try {
            authorize(request);
        } catch (AccessDenied e) {
            return e.reply();
        }
        return twilio.answer(request, form);
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
        Objects.requireNonNull(request, "request");
        if ("websocket".equalsIgnoreCase(request.header("upgrade")) && !cors.permits(request, trustedProxies)) {
            throw new AccessDenied(403, "origin_not_allowed", "WebSocket connections from this origin are not"
                    + " allowed", Map.of());
        }
        String principal = null;
        if (authorizer != null) {
            try {
                principal = authorizer.authorize(request);
            } catch (AccessDenied e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.error("the authorizer failed on {} {}; refusing the request", request.method(), request.path(), e);
                throw new AccessDenied(500, "server_error", "the request could not be authorized", Map.of());
            }
            if (principal == null || principal.isEmpty()) {
                throw AccessDenied.unauthorized("not authorized");
            }
        }
        String origin = request.header("origin");
        boolean https = trustedProxies.isHttps(request) || (origin != null && origin.startsWith("https://"));
        return Caller.of(this, request, principal, trustedProxies.clientAddress(request), https);
    }

    private HttpReply handleSdpOffer(Caller caller, OfferRequest request) {
        String sdp = request.sdp();
        if (!sdp.startsWith("v=0")) {
            return HttpReply.failed(400, "invalid_sdp", "sdp is not a session description (it must start with v=0)");
        }
        List<Sdp.Media> media = Sdp.media(sdp);
        if (media.isEmpty()) {
            return HttpReply.failed(400, "invalid_sdp", "the offer has no media section; add a track or a data channel");
        }
        if (media.size() > 16) {
            return HttpReply.failed(400, "invalid_sdp", "the offer has " + media.size()
                    + " media sections; at most 16 are accepted");
        }
        if (Sdp.answerRole(sdp) != null) {
            return HttpReply.failed(422, "invalid_sdp", "sdp is an answer (its a=setup is not actpass), not an offer;"
                    + " send the offer your peer connection created");
        }
        int candidates = Sdp.candidateCount(sdp);
        if (candidates > limits.candidatesPerConnection()) {
            return HttpReply.failed(400, "invalid_sdp", "the offer has " + candidates + " ICE candidates; at most "
                    + limits.candidatesPerConnection() + " are accepted");
        }
        for (Sdp.Media m : media) {
            boolean isTrack = m.kind().equals("audio") || m.kind().equals("video");
            if (isTrack && !modality.accepts(m.kind()) && !allowExtraTracks && !m.direction().equals("inactive")) {
                return HttpReply.failed(400, "unsupported_track_kind", "Unsupported track kind '" + m.kind()
                        + "' for modality '" + modality.wireName() + "'");
            }
            if (!isTrack && !m.kind().equals("application")) {
                return HttpReply.failed(400, "invalid_sdp", "unknown media kind '" + m.kind() + "' in the offer");
            }
        }
        Connection connection;
        try {
            connection = admit(caller, request.webrtcId(), id -> new Connection(this, id, candidates));
        } catch (Refused refused) {
            return refused.reply();
        } catch (RuntimeException e) {
            LOG.warn("offer {}: the connection could not be set up (the handler's copy() failed?)", request.webrtcId(), e);
            return HttpReply.failed(500, "server_error", "the offer could not be answered");
        }
        boolean answered = false;
        try {
            Owner owner = connection.owner();
            HttpReply answer = HttpReply.answer(connection.negotiate(sdp), owner.token());
            answered = true;
            return owner.mintedCookie() ? answer.withHeader("Set-Cookie", owner.setCookie(caller.https())) : answer;
        } catch (EngineException e) {
            // libwebrtc's text quotes the offer's lines and names its parser's steps: for the log only.
            String incident = Incidents.newId();
            LOG.warn("offer {} rejected [error id {}]: {}", request.webrtcId(), incident, e.getMessage());
            return HttpReply.failed(400, "invalid_sdp", Incidents.message("the offer is not a valid WebRTC SDP offer;"
                    + " send the SDP your RTCPeerConnection created", incident));
        } catch (RuntimeException e) {
            LOG.warn("offer {} failed", request.webrtcId(), e);
            return HttpReply.failed(500, "server_error", "the offer could not be answered");
        } finally {
            if (!answered) {
                connection.close("negotiation failed"); // whatever went wrong, the slot is not kept
            }
        }
    }

    HttpReply handleLocalCandidate(Caller caller, OfferRequest request) {
        Session known = connections.get(request.webrtcId());
        if (!(known instanceof Connection connection) || !connection.owner().admits(caller)) {
            return HttpReply.failed("unknown_connection", Map.of());
        }
        if (connection.isClosed()) {
            return HttpReply.failed("connection_closed", Map.of());
        }
        String line = request.candidate().candidate();
        if (line.isEmpty()) {
            return HttpReply.success(); // end-of-candidates
        }
        String bare = line.startsWith("a=") ? line.substring(2) : line;
        if (!bare.startsWith("candidate:") || bare.trim().split("\\s+").length < 8) {
            return HttpReply.failed("invalid_candidate_format", Map.of());
        }
        if (!connection.countCandidate()) {
            return HttpReply.failed(429, "too_many_candidates", "this connection has sent "
                    + limits.candidatesPerConnection() + " ICE candidates, the most accepted");
        }
        try {
            connection.addCandidate(request.candidate().sdpMid(), request.candidate().sdpMLineIndex(), bare);
            return HttpReply.success();
        } catch (RuntimeException e) {
            LOG.debug("{}: candidate refused: {}", request.webrtcId(), e.getMessage());
            return HttpReply.failed("invalid_candidate", Map.of("message", "the candidate could not be applied"));
        }
    }

    // ---- connections ----

    /** Why a new session was not admitted, with the reply that says so. */
    static final class Refused extends Exception {
        private final HttpReply reply;

        Refused(String code, Map<String, Object> meta) {
            this(HttpReply.failed(code, meta));
        }

        Refused(HttpReply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }

        HttpReply reply() {
            return reply;
        }

        /** The failure code ({@code meta.error}), for transports that answer with something else than the reply. */
        String code() {
            try {
                return Json.parse(reply.body()).path("meta").path("error").asText("");
            } catch (ProtocolException e) {
                return "";
            }
        }
    }

    /**
     * Registers a new session of any transport for {@code caller}, who then owns it, or refuses it.
     * A caller over its {@link Limits#offersPerMinute()} gets 429 {@code rate_limited}; a duplicate id
     * (on any instance) {@code connection_already_exists}; at this instance's concurrency limit, or
     * the global one, the offer waits up to {@link #ADMISSION_WAIT} for a closing session to free its
     * slot, then gets {@code concurrency_limit_reached}, as it does beyond the stream's
     * {@link Capacity} (with the number of sessions open in the process as the limit) and at the
     * process-wide {@link Limits#maxTotalConnections()}.
     */
    <S extends Session> S admit(Caller caller, String id, Function<String, S> create) throws Refused {
        String key = caller.rateKey();
        if (key != null && !newSessions.tryTake(key)) {
            long wait = Math.max(1, newSessions.secondsUntilNext(key));
            throw new Refused(HttpReply.failed(429, "rate_limited", "too many new connections from this client; the"
                    + " limit is " + limits.offersPerMinute() + " a minute. Try again in " + wait + " s")
                    .withHeader("Retry-After", Long.toString(wait)));
        }
        synchronized (connections) {
            if (closed) {
                throw new Refused("stream_closed", Map.of());
            }
            if (connections.containsKey(id) || reserved.contains(id)) {
                throw new Refused("connection_already_exists", Map.of());
            }
            long deadline = System.nanoTime() + ADMISSION_WAIT.toNanos();
            while (true) {
                int limit;
                int open = OPEN_SESSIONS.get();
                if (connections.size() + reserved.size() >= concurrencyLimit) {
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
                    TimeUnit.NANOSECONDS.timedWait(connections, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Refused("stream_closed", Map.of());
                }
            }
            int total = Limits.maxTotalConnections();
            int open = OPEN_SESSIONS.incrementAndGet();
            // Checked again now that the slot is taken: another stream may have admitted one meanwhile.
            if (open > total || !capacity.admits(open - 1)) {
                OPEN_SESSIONS.decrementAndGet();
                broker.release(id);
                refused.incrementAndGet();
                if (open > total) {
                    LOG.warn("refusing {}: {} sessions are open in this process, the most allowed", id, total);
                }
                throw new Refused("concurrency_limit_reached", Map.of("limit", open > total ? total : open - 1));
            }
            reserved.add(id);
        }
        // Outside the lock: creating the session runs the handler's copy(), which may be slow or hang.
        S session = null;
        try {
            session = create.apply(id);
            session.bind(Owner.of(caller, authorizer == null));
        } finally {
            synchronized (connections) {
                reserved.remove(id);
                if (session != null && !closed) {
                    connections.put(id, session);
                    early.arrived(id);
                } else {
                    OPEN_SESSIONS.decrementAndGet();
                    broker.release(id);
                }
                connections.notifyAll();
            }
        }
        if (closed) {
            session.close("stream closed");
            throw new Refused("stream_closed", Map.of());
        }
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
        if (inputComponents.isEmpty()) {
            return Inputs.of(values);
        }
        if (values.size() != inputComponents.size()) {
            throw new InvalidInputException("this stream has " + inputComponents.size() + " additional inputs ("
                    + labels() + "); got " + values.size() + " values");
        }
        List<Object> coerced = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            coerced.add(inputComponents.get(i).coerce(values.get(i)));
        }
        return Inputs.of(coerced);
    }

    private String labels() {
        List<String> labels = new ArrayList<>();
        for (Component c : inputComponents) {
            labels.add(c.label());
        }
        return String.join(", ", labels);
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
        return Set.copyOf(connections.keySet());
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
        Session connection = webrtcId == null ? null : connections.get(webrtcId);
        return connection == null || connection.isClosed() ? null : connection;
    }

    /** The id, checked to be one another instance could own. */
    static String known(String webrtcId) {
        if (webrtcId == null || webrtcId.isEmpty()) {
            throw new UnknownConnectionException(webrtcId);
        }
        return webrtcId;
    }

    void forget(Session connection) {
        synchronized (connections) {
            if (connections.remove(connection.webrtcId(), connection)) {
                early.ended(connection.webrtcId());
                OPEN_SESSIONS.decrementAndGet();
                broker.release(connection.webrtcId());
            }
            connections.notifyAll();
        }
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

    /** A session's new outputs, for subscribers on other instances. */
    void published(Session session, AdditionalOutputs outputs) {
        remote.published(session.webrtcId(), outputs);
    }

    private void everySecond() {
        capacity.sample(OPEN_SESSIONS.get());
        checkHangs();
    }

    private void checkHangs() {
        long now = System.nanoTime();
        for (Session connection : connections.values()) {
            connection.checkHang(now);
        }
    }

    /** Ends every connection and stops accepting offers. */
    @Override
    public void close() {
        closed = true;
        early.arrived(null);
        for (Session connection : List.copyOf(connections.values())) {
            connection.close("stream closed");
        }
        scheduler.shutdownNow();
        broker.close();
    }

    // ---- configuration, for the package and the UI ----

    public Modality modality() {
        return modality;
    }

    public Mode mode() {
        return mode;
    }

    public List<Component> additionalInputs() {
        return inputComponents;
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

    Duration connectTimeout() {
        return connectTimeout;
    }

    VideoHandler videoHandler() {
        return videoHandler;
    }

    VideoGenerator videoGenerator() {
        return videoGenerator;
    }

    StreamHandler audioHandler() {
        return audioHandler;
    }

    AudioGenerator audioGenerator() {
        return audioGenerator;
    }

    Inputs defaultInputs() {
        List<Object> defaults = new ArrayList<>();
        for (Component c : inputComponents) {
            defaults.add(c.defaultValue());
        }
        return Inputs.of(defaults);
    }

    IceConfig iceConfig() {
        return iceConfig;
    }

    VideoCodec videoCodec() {
        return videoCodec;
    }

    int fps() {
        return fps;
    }

    Limits limits() {
        return limits;
    }

    /** Which other origins may call the stream's routes from a browser; adapters apply it to every route. */
    public Cors cors() {
        return cors;
    }

    Duration hangWarning() {
        return hangWarning;
    }

    RtcEngine engine() {
        return engineOverride != null ? engineOverride : RtcEngine.shared();
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ThreadFactory workerFactory() {
        return workers;
    }

    ThreadFactory platformWorkerFactory() {
        return platformWorkers;
    }

    Duration maxFrameAge() {
        return maxFrameAge;
    }

    /**
     * What this instance is doing now, for monitoring and benchmarks: the open connections, the
     * offers refused for want of room so far, and over the open connections the incoming video
     * frames received, replaced by a newer one before the handler was free, and dropped as too
     * old, and how many send at reduced resolution.
     */
    public Stats stats() {
        long received = 0;
        long replaced = 0;
        long stale = 0;
        int scaledDown = 0;
        for (Session session : connections.values()) {
            io.fastrtc.engine.VideoInput in = session.pipeline().videoInput();
            if (in != null) {
                received += in.received();
                replaced += in.dropped();
                stale += in.stale();
            }
            scaledDown += session.pipeline().sendScale() > 1 ? 1 : 0;
        }
        return new Stats(connections.size(), refused.get(), received, replaced, stale, scaledDown,
                capacity.perStreamShare());
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
        return closer;
    }

    private final Supplier<RtcConfiguration> rtcConfiguration;
    private final TwilioWebhooks twilio;

    TwilioWebhooks twilio() {
        return twilio;
    }

    /**
     * The ICE configuration for a client about to connect, resolved now (a provider set with
     * {@link Builder#rtcConfiguration(Supplier)} is called on every call);
     * {@link RtcConfiguration#NONE} if none was set. {@link #mount} serves it as
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
    public static final class Builder {
        private Modality modality = Modality.VIDEO;
        private Mode mode = Mode.SEND_RECEIVE;
        private VideoHandler videoHandler;
        private VideoGenerator videoGenerator;
        private StreamHandler audioHandler;
        private AudioGenerator audioGenerator;
        private final List<Component> inputs = new ArrayList<>();
        private final List<Component> outputs = new ArrayList<>();
        private int concurrencyLimit = 1;
        private Duration timeLimit;
        private Duration connectTimeout = CONNECT_TIMEOUT;
        private IceConfig iceConfig = IceConfig.DEFAULT;
        private VideoCodec videoCodec = VideoCodec.H264;
        private int fps = 30;
        private boolean allowExtraTracks;
        private Duration hangWarning = Duration.ofSeconds(5);
        private RtcEngine engine;
        private int globalConcurrencyLimit;
        private Capacity capacity = Capacity.UNLIMITED;
        private Duration maxFrameAge = MAX_FRAME_AGE;
        private Broker broker;
        private Authorizer authorizer;
        private Limits limits = Limits.DEFAULT;
        private Cors cors = Cors.CLOSED;
        private TrustedProxies trustedProxies = TrustedProxies.NONE;

        private Builder() {
        }

        /** A video stream whose handler processes each incoming frame (send-receive or send). */
        public Builder video(VideoHandler handler) {
            this.videoHandler = Objects.requireNonNull(handler, "handler");
            this.modality = Modality.VIDEO;
            return this;
        }

        /** A video stream that generates frames for the client ({@code receive} mode). */
        public Builder videoGenerator(VideoGenerator generator) {
            this.videoGenerator = Objects.requireNonNull(generator, "generator");
            this.modality = Modality.VIDEO;
            this.mode = Mode.RECEIVE;
            return this;
        }

        /**
         * An audio stream served by a {@link StreamHandler} (for example {@code new ReplyOnPause(...)});
         * each connection works on its own {@code copy()}. Send-receive by default; {@code send} also works.
         */
        public Builder audio(StreamHandler handler) {
            this.audioHandler = Objects.requireNonNull(handler, "handler");
            this.modality = handler instanceof AudioVideoStreamHandler ? Modality.AUDIO_VIDEO : Modality.AUDIO;
            return this;
        }

        /** An audio stream that generates audio for the client ({@code receive} mode). */
        public Builder audioGenerator(AudioGenerator generator) {
            this.audioGenerator = Objects.requireNonNull(generator, "generator");
            this.modality = Modality.AUDIO;
            this.mode = Mode.RECEIVE;
            return this;
        }

        /** An audio-video stream (send-receive only, as in FastRTC). */
        public Builder audioVideo(AudioVideoStreamHandler handler) {
            return audio(handler);
        }

        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Components whose values reach the handler as {@link Inputs}, in this order. */
        public Builder additionalInputs(Component... components) {
            inputs.addAll(Arrays.asList(components));
            return this;
        }

        /** Components the web UI updates from the handler's {@link AdditionalOutputs}. */
        public Builder additionalOutputs(Component... components) {
            outputs.addAll(Arrays.asList(components));
            return this;
        }

        /**
         * Most connections open at once, counting those still connecting (default 1, as in FastRTC).
         * Further offers get {@code concurrency_limit_reached}.
         */
        public Builder concurrencyLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("concurrencyLimit must be at least 1; got " + limit);
            }
            this.concurrencyLimit = limit;
            return this;
        }

        /**
         * Most connections open at once across all instances sharing the stream's {@link #broker}
         * (none by default); each instance still holds at most {@link #concurrencyLimit}. Further offers
         * get {@code concurrency_limit_reached} with this limit.
         */
        public Builder globalConcurrencyLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("globalConcurrencyLimit must be at least 1; got " + limit);
            }
            this.globalConcurrencyLimit = limit;
            return this;
        }

        /**
         * How many streams this machine carries, across every stream of the process: a number
         * ({@link Capacity#fixed}) or what measured CPU allows ({@link Capacity#cpu}). A new
         * connection beyond it, of any transport, gets {@code concurrency_limit_reached} (its
         * {@code limit} the sessions open in the process) instead of slowing every stream down.
         * Default {@link Capacity#UNLIMITED}: only the concurrency limits apply, as in FastRTC.
         */
        public Builder capacity(Capacity capacity) {
            this.capacity = Objects.requireNonNull(capacity, "capacity");
            return this;
        }

        /** Frames that waited longer than this for the handler are dropped (default {@link Stream#MAX_FRAME_AGE}). */
        Builder maxFrameAge(Duration age) {
            this.maxFrameAge = Objects.requireNonNull(age, "age");
            return this;
        }

        /**
         * How the instances of this stream find each other's connections (default: this process only,
         * {@link InMemoryBroker}). The stream starts the broker and closes it when it closes; give each
         * stream its own.
         */
        public Builder broker(Broker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /** How long a connection may stay open once connected; unlimited by default. */
        public Builder timeLimit(Duration limit) {
            if (limit != null && (limit.isNegative() || limit.isZero())) {
                throw new IllegalArgumentException("timeLimit must be positive; got " + limit);
            }
            this.timeLimit = limit;
            return this;
        }

        /** How long after its offer a connection may take to connect before it is dropped (default 30 s). */
        public Builder connectTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive; got " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** ICE configuration of the server's peer connections (servers, relay policy, port range). */
        public Builder iceConfig(IceConfig config) {
            this.iceConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder iceServers(IceServer... servers) {
            this.iceConfig = iceConfig.withIceServers(List.of(servers));
            return this;
        }

        /** Media ports, e.g. to match a firewall rule. */
        public Builder portRange(int min, int max) {
            this.iceConfig = iceConfig.withPortRange(min, max);
            return this;
        }

        /** The video codec to prefer (default H264). */
        public Builder videoCodec(VideoCodec codec) {
            this.videoCodec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** Frame rate of a {@link VideoGenerator} (default 30). */
        public Builder fps(int fps) {
            if (fps < 1 || fps > 120) {
                throw new IllegalArgumentException("fps must be between 1 and 120; got " + fps);
            }
            this.fps = fps;
            return this;
        }

        /** Ignore offered tracks of another kind instead of refusing the offer. */
        public Builder allowExtraTracks(boolean allow) {
            this.allowExtraTracks = allow;
            return this;
        }

        /**
         * After how long a handler call that has not returned is reported to the client with a
         * {@code warning} (default 5 s). Watched: every call that takes or gives media (a video
         * handler, {@code receive}, {@code emit}, {@code videoReceive}, {@code videoEmit}, a
         * generator's next item); not {@code startUp} (long-running by design), {@code copy},
         * {@code shutdown}, nor an {@code AsyncStreamHandler}'s emit, which waits up to 60 s for output.
         */
        public Builder hangWarning(Duration after) {
            if (after == null || after.isNegative() || after.isZero()) {
                throw new IllegalArgumentException("hangWarning must be positive; got " + after);
            }
            this.hangWarning = after;
            return this;
        }

        /**
         * Decides from each request who may use the stream (see {@link Authorizer}); the principal
         * it returns owns the connections it opens. Without one, anyone who reaches the server may
         * connect, and a connection belongs to the browser (client cookie) that opened it.
         */
        public Builder authorizer(Authorizer authorizer) {
            this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
            return this;
        }

        /** Limits on what clients can make the server do ({@link Limits#DEFAULT} unless set). */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Other web origins whose pages may call the stream's routes (closed by default). */
        public Builder cors(Cors cors) {
            this.cors = Objects.requireNonNull(cors, "cors");
            return this;
        }

        /**
         * Reverse proxies whose {@code X-Forwarded-For} names the client (and {@code X-Forwarded-Proto}
         * its scheme, {@code X-Forwarded-Host} the host Twilio's signatures are checked against and
         * a WebSocket's {@code Origin} may match), e.g. {@code trustedProxies("127.0.0.1", "10.0.0.0/8")}.
         * None by default: from anyone else these headers are ignored.
         */
        public Builder trustedProxies(String... addressesOrNetworks) {
            this.trustedProxies = TrustedProxies.of(addressesOrNetworks);
            return this;
        }

        /** Uses a specific engine instead of the process-wide one (tests, isolation). */
        public Builder engine(RtcEngine engine) {
            this.engine = engine;
            return this;
        }

        private Supplier<RtcConfiguration> rtcConfiguration = () -> RtcConfiguration.NONE;

        /**
         * The ICE configuration clients use (FastRTC's {@code rtc_configuration}), served to front
         * ends as {@code GET {path}/webrtc/rtc-configuration}. For the server's own side use
         * {@link #iceConfig}.
         */
        public Builder rtcConfiguration(RtcConfiguration config) {
            Objects.requireNonNull(config, "config");
            this.rtcConfiguration = () -> config;
            return this;
        }

        /**
         * A provider called for every client that asks, e.g. for short-lived TURN credentials:
         * {@code .rtcConfiguration(CloudflareTurn.fromEnv()::fetch)}. What it throws reaches the
         * client as HTTP 500 {@code {"error": message}}.
         */
        public Builder rtcConfiguration(Supplier<RtcConfiguration> provider) {
            this.rtcConfiguration = Objects.requireNonNull(provider, "provider");
            return this;
        }

        public Stream build() {
            int handlers = (videoHandler != null ? 1 : 0) + (videoGenerator != null ? 1 : 0)
                    + (audioHandler != null ? 1 : 0) + (audioGenerator != null ? 1 : 0);
            if (handlers > 1) {
                throw new IllegalStateException("a stream has one handler; choose one of video(...), videoGenerator(...),"
                        + " audio(...), audioGenerator(...)");
            }
            if (modality == Modality.AUDIO_VIDEO && mode != Mode.SEND_RECEIVE) {
                throw new IllegalStateException("audio-video streams are send-receive only; got " + mode.wireName());
            }
            if (modality != Modality.VIDEO) {
                if (mode == Mode.RECEIVE && audioGenerator == null) {
                    throw new IllegalStateException("a receive-mode audio stream needs audioGenerator(...)");
                }
                if (mode != Mode.RECEIVE && audioHandler == null) {
                    throw new IllegalStateException("a " + mode.wireName() + " audio stream needs audio(handler) with a"
                            + " StreamHandler such as new ReplyOnPause(...); for receive mode use audioGenerator(...)");
                }
                return new Stream(this);
            }
            if (mode == Mode.RECEIVE && videoGenerator == null) {
                throw new IllegalStateException("a receive-mode video stream needs videoGenerator(...)");
            }
            if (mode != Mode.RECEIVE && videoHandler == null) {
                throw new IllegalStateException("a " + mode.wireName()
                        + " video stream needs video((frame, inputs) -> ...); for receive mode use videoGenerator(...)");
            }
            if (mode != Mode.RECEIVE && videoGenerator != null) {
                throw new IllegalStateException("videoGenerator(...) is for receive mode; use video(...) for "
                        + mode.wireName());
            }
            return new Stream(this);
        }

        private TelephoneOptions telephone = TelephoneOptions.defaults();

        /**
         * How phone calls are answered: Twilio auth token (to refuse forged webhooks), public URL,
         * greeting, DTMF listener. FastRTC's behaviour by default.
         */
        public Builder telephone(TelephoneOptions options) {
            this.telephone = Objects.requireNonNull(options, "options");
            return this;
        }

        // ---- web UI ----

        private UiOptions uiOptions = UiOptions.defaults();

        /** Options of the built-in web UI ({@link Stream#ui()}): title, icon, colours, when inputs are sent... */
        public Builder ui(UiOptions options) {
            this.uiOptions = Objects.requireNonNull(options, "options");
            return this;
        }
    }

    // ---- web UI ----

    private final UiOptions uiOptions;

    /**
     * The built-in web UI with the options given to the builder: {@code stream.ui().launch()}, or
     * {@code stream.ui().mount(app, "/ui")} next to {@code stream.mount(app)}.
     */
    public WebUi ui() {
        return new WebUi(this, uiOptions);
    }

    /** The built-in web UI with other options. */
    public WebUi ui(UiOptions options) {
        return new WebUi(this, options);
    }
}
