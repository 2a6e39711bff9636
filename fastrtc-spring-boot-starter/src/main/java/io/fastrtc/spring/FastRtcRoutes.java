package io.fastrtc.spring;

import io.fastrtc.internal.Incidents;
import io.fastrtc.internal.Threads;
import io.fastrtc.transport.HttpReply;
import io.fastrtc.transport.ProtocolException;
import io.fastrtc.transport.RequestBody;
import io.fastrtc.security.Cors;
import io.fastrtc.security.Request;
import io.fastrtc.stream.Stream;
import io.fastrtc.stream.WebUi;
import io.fastrtc.transport.UiEndpoints;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.CorsRegistration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * A {@link Stream}'s routes, and its web UI's, on Spring MVC (functional endpoints): the same paths,
 * JSON and events as the Javalin module's {@code FastRtcPlugin} (routes and web UI), answered by
 * the same transport-neutral code ({@link Stream#handleOffer}, {@link Stream#handleRtcConfiguration},
 * {@link Stream#handleIncomingCall} for Twilio's webhook, {@link UiEndpoints}). The WebSockets
 * ({@code /websocket/offer}, {@code /telephone/handler}) are {@link FastRtcSockets}'.
 *
 * <p>Every request reaches the stream through {@link #routes}'s one router, so anything that must
 * see each of them (headers, cookies, query, remote address: {@link ServerRequest} has them all) is
 * one {@code .filter(...)} on it. The stream's authorizer, ownership rule and limits apply as on
 * Javalin: each route hands the stream the request's {@link Request} view and copies the reply's
 * headers ({@code Set-Cookie}, {@code Retry-After}). Spring MVC answers CORS preflights itself,
 * before any route: {@link #cors} gives it the stream's {@link Cors} for these paths.
 */
public final class FastRtcRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(FastRtcRoutes.class);
    /** Spring's default would end the outputs feed after 30 s; it lasts as long as its connection. */
    private static final Duration FEED_TIMEOUT = Duration.ofDays(1);

    /**
     * A thread per open outputs feed, which ends with its feed: when the client leaves, the
     * connection ends or the stream closes. It holds no thread of its own between feeds, so one for
     * every stream of the app is right; the runtime's threads are not reachable from an adapter.
     */
    private static final Executor FEEDS = Threads.perTask("fastrtc-sse");

    private FastRtcRoutes() {
    }

    /**
     * The stream's routes under {@code path}, and, when {@code uiPath} is not null, its web UI there.
     */
    public static RouterFunction<ServerResponse> routes(Stream stream, String path, WebUi ui, String uiPath) {
        String prefix = UiEndpoints.normalise(path);
        RouterFunctions.Builder routes = RouterFunctions.route()
                .POST(prefix + "/webrtc/offer", req -> posted(req, stream::handleOffer))
                // Twilio's voice webhook: TwiML pointing the call at {prefix}/telephone/handler (FastRtcSockets).
                .POST(prefix + "/telephone/incoming", req -> posted(req, stream::handleIncomingCall))
                // Resolved per request: providers hand out short-lived credentials, so nothing may cache it.
                .GET(prefix + "/webrtc/rtc-configuration", req -> reply(stream.handleRtcConfiguration(
                        request(req.servletRequest())).withHeader(HttpHeaders.CACHE_CONTROL, "no-store")));
        if (ui != null) {
            ui(routes, stream.uiEndpoints(ui.options(), uiPath, prefix));
        }
        // As on Javalin: the client learns only an error id, the log has the stack trace next to it.
        routes.onError(Exception.class, (e, req) -> reply(HttpReply.error(500, "server_error",
                Incidents.logged(LOG, req.method() + " " + req.path() + " failed", "the request failed", e))));
        return routes.build();
    }

    /**
     * The stream's {@link Cors} as Spring MVC's CORS mappings for the routes of {@link #routes} with
     * the same paths (nothing when it is closed). The starter registers it for its stream; an
     * application that declares its routers itself declares this next to each.
     */
    public static WebMvcConfigurer cors(Stream stream, String path, String uiPath) {
        Cors cors = stream.cors();
        String prefix = UiEndpoints.normalise(path);
        String ui = UiEndpoints.normalise(uiPath);
        return new WebMvcConfigurer() {
            @Override
            public void addCorsMappings(CorsRegistry registry) {
                if (cors.isClosed()) {
                    return;
                }
                for (String route : List.of(prefix + "/webrtc/offer", prefix + "/webrtc/rtc-configuration",
                        prefix + "/telephone/incoming", ui + "/input", ui + "/outputs")) {
                    CorsRegistration r = registry.addMapping(route).allowedMethods("GET", "POST")
                            .allowedHeaders("*").exposedHeaders("Retry-After").maxAge(600)
                            .allowCredentials(cors.credentials());
                    if (cors.origins().contains("*")) {
                        r.allowedOriginPatterns("*");
                    } else {
                        r.allowedOrigins(cors.origins().toArray(String[]::new));
                    }
                }
            }
        };
    }

    private static void ui(RouterFunctions.Builder routes, UiEndpoints ends) {
        String prefix = ends.path();
        if (!prefix.isEmpty()) {
            routes.GET(prefix, req -> page(req, ends)); // redirected to prefix + "/", where relative links work
        }
        routes.GET(prefix + "/", req -> page(req, ends))
                .GET(prefix + "/assets/{name}", req -> {
                    String name = req.pathVariable("name");
                    return ends.asset(name).map(FastRtcRoutes::content).orElseGet(() -> reply(UiEndpoints.noAsset(name)));
                })
                .GET(prefix + "/config", req -> content(ends.config()))
                .POST(prefix + "/input", req -> {
                    Request request = request(req.servletRequest());
                    try {
                        String body = RequestBody.read(req.servletRequest().getInputStream(), UiEndpoints.MAX_INPUT_BYTES);
                        return reply(ends.input(request, body));
                    } catch (ProtocolException e) {
                        return reply(HttpReply.error(e));
                    }
                })
                .GET(prefix + "/outputs", req -> outputs(ends.outputs(request(req.servletRequest()),
                        req.param("webrtc_id").orElse(null))));
        if (ends.hasIcon()) {
            routes.GET(prefix + "/icon", req -> content(ends.icon()));
        }
    }

    private static ServerResponse page(ServerRequest req, UiEndpoints ends) {
        String redirect = UiEndpoints.redirect(req.path(), req.servletRequest().getQueryString());
        return redirect != null ? ServerResponse.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, redirect).build()
                : content(ends.page());
    }

    private static ServerResponse content(UiEndpoints.Content content) {
        ServerResponse.BodyBuilder b = ServerResponse.ok().contentType(MediaType.parseMediaType(content.contentType()));
        if (content.cacheControl() != null) {
            b.header(HttpHeaders.CACHE_CONTROL, content.cacheControl());
        }
        return b.body(content.bytes());
    }

    /** A stream entry point given the request view and the body (at most {@link RequestBody#MAX_OFFER_BYTES}). */
    private static ServerResponse posted(ServerRequest req, BiFunction<Request, String, HttpReply> handle)
            throws IOException {
        Request request = request(req.servletRequest());
        try {
            return reply(handle.apply(request, RequestBody.read(req.servletRequest().getInputStream(),
                    RequestBody.MAX_OFFER_BYTES)));
        } catch (ProtocolException e) {
            return reply(e.reply());
        }
    }

    /**
     * The library's view of a servlet request, for {@code stream.authorize(...)} in your own
     * controllers and for a WebSocket handshake.
     */
    public static Request request(HttpServletRequest req) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name, Collections.list(req.getHeaders(name)));
        }
        Map<String, String> cookies = new LinkedHashMap<>();
        Cookie[] sent = req.getCookies();
        if (sent != null) {
            for (Cookie c : sent) {
                cookies.putIfAbsent(c.getName(), c.getValue());
            }
        }
        // Not getParameterMap(): for a form post it would consume the body.
        return new Request(req.getMethod(), req.getRequestURI(), headers, cookies, Request.parseQuery(req.getQueryString()),
                req.getRemoteAddr());
    }

    private static ServerResponse reply(HttpReply reply) {
        ServerResponse.BodyBuilder b = ServerResponse.status(reply.status());
        reply.headers().forEach((name, value) -> b.header(name, value));
        return reply.body().isEmpty() ? b.build()
                : b.contentType(MediaType.parseMediaType(reply.contentType())).body(reply.body());
    }

    /** The outputs feed as server-sent events, carried by its own (virtual when possible) thread. */
    private static ServerResponse outputs(UiEndpoints.OutputEvents events) {
        if (events.error() != null) {
            return reply(events.error());
        }
        ServerResponse response = ServerResponse.sse(sse -> {
            sse.onComplete(events::close).onTimeout(events::close).onError(e -> events.close());
            FEEDS.execute(() -> {
                try {
                    sse.comment("").send(); // Spring sends the headers with the first bytes: the client sees the stream open now
                    events.forEach(e -> {
                        if (e.name() == null) {
                            sse.comment(e.data()).send();
                        } else {
                            sse.event(e.name()).data(e.data());
                        }
                    });
                    sse.complete();
                } catch (IOException | IllegalStateException e) {
                    LOG.debug("outputs feed ended by the client: {}", e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    events.close();
                }
            });
        }, FEED_TIMEOUT);
        return new Unbuffered(response);
    }

    /**
     * Spring's SSE response (already {@code no-cache}) with {@code X-Accel-Buffering: no}, without
     * which nginx holds events back; its headers are read-only, so the header goes on the servlet
     * response first.
     */
    private record Unbuffered(ServerResponse sse) implements ServerResponse {
        @Override
        public HttpStatusCode statusCode() {
            return sse.statusCode();
        }

        @Override
        public HttpHeaders headers() {
            return sse.headers();
        }

        @Override
        public MultiValueMap<String, Cookie> cookies() {
            return sse.cookies();
        }

        @Override
        public ModelAndView writeTo(HttpServletRequest request, HttpServletResponse response, Context context)
                throws ServletException, IOException {
            response.setHeader("X-Accel-Buffering", "no");
            return sse.writeTo(request, response, context);
        }
    }

}
