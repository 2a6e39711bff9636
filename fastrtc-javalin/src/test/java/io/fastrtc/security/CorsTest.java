package io.fastrtc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.EchoHandler;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.StreamServer;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CORS on the library's routes: closed unless configured, preflights answered, simple cross-site posts refused. */
class CorsTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String APP = "https://app.example.com";
    static final String BAD_OFFER = "{\"type\":\"offer\",\"webrtc_id\":\"x\",\"sdp\":\"hello\"}";

    static HttpResponse<String> send(String url, String method, String origin, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Origin", origin)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (method.equals("OPTIONS")) {
            b.header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers",
                    "content-type,x-fastrtc-token");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String allowOrigin(HttpResponse<?> response) {
        return response.headers().firstValue("Access-Control-Allow-Origin").orElse(null);
    }

    @Test
    void closedByDefault() throws Exception {
        try (StreamServer server = StreamServer.startWithUi(Stream.builder().video((f, in) -> f).build())) {
            HttpResponse<String> post = send(server.offerUrl(), "POST", APP, "application/json", BAD_OFFER);
            assertThat(post.statusCode()).isEqualTo(400);
            assertThat(allowOrigin(post)).isNull();
            for (String path : new String[] {"/webrtc/offer", "/webrtc/rtc-configuration", "/ui/input", "/ui/outputs"}) {
                HttpResponse<String> preflight = send(server.url(path), "OPTIONS", APP, null, null);
                assertThat(preflight.statusCode()).as(path).isEqualTo(403);
                assertThat(allowOrigin(preflight)).as(path).isNull();
                assertThat(preflight.body()).contains("origin_not_allowed");
            }
            // A page elsewhere can post text/plain without a preflight: refused before anything is done.
            HttpResponse<String> simple = send(server.offerUrl(), "POST", "https://evil.example", "text/plain", BAD_OFFER);
            assertThat(simple.statusCode()).isEqualTo(415);
            assertThat(simple.body()).contains("unsupported_media_type");
            assertThat(send(server.url("/ui/input"), "POST", "https://evil.example", "text/plain",
                    "{\"webrtc_id\":\"x\",\"values\":[]}").statusCode()).isEqualTo(415);
            assertThat(Signaling.post(server.offerUrl(), BAD_OFFER).error()).as("same-origin JSON as before")
                    .isEqualTo("invalid_sdp");
        }
    }

    @Test
    void listedOriginsGetTheHeadersOthersDoNot() throws Exception {
        Stream stream = Stream.builder().video((f, in) -> f).cors(Cors.allowOrigins(APP).withCredentials()).build();
        try (StreamServer server = StreamServer.startWithUi(stream)) {
            HttpResponse<String> preflight = send(server.offerUrl(), "OPTIONS", APP, null, null);
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(allowOrigin(preflight)).isEqualTo(APP);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type,x-fastrtc-token");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
            HttpResponse<String> post = send(server.offerUrl(), "POST", APP, "application/json", BAD_OFFER);
            assertThat(allowOrigin(post)).isEqualTo(APP);
            assertThat(post.headers().firstValue("Vary")).hasValue("Origin");
            assertThat(allowOrigin(send(server.url("/webrtc/rtc-configuration"), "GET", APP, null, null))).isEqualTo(APP);
            assertThat(allowOrigin(send(server.offerUrl(), "POST", "https://other.example", "application/json",
                    BAD_OFFER))).isNull();
            assertThat(send(server.offerUrl(), "OPTIONS", "https://other.example", null, null).statusCode()).isEqualTo(403);
        }
    }

    /**
     * A socket client can send any header: a foreign {@code Origin} with a matching
     * {@code X-Forwarded-Host} is the server's own only when a trusted proxy says so.
     */
    @Test
    void aForwardedHostMakesAnOriginTheServersOwnOnlyFromATrustedProxy() throws Exception {
        Map<String, String> forged = Map.of("Origin", "https://evil.example", "X-Forwarded-Host", "evil.example",
                "X-Forwarded-Proto", "https");
        try (StreamServer server = StreamServer.start(Stream.builder().audio(new EchoHandler(16000)).build());
                SocketCaller caller = SocketCaller.fastrtc(socketUrl(server), forged, 16000, 24000)) {
            SocketCaller.Closed closed = caller.awaitClosed(Duration.ofSeconds(10));
            assertThat(closed).as("the socket is refused").isNotNull();
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).contains("origin");
            assertThat(server.stream().connectionIds()).isEmpty();
        }
        Stream proxied = Stream.builder().audio(new EchoHandler(16000)).trustedProxies("127.0.0.1").build();
        try (StreamServer server = StreamServer.start(proxied);
                SocketCaller caller = SocketCaller.fastrtc(socketUrl(server), forged, 16000, 24000);
                SocketCaller other = SocketCaller.fastrtc(socketUrl(server), Map.of("Origin", "https://evil.example",
                        "X-Forwarded-Host", "voice.example.com"), 16000, 24000)) {
            caller.start("proxied", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> proxied.connectionIds().contains("proxied"));
            assertThat(other.awaitClosed(Duration.ofSeconds(10)).code()).as("the proxy's host is not evil.example")
                    .isEqualTo(1008);
            caller.stop();
            assertThat(caller.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1000);
        }
    }

    static String socketUrl(StreamServer server) {
        return server.url("/websocket/offer").replace("http:", "ws:");
    }

    @Test
    void theAppsOwnCorsSetUpStillApplies() throws Exception {
        Stream stream = Stream.builder().video((f, in) -> f).build();
        Javalin app = Javalin.create(cfg -> {
            cfg.bundledPlugins.enableCors(cors -> cors.addRule(rule -> rule.allowHost(APP)));
            cfg.registerPlugin(new FastRtcPlugin(stream));
        });
        app.start("127.0.0.1", 0);
        try {
            String offer = "http://127.0.0.1:" + app.port() + "/webrtc/offer";
            HttpResponse<String> preflight = send(offer, "OPTIONS", APP, null, null);
            assertThat(preflight.statusCode()).isBetween(200, 204);
            assertThat(allowOrigin(preflight)).isEqualTo(APP);
            assertThat(allowOrigin(send(offer, "POST", APP, "application/json", BAD_OFFER))).isEqualTo(APP);
        } finally {
            app.stop();
            stream.close();
        }
    }
}
