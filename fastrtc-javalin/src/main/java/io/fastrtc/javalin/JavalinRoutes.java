package io.fastrtc.javalin;

import io.fastrtc.handler.InvalidInputException;
import io.fastrtc.internal.Incidents;
import io.fastrtc.transport.Endpoints;
import io.fastrtc.transport.HttpReply;
import io.fastrtc.transport.ProtocolException;
import io.fastrtc.transport.RequestBody;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.security.Cors;
import io.fastrtc.security.Request;
import io.fastrtc.stream.UnknownConnectionException;
import io.fastrtc.transport.SocketPeer;
import io.fastrtc.transport.SocketSession;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.net.HttpCookie;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.eclipse.jetty.websocket.api.UpgradeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a stream's transport-neutral entry points ({@link Endpoints}) to Javalin routes and WebSockets. Every route goes
 * through {@link #route}: the stream's CORS headers on each response, an {@code OPTIONS}
 * preflight, and an unexpected failure answered with a 500 that only carries an error id (details in the log).
 */
final class JavalinRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(JavalinRoutes.class);
    private static final String REQUEST = "fastrtc.request";
    private static final String SOCKET = "fastrtc.socket";

    private JavalinRoutes() {
    }

    static void mount(Endpoints stream, JavalinDefaultRoutingApi routes, String path) {
        String prefix = normalise(path);
        route(routes, stream.cors(), HandlerType.POST, prefix + "/webrtc/offer", ctx -> {
            Request request = request(ctx);
            String body;
            try {
                body = body(ctx, RequestBody.MAX_OFFER_BYTES);
            } catch (ProtocolException e) {
                reply(ctx, e.reply());
                return;
            }
            reply(ctx, stream.handleOffer(request, body));
        });
        // Resolved per request: providers hand out short-lived credentials, so nothing may cache it.
        route(routes, stream.cors(), HandlerType.GET, prefix + "/webrtc/rtc-configuration", ctx -> {
            ctx.header("Cache-Control", "no-store");
            reply(ctx, stream.handleRtcConfiguration(request(ctx)));
        });
        route(routes, stream.cors(), HandlerType.POST, prefix + "/telephone/incoming", ctx -> {
            Request request = request(ctx);
            try {
                reply(ctx, stream.handleIncomingCall(request, body(ctx, RequestBody.MAX_OFFER_BYTES)));
            } catch (ProtocolException e) {
                reply(ctx, e.reply());
            }
        });
        routes.ws(prefix + "/websocket/offer", ws -> socket(ws, stream::openWebSocket));
        routes.ws(prefix + "/telephone/handler", ws -> socket(ws, stream::openTelephone));
        // So that the app's own routes can call stream.authorize(...) and Caller methods directly.
        routes.exception(AccessDenied.class, (e, ctx) -> reply(ctx, HttpReply.error(e)));
        routes.exception(UnknownConnectionException.class, (e, ctx) -> reply(ctx,
                HttpReply.error(404, "unknown_connection", e.getMessage())));
        routes.exception(InvalidInputException.class, (e, ctx) -> reply(ctx, HttpReply.invalidInput(e.getMessage())));
    }

    /**
     * Adds a route of the library: the handler's responses carry the CORS headers of {@code cors},
     * {@code OPTIONS} on the same path answers preflights, and an exception the handler lets escape
     * is logged and answered with a 500 that says nothing about the server.
     */
    static void route(JavalinDefaultRoutingApi routes, Cors cors, HandlerType method, String path,
            Handler handler) {
        Handler guarded = guarded(method, path, handler);
        routes.addHttpHandler(method, path, ctx -> {
            cors.headers(request(ctx)).forEach(ctx::header);
            guarded.handle(ctx);
        });
        routes.addHttpHandler(HandlerType.OPTIONS, path, ctx -> {
            if (ctx.res().getHeader("Access-Control-Allow-Origin") != null) {
                ctx.status(204); // the app's own CORS set-up answered already
                return;
            }
            reply(ctx, HttpReply.preflight(cors, request(ctx)));
        });
    }

    /** {@code handler}, with an exception it lets escape logged and answered with a 500 that only carries an error id. */
    static Handler guarded(HandlerType method, String path, Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (Exception e) {
                reply(ctx, HttpReply.error(500, "server_error",
                        Incidents.logged(LOG, method + " " + path + " failed", "the request failed", e)));
            }
        };
    }

    /** Opens a stream session per socket and forwards its frames and its end. */
    static void socket(WsConfig ws, BiFunction<SocketPeer, Request, SocketSession> open) {
        ws.onConnect(ctx -> ctx.attribute(SOCKET, open.apply(new SocketPeer() {
            @Override
            public void send(String text) {
                ctx.send(text);
            }

            @Override
            public void close(int code, String reason) {
                ctx.closeSession(code, reason);
            }
        }, upgrade(ctx))));
        ws.onMessage(ctx -> session(ctx).onText(ctx.message()));
        ws.onClose(ctx -> session(ctx).onClose(ctx.status(), ctx.reason()));
        ws.onError(ctx -> session(ctx).onClose(1011, String.valueOf(ctx.error())));
    }

    /** The socket's session; a no-op for a socket the stream closed while opening it (Jetty reports that close at once). */
    private static SocketSession session(WsContext ctx) {
        SocketSession session = ctx.attribute(SOCKET);
        return session != null ? session : SocketSession.NONE;
    }

    /** The request view of a WebSocket upgrade. */
    private static Request upgrade(WsContext ctx) {
        UpgradeRequest up = ctx.session.getUpgradeRequest();
        Map<String, String> cookies = new LinkedHashMap<>();
        for (HttpCookie c : up.getCookies()) {
            cookies.putIfAbsent(c.getName(), c.getValue());
        }
        String remote = ctx.session.getRemoteSocketAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : null;
        return new Request(up.getMethod(), up.getRequestURI().getPath(), up.getHeaders(), cookies,
                Request.parseQuery(up.getQueryString()), remote);
    }

    /** The library's view of the request, made once per request. */
    static Request request(Context ctx) {
        Request request = ctx.attribute(REQUEST);
        if (request == null) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : Collections.list(ctx.req().getHeaderNames())) {
                headers.put(name, Collections.list(ctx.req().getHeaders(name)));
            }
            // Not ctx.queryParamMap(): for a form post the servlet would consume the body.
            request = new Request(ctx.method().name(), ctx.path(), headers, ctx.cookieMap(),
                    Request.parseQuery(ctx.queryString()), ctx.req().getRemoteAddr());
            ctx.attribute(REQUEST, request);
        }
        return request;
    }

    /** The request body as text, at most {@code maxBytes}, strictly UTF-8 (see {@link RequestBody}). */
    static String body(Context ctx, int maxBytes) throws ProtocolException {
        try {
            return RequestBody.read(ctx.req().getInputStream(), maxBytes);
        } catch (IOException e) {
            throw new ProtocolException(400, "incomplete_request", "the request body could not be read");
        }
    }

    static void reply(Context ctx, HttpReply reply) {
        reply.headers().forEach(ctx::header);
        ctx.status(reply.status());
        if (!reply.body().isEmpty()) {
            ctx.contentType(reply.contentType()).result(reply.body());
        }
    }

    /** "" and "/" mean the root; otherwise a leading slash is added and a trailing one removed. */
    static String normalise(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "";
        }
        String p = path.startsWith("/") ? path : "/" + path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
