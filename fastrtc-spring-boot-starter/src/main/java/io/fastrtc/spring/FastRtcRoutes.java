package io.fastrtc.spring;

import io.fastrtc.internal.Threads;
import io.fastrtc.protocol.HttpReply;
import io.fastrtc.stream.Stream;
import io.fastrtc.ui.UiEndpoints;
import io.fastrtc.ui.WebUi;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
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
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * A {@link Stream}'s routes, and its web UI's, on Spring MVC (functional endpoints): the same paths,
 * JSON and events as {@code stream.mount(javalinApp)} and {@code stream.ui().mount(...)}, answered by
 * the same transport-neutral code ({@link Stream#handleOffer}, {@link Stream#handleRtcConfiguration},
 * {@link UiEndpoints}).
 *
 * <p>Every request reaches the stream through {@link #routes}'s one router, so anything that must
 * see each of them (headers, cookies, query, remote address: {@link ServerRequest} has them all) is
 * one {@code .filter(...)} on it.
 */
public final class FastRtcRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(FastRtcRoutes.class);
    /** Larger bodies get 413 without being read (Javalin's default limit; offers are 3-10 KB). */
    static final int MAX_BODY_BYTES = 1_000_000;
    /** Spring's default would end the outputs feed after 30 s; it lasts as long as its connection. */
    private static final Duration FEED_TIMEOUT = Duration.ofDays(1);

    private static final Executor FEEDS = Threads.perTask("fastrtc-sse");

    private FastRtcRoutes() {
    }

    /**
     * The stream's routes under {@code path}, and, when {@code uiPath} is not null, its web UI there.
     */
    public static RouterFunction<ServerResponse> routes(Stream stream, String path, WebUi ui, String uiPath) {
        String prefix = UiEndpoints.normalise(path);
        RouterFunctions.Builder routes = RouterFunctions.route()
                .POST(prefix + "/webrtc/offer", req -> {
                    String body = body(req);
                    return body == null ? tooLarge() : json(stream.handleOffer(body));
                })
                // Resolved per request: providers hand out short-lived credentials, so nothing may cache it.
                .GET(prefix + "/webrtc/rtc-configuration", req -> ServerResponse.status(200)
                        .header(HttpHeaders.CACHE_CONTROL, "no-store").contentType(MediaType.APPLICATION_JSON)
                        .body(stream.handleRtcConfiguration().body()));
        if (ui != null) {
            ui(routes, UiEndpoints.of(ui, uiPath, prefix));
        }
        return routes.build();
    }

    private static void ui(RouterFunctions.Builder routes, UiEndpoints ends) {
        String prefix = ends.path();
        if (!prefix.isEmpty()) {
            routes.GET(prefix, req -> page(req, ends)); // redirected to prefix + "/", where relative links work
        }
        routes.GET(prefix + "/", req -> page(req, ends))
                .GET(prefix + "/assets/{name}", req -> {
                    String name = req.pathVariable("name");
                    return ends.asset(name).map(FastRtcRoutes::content).orElseGet(() -> json(UiEndpoints.noAsset(name)));
                })
                .GET(prefix + "/config", req -> content(ends.config()))
                .POST(prefix + "/input", req -> {
                    String body = body(req);
                    return body == null ? tooLarge() : json(ends.input(body));
                })
                .GET(prefix + "/outputs", req -> outputs(ends.outputs(req.param("webrtc_id").orElse(null))));
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

    private static ServerResponse json(HttpReply reply) {
        return ServerResponse.status(reply.status()).contentType(MediaType.APPLICATION_JSON).body(reply.body());
    }

    private static ServerResponse tooLarge() {
        return json(HttpReply.failed(413, "request_too_large", "request body is over " + MAX_BODY_BYTES + " bytes"));
    }

    /** The body as UTF-8 whatever the request's charset (clients send JSON), or null when over the limit. */
    private static String body(ServerRequest req) throws IOException {
        try (InputStream in = req.servletRequest().getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            return bytes.length > MAX_BODY_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The outputs feed as server-sent events, carried by its own (virtual when possible) thread. */
    private static ServerResponse outputs(UiEndpoints.OutputEvents events) {
        if (events.error() != null) {
            return json(events.error());
        }
        ServerResponse response = ServerResponse.sse(sse -> {
            sse.onComplete(events::close).onTimeout(events::close).onError(e -> events.close());
            FEEDS.execute(() -> {
                try (events) {
                    for (UiEndpoints.Event e = events.next(); e != null; e = events.next()) {
                        if (e.name() == null) {
                            sse.comment(e.data()).send();
                        } else {
                            sse.event(e.name()).data(e.data());
                        }
                    }
                    sse.complete();
                } catch (IOException | IllegalStateException e) {
                    LOG.debug("outputs feed ended by the client: {}", e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
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
