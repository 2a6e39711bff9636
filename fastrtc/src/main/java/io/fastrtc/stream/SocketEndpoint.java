package io.fastrtc.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.internal.Incidents;
import io.fastrtc.internal.Throttle;
import io.fastrtc.protocol.Json;
import io.fastrtc.protocol.MediaEvent;
import io.fastrtc.transport.ProtocolException;
import io.fastrtc.protocol.SocketMessages;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.security.Request;
import io.fastrtc.telemetry.Transport;
import io.fastrtc.telephone.PhoneCall;
import io.fastrtc.transport.SocketPeer;
import io.fastrtc.transport.SocketSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket of a stream, from the upgrade until it closes: the protocol's events before and
 * after {@code start}, ordered sends, and a watchdog. Once {@code start} is admitted (concurrency
 * limit, unique id) a {@link SocketConnection} serves it with the same session rules as WebRTC.
 * The subclasses speak FastRTC's {@code /websocket/offer} protocol and Twilio Media Streams. The
 * stream's authorizer decides on the upgrade request, and the session belongs to the caller it
 * admits, as for an offer.
 *
 * <p>Bad input never costs a slot or a thread: a message that is not JSON, lacks {@code event}, has
 * a broken payload or an unknown event is reported and skipped; a protocol violation ({@code media}
 * before {@code start}, a second {@code start}, a {@code start} without a valid id) ends the socket
 * with close code 1008, an oversized message with 1009. A socket that stays silent for
 * {@link Stream#SOCKET_IDLE_TIMEOUT} (a client that vanished without closing) is closed, and one that
 * sends no {@code start} within the stream's connect timeout too.
 */
abstract class SocketEndpoint implements SocketSession {

    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int UNSUPPORTED_DATA = 1003;
    static final int POLICY_VIOLATION = 1008;
    static final int TOO_BIG = 1009;
    static final int SERVER_ERROR = 1011;
    static final int TRY_AGAIN_LATER = 1013;
    /** RFC 6455 allows 123 bytes of close reason. */
    private static final int MAX_REASON_BYTES = 123;

    private static final Logger LOG = LoggerFactory.getLogger(SocketEndpoint.class);

    /** What a {@code start} event sets up. */
    record Start(String id, int inputRate, int outputRate, PhoneCall call) {
    }

    /** A message that cannot be used, with the close code to use if it ends the socket. */
    static final class BadMessage extends Exception {
        final int code;

        BadMessage(String message) {
            this(POLICY_VIOLATION, message);
        }

        BadMessage(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    final Stream stream;
    final Request request;
    private final SocketPeer peer;
    /** Who the authorizer admitted; the session started on this socket belongs to it. */
    private volatile Caller caller;
    private final Object sendLock = new Object();
    private volatile boolean socketClosed;
    private volatile SocketConnection connection;
    private final long openedNanos = System.nanoTime();
    private volatile long lastHeardNanos = openedNanos;
    private volatile ScheduledFuture<?> watchdog;
    private final Throttle complaints = new Throttle(Duration.ofSeconds(1));

    SocketEndpoint(Stream stream, SocketPeer peer, Request request) {
        this.stream = stream;
        this.peer = peer;
        this.request = request;
    }

    /** Starts serving the socket, or closes it at once if this stream cannot serve it. */
    final SocketSession open() {
        if (accepts()) {
            try {
                watchdog = stream.scheduler().scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                closeSocket(GOING_AWAY, "the stream is closed");
            }
        }
        return this;
    }

    /** True if this stream can serve the socket and the authorizer admits it; otherwise closes it, saying why. */
    boolean accepts() {
        if (stream.isClosed()) {
            refused("stream_closed");
            closeSocket(GOING_AWAY, "the stream is closed");
            return false;
        }
        try {
            caller = stream.authorize(request);
        } catch (AccessDenied e) {
            refused(e.code());
            violation(e.status() >= 500 ? SERVER_ERROR : POLICY_VIOLATION, e.getMessage());
            return false;
        }
        if (stream.modality() != Modality.AUDIO) {
            refused("unsupported_modality");
            violation(POLICY_VIOLATION, "this is a " + stream.modality().wireName()
                    + " stream; sockets carry audio streams only, connect over WebRTC");
            return false;
        }
        return true;
    }

    /** Reports a socket or its {@code start} refused, with the code a client would see. */
    final void refused(String code) {
        stream.refused(phone() ? Transport.TELEPHONE : Transport.WEBSOCKET, code);
    }

    // ---- the protocol ----

    /** Reads a {@code start} event. */
    abstract Start readStart(JsonNode message) throws BadMessage;

    /** Events other than start, media, stop and ping. */
    abstract void onEvent(String event, JsonNode message) throws BadMessage;

    /** Tells the client (or the log, for Twilio) what was wrong. */
    abstract void report(String problem);

    /** Tells the client its {@code start} was refused, before the socket closes. */
    abstract void refused(Refused refusal);

    /** A data-channel message for the client (sent, or dropped where the protocol has none). */
    abstract void sendData(String text);

    /** The id media events carry; null for FastRTC's protocol. */
    abstract String streamSid();

    /** True when the peer is a phone call. */
    abstract boolean phone();

    /** Whether a media event of this track (null: none named) is audio from the client (Twilio names its tracks). */
    boolean fromClient(String track) {
        return true;
    }

    @Override
    public final void onText(String text) {
        lastHeardNanos = System.nanoTime();
        if (text == null || socketClosed) {
            return;
        }
        if (text.length() > MAX_TEXT_CHARS) {
            violation(TOO_BIG, "message of " + text.length() + " characters; the limit is " + MAX_TEXT_CHARS);
            return;
        }
        MediaEvent media = MediaEvent.read(text); // every media event, without a tree
        if (media != null) {
            handle(() -> media(media.track(), media.payload()));
            return;
        }
        JsonNode message;
        try {
            message = Json.parse(text);
        } catch (ProtocolException e) {
            complain("ignored a message that is not JSON; send one JSON object per text frame");
            return;
        }
        JsonNode event = message.get("event");
        if (event == null || !event.isTextual()) {
            complain("ignored a message without an \"event\" field");
            return;
        }
        handle(() -> {
            switch (event.asText()) {
                case "start" -> start(message);
                case "stop" -> stop();
                case "ping" -> send(SocketMessages.pong());
                default -> onEvent(event.asText(), message);
            }
        });
    }

    /** A step of reading a message, which may find it unusable. */
    private interface Step {
        void run() throws BadMessage;
    }

    private void handle(Step step) {
        try {
            step.run();
        } catch (BadMessage e) {
            complain(e.getMessage());
        } catch (RuntimeException e) {
            String incident = Incidents.newId();
            LOG.warn("socket message failed [error id {}]", incident, e);
            complain(Incidents.message("the message could not be handled", incident));
        }
    }

    private void start(JsonNode message) {
        if (connection != null) {
            violation(POLICY_VIOLATION, "a second start event; a socket serves one session");
            return;
        }
        Start start;
        try {
            start = readStart(message);
        } catch (BadMessage e) {
            refused("invalid_request");
            violation(e.code, e.getMessage());
            return;
        }
        SocketConnection admitted;
        try {
            admitted = stream.admission().admit(caller, start.id(), id -> new SocketConnection(stream, id, this, start));
        } catch (Refused refusal) {
            String code = refusal.code();
            LOG.info("socket session {} refused: {}", start.id(), code);
            refused(code);
            refused(refusal);
            closeSocket(switch (code) {
                case "concurrency_limit_reached", "broker_unavailable", "rate_limited", "draining" -> TRY_AGAIN_LATER;
                case "stream_closed" -> GOING_AWAY;
                default -> POLICY_VIOLATION;
            }, code);
            return;
        } catch (RuntimeException e) {
            LOG.warn("socket session {} could not be set up (the handler's copy() failed?)", start.id(), e);
            violation(SERVER_ERROR, "the session could not be set up");
            return;
        }
        connection = admitted;
        if (socketClosed) {
            admitted.close(Session.End.CLIENT, "socket closed while starting"); // the close raced the start
            return;
        }
        admitted.begin();
    }

    private void media(String track, String payload) throws BadMessage {
        SocketConnection c = connection;
        if (c == null) {
            violation(POLICY_VIOLATION, "media before start; a session begins with a start event");
            return;
        }
        if (!fromClient(track)) {
            return;
        }
        if (payload == null) {
            throw new BadMessage("ignored media without media.payload; send base64 µ-law audio in media.payload");
        }
        try {
            c.receive(Base64.getDecoder().decode(payload));
        } catch (IllegalArgumentException e) {
            throw new BadMessage("ignored media whose payload is not valid base64");
        }
    }

    private void stop() {
        SocketConnection c = connection;
        if (c != null) {
            c.end(NORMAL, Session.End.CLIENT, "the client sent stop");
        } else {
            closeSocket(NORMAL, "the client sent stop");
        }
    }

    /** The session serving this socket once started, else null. */
    final SocketConnection connection() {
        return connection;
    }

    @Override
    public final void onClose(int code, String reason) {
        socketClosed = true;
        Session.cancel(watchdog);
        SocketConnection c = connection;
        if (c != null) {
            c.close(Session.End.CLIENT, "the socket closed (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
        }
    }

    private void watch() {
        if (socketClosed) {
            Session.cancel(watchdog); // closed before the watchdog was set
            return;
        }
        long now = System.nanoTime();
        SocketConnection c = connection;
        if (c == null && now - openedNanos > stream.sessions().connectTimeout().toNanos()) {
            violation(POLICY_VIOLATION, "no start event within " + stream.sessions().connectTimeout().toSeconds() + " s");
        } else if (c != null && stream.mode() != Mode.RECEIVE
                && now - lastHeardNanos > Stream.SOCKET_IDLE_TIMEOUT.toNanos()) {
            c.end(GOING_AWAY, Session.End.TIMEOUT, "nothing received for " + Stream.SOCKET_IDLE_TIMEOUT.toSeconds() + " s");
        }
    }

    // ---- sending and closing ----

    /** Sends a text frame unless the socket is closed; a failed send closes the session. */
    final void send(String text) {
        synchronized (sendLock) {
            if (socketClosed) {
                return;
            }
            try {
                peer.send(text);
                return;
            } catch (RuntimeException e) {
                LOG.debug("socket send failed; closing", e);
                socketClosed = true;
            }
        }
        Session.cancel(watchdog);
        SocketConnection c = connection;
        if (c != null) {
            c.close(Session.End.ERROR, "the socket failed");
        }
    }

    /** Ends the socket (once) with a close code and reason. */
    final void closeSocket(int code, String reason) {
        synchronized (sendLock) {
            if (socketClosed) {
                return;
            }
            socketClosed = true;
            try {
                peer.close(code, shorten(reason));
            } catch (RuntimeException e) {
                LOG.debug("socket close failed", e);
            }
        }
        Session.cancel(watchdog);
    }

    /** Reports a problem that ends the socket, and ends it (with its session, if started). */
    final void violation(int code, String problem) {
        report(problem);
        SocketConnection c = connection;
        if (c != null) {
            c.end(code, Session.End.ERROR, problem);
        } else {
            closeSocket(code, problem);
        }
    }

    /** Reports a problem at most once a second; a client may repeat its mistake in every message. */
    final void complain(String problem) {
        String passed = complaints.pass(problem);
        if (passed != null) {
            report(passed);
        }
    }

    static String shorten(String reason) {
        if (reason == null) {
            return "";
        }
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = Math.min(reason.length(), MAX_REASON_BYTES);
        while (end > 0 && reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES - 3) {
            end--;
        }
        if (end > 0 && Character.isHighSurrogate(reason.charAt(end - 1))) {
            end--;
        }
        return reason.substring(0, end) + "...";
    }
}
