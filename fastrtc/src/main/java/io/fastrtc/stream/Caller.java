package io.fastrtc.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Inputs;
import io.fastrtc.handler.InvalidInputException;
import io.fastrtc.ice.RtcConfiguration;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.security.Request;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request the stream's authorizer admitted, and what it may do: {@link Stream#authorize} gives
 * one. Its methods are {@link Stream}'s, limited to the connections this caller owns (it opened
 * them, or shows their token); any other {@code webrtc_id} is treated as unknown, so ids cannot be
 * probed. Use it in routes you write yourself:
 *
 * <pre>{@code
 * app.post("/input_hook", ctx -> {
 *     var body = ctx.bodyAsClass(Map.class);
 *     stream.authorize(FastRtcPlugin.request(ctx)).setInput((String) body.get("webrtc_id"), body.get("threshold"));
 * });
 * }</pre>
 *
 * <p>The Javalin adapter ({@code FastRtcPlugin}) maps the exceptions these methods throw to their
 * HTTP status in your routes too ({@link AccessDenied} to its status, {@link UnknownConnectionException}
 * to 404, {@link InvalidInputException} to 422), as the Spring starter does.
 */
public final class Caller {

    private final Stream stream;
    private final String principal;
    private final String clientAddress;
    private final String clientCookie;
    private final String token;
    private final boolean https;
    private final boolean server;

    Caller(Stream stream, String principal, String clientAddress, String clientCookie, String token, boolean https,
            boolean server) {
        this.stream = stream;
        this.principal = principal;
        this.clientAddress = clientAddress;
        this.clientCookie = clientCookie;
        this.token = token;
        this.https = https;
        this.server = server;
    }

    /** The stream's own code: owns every connection, has no limits. */
    static Caller server(Stream stream) {
        return new Caller(stream, null, null, null, null, false, true);
    }

    static Caller of(Stream stream, Request request, String principal, String clientAddress, boolean https) {
        String shown = request.header(Owner.TOKEN_HEADER);
        return new Caller(stream, principal, clientAddress, Owner.validSecret(request.cookie(Owner.COOKIE)),
                Owner.validSecret(shown != null ? shown : request.queryParam(Owner.TOKEN_PARAM)), https, false);
    }

    /** The principal the authorizer returned; empty without an authorizer. */
    public Optional<String> principal() {
        return Optional.ofNullable(principal);
    }

    /** The client's address (behind trusted proxies, the one they name); null if unknown. */
    public String clientAddress() {
        return clientAddress;
    }

    /** Whether this caller may reach the connection {@code webrtcId} (it is open and this caller owns it). */
    public boolean owns(String webrtcId) {
        Session s = stream.local(webrtcId);
        if (s != null) {
            return s.owner().admits(this);
        }
        return webrtcId != null && !webrtcId.isEmpty() && stream.remote().owns(this, webrtcId);
    }

    /**
     * {@link Stream#setInput(String, Object...)} for a connection of this caller.
     *
     * @throws UnknownConnectionException if no open connection of this caller has this id
     * @throws InvalidInputException naming the bad value and what its component accepts (checked
     *     after ownership)
     */
    public void setInput(String webrtcId, Object... values) {
        Session s = stream.local(webrtcId);
        if (s != null) {
            // Ownership first: a stranger learns nothing about the values, and cannot fill the log.
            Session mine = owned(s, webrtcId);
            mine.setInputs(stream.coerceInputs(Arrays.asList(values)));
        } else {
            stream.remote().setInput(this, Stream.known(webrtcId), Arrays.asList(values));
        }
    }

    /** The same with the values in a list. */
    public void setInput(String webrtcId, List<?> values) {
        setInput(webrtcId, values.toArray());
    }

    /** The current additional-input values of a connection of this caller. */
    public Inputs inputs(String webrtcId) {
        Session s = stream.local(webrtcId);
        return s != null ? owned(s, webrtcId).inputs()
                : Inputs.of(stream.remote().inputs(this, Stream.known(webrtcId)));
    }

