package io.fastrtc.spring;

import io.fastrtc.security.Request;
import io.fastrtc.stream.Stream;
import io.fastrtc.transport.SocketPeer;
import io.fastrtc.transport.SocketSession;
import io.fastrtc.transport.UiEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.BiFunction;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * A {@link Stream}'s WebSockets on Spring ({@code spring-websocket}): {@code {path}/websocket/offer}
 * (FastRTC's audio protocol) and {@code {path}/telephone/handler} (Twilio Media Streams), served by
 * {@link Stream#openWebSocket} and {@link Stream#openTelephone} as on Javalin.
 *
 * <p>The stream decides on each socket, as on Javalin: its authorizer, its Twilio signature check
 * and its own origin rule ({@code fastrtc.cors}) see the upgrade request, and a refusal closes the
 * socket after the upgrade with 1008 (1011 if the authorizer failed). Spring's own origin check is
 * therefore off for these paths, so that the stream's rule is the only one. The starter registers
 * this for its stream (with {@code @EnableWebSocket}); an application with several streams declares
 * one per stream: {@code @Bean WebSocketConfigurer bSockets(Stream b) { return FastRtcSockets.of(b, "/b"); }}.
 */
public final class FastRtcSockets implements WebSocketConfigurer {

    /** Where the handshake leaves the request view for the handler. */
    private static final String REQUEST = "fastrtc.request";
    private static final String SESSION = "fastrtc.session";
    /**
     * A client that stops reading: its sends queue up to this many bytes, or wait this long, before
     * the socket is closed (and with it the session), so a stalled client never blocks the stream.
     */
    private static final int SEND_BUFFER_BYTES = 512 * 1024;
    private static final int SEND_TIME_LIMIT_MS = 10_000;

    private final Stream stream;
    private final String prefix;

    private FastRtcSockets(Stream stream, String prefix) {
        this.stream = stream;
        this.prefix = prefix;
    }

    /** The stream's sockets under {@code path} ("" for the root), as the routes of {@link FastRtcRoutes#routes}. */
    public static FastRtcSockets of(Stream stream, String path) {
        if (stream == null) {
            throw new IllegalArgumentException("stream is null; pass the Stream whose sockets to serve");
        }
        return new FastRtcSockets(stream, UiEndpoints.normalise(path));
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new Handler(stream::openWebSocket), prefix + "/websocket/offer")
                .addHandler(new Handler(stream::openTelephone), prefix + "/telephone/handler")
                .addInterceptors(new RequestView())
                .setAllowedOriginPatterns("*");
    }

    /** Keeps the library's view of the upgrade request (headers, cookies, query, client address) for the handler. */
    private static final class RequestView implements HandshakeInterceptor {
        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler handler, Map<String, Object> attributes) {
            if (!(request instanceof ServletServerHttpRequest servlet)) {
                throw new IllegalStateException("FastRtcSockets serves servlet WebSockets only; got "
                        + request.getClass().getName());
            }
            attributes.put(REQUEST, FastRtcRoutes.request(servlet.getServletRequest()));
            return true;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler handler, Exception exception) {
        }
    }

    /** Opens a stream session per socket and forwards its text frames and its end. */
    private static final class Handler extends TextWebSocketHandler {
        private final BiFunction<SocketPeer, Request, SocketSession> open;

        Handler(BiFunction<SocketPeer, Request, SocketSession> open) {
            this.open = open;
        }

        @Override
        public void afterConnectionEstablished(WebSocketSession socket) {
            socket.setTextMessageSizeLimit(SocketSession.MAX_TEXT_CHARS);
            WebSocketSession serial = new ConcurrentWebSocketSessionDecorator(socket, SEND_TIME_LIMIT_MS,
                    SEND_BUFFER_BYTES);
            SocketSession session = open.apply(new SocketPeer() {
                @Override
                public void send(String text) {
                    try {
                        serial.sendMessage(new TextMessage(text));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void close(int code, String reason) {
                    try {
                        serial.close(new CloseStatus(code, reason));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }, (Request) socket.getAttributes().get(REQUEST));
            socket.getAttributes().put(SESSION, session);
        }

        @Override
        protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
            session(socket).onText(message.getPayload());
        }

        @Override
        public void handleTransportError(WebSocketSession socket, Throwable error) {
            session(socket).onClose(CloseStatus.SERVER_ERROR.getCode(), String.valueOf(error));
        }

        @Override
        public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
            session(socket).onClose(status.getCode(), status.getReason());
        }

        /** The socket's session; a no-op for a socket the stream refused while opening it. */
        private static SocketSession session(WebSocketSession socket) {
            SocketSession session = (SocketSession) socket.getAttributes().get(SESSION);
            return session != null ? session : SocketSession.NONE;
        }
    }
}
