package io.fastrtc.transport.javalin;

import io.fastrtc.protocol.HttpReply;
import io.fastrtc.stream.Stream;
import io.fastrtc.transport.ClientRequest;
import io.fastrtc.transport.SocketPeer;
import io.fastrtc.transport.SocketSession;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.eclipse.jetty.websocket.api.UpgradeRequest;

/** Wires a {@link Stream}'s transport-neutral entry points to Javalin routes and WebSockets. */
public final class JavalinRoutes {

    private static final String SOCKET = "fastrtc.socket";

    private JavalinRoutes() {
    }

    public static void mount(Stream stream, JavalinDefaultRoutingApi routes, String path) {
        String prefix = normalise(path);
        routes.post(prefix + "/webrtc/offer", ctx -> reply(ctx, stream.handleOffer(ctx.body())));
        // Resolved per request: providers hand out short-lived credentials, so nothing may cache it.
        routes.get(prefix + "/webrtc/rtc-configuration", ctx -> {
            ctx.header("Cache-Control", "no-store");
            reply(ctx, stream.handleRtcConfiguration());
        });
        routes.ws(prefix + "/websocket/offer", ws -> socket(ws, stream::openWebSocket));
        routes.post(prefix + "/telephone/incoming", ctx -> reply(ctx, stream.handleIncomingCall(request(ctx))));
        routes.ws(prefix + "/telephone/handler", ws -> socket(ws, stream::openTelephone));
    }

    /** Opens a stream session per socket and forwards its frames and its end. */
    static void socket(WsConfig ws, BiFunction<SocketPeer, ClientRequest, SocketSession> open) {
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
        return session != null ? session : CLOSED;
    }

    private static final SocketSession CLOSED = new SocketSession() {
        @Override
        public void onText(String text) {
        }

        @Override
        public void onClose(int code, String reason) {
        }
    };

    private static ClientRequest upgrade(WsContext ctx) {
        UpgradeRequest up = ctx.session.getUpgradeRequest();
        String remote = ctx.session.getRemoteSocketAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(ctx.session.getRemoteSocketAddress());
        return new ClientRequest(up.isSecure() ? "https" : "http", up.getRequestURI().getPath(), up.getQueryString(),
                up.getHeaders(), remote, "");
    }

    static ClientRequest request(Context ctx) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            headers.put(name, Collections.list(ctx.req().getHeaders(name)));
        }
        return new ClientRequest(ctx.scheme(), ctx.path(), ctx.queryString(), headers, ctx.ip(), ctx.body());
    }

    static void reply(Context ctx, HttpReply reply) {
        ctx.status(reply.status()).contentType(reply.contentType()).result(reply.body());
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