    /**
     * {@link Stream#outputStream(String)} for a connection of this caller. A connection that does not
     * exist yet is waited for, at most the stream's connect timeout (clients subscribe as they connect).
     *
     * @throws UnknownConnectionException if no connection of this caller has this id, or none came
     *     within the connect timeout
     * @throws AccessDenied 429 {@code too_many_listeners} if this connection already has as many output
     *     streams as {@link io.fastrtc.security.Limits#outputListenersPerConnection()} allows (counted on
     *     the instance holding the connection)
     */
    public OutputFeed outputStream(String webrtcId) {
        OutputFeed feed;
        try {
            feed = stream.early().await(Stream.known(webrtcId), this, stream.sessions().connectTimeout(),
                    remoteToo -> openFeed(webrtcId, remoteToo));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            feed = null;
        }
        if (feed == null) {
            throw new UnknownConnectionException(webrtcId);
        }
        return feed;
    }

    /** A feed of the connection if it exists here (or, when {@code remoteToo}, elsewhere); else null. */
    private OutputFeed openFeed(String webrtcId, boolean remoteToo) {
        Session s = stream.local(webrtcId);
        if (s == null) {
            return remoteToo ? stream.remote().outputs(this, webrtcId) : null;
        }
        OutputFeed feed = owned(s, webrtcId).outputs().subscribe(listenerLimit());
        if (feed == null) {
            throw OutputHub.tooManyListeners(listenerLimit());
        }
        return feed;
    }

    /**
     * {@link Stream#fetchLatestOutput(String, Duration)} for a connection of this caller; a connection
     * that does not exist yet is waited for within {@code timeout} (and the connect timeout).
     */
    public Optional<AdditionalOutputs> fetchLatestOutput(String webrtcId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration wait = timeout.compareTo(stream.sessions().connectTimeout()) < 0 ? timeout : stream.sessions().connectTimeout();
        Optional<Session> found = stream.early().await(Stream.known(webrtcId), this, wait, remoteToo -> {
            Session s = stream.local(webrtcId);
            return s != null ? Optional.of(owned(s, webrtcId))
                    : remoteToo && stream.remote().holds(this, webrtcId) ? Optional.empty() : null;
        });
        if (found == null) {
            throw new UnknownConnectionException(webrtcId);
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        return Optional.ofNullable(found.isPresent() ? found.get().outputs().latest(left)
                : stream.remote().latest(this, webrtcId, left));
    }

    /** {@link Stream#handler(String)} for a connection of this caller (on the instance holding it). */
    public Optional<StreamHandler> handler(String webrtcId) {
        Session s = stream.local(webrtcId);
        if (s == null) {
            throw new UnknownConnectionException(webrtcId);
        }
        return Optional.ofNullable(owned(s, webrtcId).pipeline().handler());
    }

    /** Closes a connection of this caller, on whichever instance it lives. */
    public void closeConnection(String webrtcId) {
        Session s = stream.local(webrtcId);
        if (s != null) {
            owned(s, webrtcId).close("closed by the server");
        } else {
            stream.remote().close(this, Stream.known(webrtcId));
        }
    }

    /** {@link Stream#rtcConfiguration()}, for this caller. */
    public RtcConfiguration rtcConfiguration() {
        return stream.rtcConfiguration();
    }

    /** {@code session}, if this caller owns it; for anyone else it does not exist. */
    private Session owned(Session session, String webrtcId) {
        if (!session.owner().admits(this)) {
            throw new UnknownConnectionException(webrtcId);
        }
        return session;
    }

    /** What the instance holding a connection needs to check this caller (see {@link #of(Stream, JsonNode)}). */
    Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", server);
        m.put("principal", principal);
        m.put("cookie", clientCookie);
        m.put("address", clientAddress);
        m.put("token", token);
        return m;
    }

    /** The caller another instance sent along with a request ({@link #identity()}). */
    static Caller of(Stream stream, JsonNode identity) {
        return new Caller(stream, text(identity, "principal"), text(identity, "address"), text(identity, "cookie"),
                text(identity, "token"), false, identity.path("server").asBoolean(false));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    boolean isServer() {
        return server;
    }

    /** How many output streams this caller may hold open on one connection. */
    int listenerLimit() {
        return server ? Integer.MAX_VALUE : stream.limits().outputListenersPerConnection();
    }

    String clientCookie() {
        return clientCookie;
    }

    String token() {
        return token;
    }

    boolean https() {
        return https;
    }

    /** The key this caller's new sessions are counted by; null when it cannot be told from others. */
    String rateKey() {
        if (server) {
            return null;
        }
        if (principal != null) {
            return "principal:" + principal;
        }
        return clientAddress == null ? null : io.fastrtc.security.TrustedProxies.rateKey(clientAddress);
    }
}
