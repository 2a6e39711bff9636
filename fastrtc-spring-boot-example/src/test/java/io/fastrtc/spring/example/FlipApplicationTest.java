package io.fastrtc.spring.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.EventStream;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.TestPeer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The example app started by Spring's test support on a random port, with a real WebRTC peer. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"fastrtc.path=/api", "fastrtc.ui.path=/tools/ui", "fastrtc.time-limit=5m",
                "fastrtc.cors.allowed-origins=https://app.example.com",
                // GET /outputs waits this long for an unknown id; the peer connects well within it
                "fastrtc.connect-timeout=5s"})
class FlipApplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    Stream stream;

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAppRunsOnTomcatWithoutJavalinOrJetty() {
        // The core depends on no web framework: a Spring app carries no second server (issue: the
        // core used to bring Javalin and Jetty 12 with it).
        assertThatThrownBy(() -> Class.forName("io.javalin.Javalin")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.eclipse.jetty.server.Server"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void aPeerConnectsAndTheUiDrivesItsInputsAndOutputs() throws Exception {
        assertThat(stream.concurrencyLimit()).as("fastrtc.concurrency-limit").isEqualTo(4);
        assertThat(stream.timeLimit()).as("fastrtc.time-limit").isEqualTo(Duration.ofMinutes(5));
        try (TestPeer peer = new TestPeer(Clients.engine(), "spring-flip")) {
            peer.sendVideo(15, n -> Patterns.verticalRamp(320, 240)).dataChannel("text");
            Signaling.Reply reply = Signaling.connect(peer, url("/api/webrtc/offer"), "spring-1");
            assertThat(reply.isAnswer()).as(reply.toString()).isTrue();
            assertThat(peer.awaitConnected(WAIT)).isTrue();
            // The slider starts at 0.8: flipped.
            await().atMost(WAIT).until(() -> peer.framesReceived() >= 10
                    && Patterns.rampError(peer.lastFrame(), true) < 8);

            try (EventStream events = EventStream.open(url("/tools/ui/outputs?webrtc_id=spring-1"))) {
                assertThat(events.status()).isEqualTo(200);
                assertThat(events.contentType()).startsWith("text/event-stream");
                assertThat(events.header("X-Accel-Buffering")).hasValue("no");
                JsonNode first = events.nextOutput(WAIT);
                assertThat(first.get(0).asText()).isEqualTo("flipped at 0.8");

                Signaling.Reply input = Signaling.post(url("/tools/ui/input"),
                        "{\"webrtc_id\":\"spring-1\",\"values\":[0.2]}");
                assertThat(input.status()).as(input.toString()).isEqualTo(200);
                assertThat(input.json().at("/inputs/0").asDouble()).isEqualTo(0.2);
                await().atMost(WAIT).until(() -> Patterns.rampError(peer.lastFrame(), false) < 8);
                JsonNode shown;
                do {
                    shown = events.nextOutput(WAIT);
                } while (shown != null && !shown.get(0).asText().equals("as is at 0.2"));
                assertThat(shown).as("the output feed follows the new input").isNotNull();

                stream.closeConnection("spring-1");
                await().atMost(WAIT).until(events::ended);
            }
            assertThat(Signaling.post(url("/api/webrtc/offer"), "{\"type\":\"ice-candidate\",\"webrtc_id\":\"spring-1\","
                    + "\"candidate\":{\"candidate\":\"\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}").error())
                    .isEqualTo("unknown_connection");
        }
    }

    @Test
    void prometheusScrapesTheFastRtcSeries() throws Exception {
        HttpResponse<String> scrape = get(url("/actuator/prometheus"));
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("fastrtc_sessions{state=\"connected\",transport=\"webrtc\"}",
                "fastrtc_sessions_limit ", "fastrtc_session_setup_seconds_count{transport=\"webrtc\"}");
    }

    @Test
    void theRoutesAnswerAsTheJavalinOnesDo() throws Exception {
        HttpResponse<String> config = get(url("/api/webrtc/rtc-configuration"));
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(config.body()).isEqualTo("{\"iceServers\":[],\"iceTransportPolicy\":\"all\"}");

        HttpResponse<String> redirect = get(url("/tools/ui"));
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).hasValue("ui/");
        HttpResponse<String> page = get(url("/tools/ui/"));
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("assets/app.js");
        assertThat(get(url("/tools/ui/assets/app.js")).headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/javascript");
        assertThat(get(url("/tools/ui/assets/secret.txt")).statusCode()).isEqualTo(404);
        JsonNode ui = Signaling.get(url("/tools/ui/config")).json();
        assertThat(ui.get("offerUrl").asText()).isEqualTo("../../api/webrtc/offer");
        assertThat(ui.at("/inputs/0/label").asText()).isEqualTo("Flip threshold");
        assertThat(ui.get("concurrencyLimit").asInt()).isEqualTo(4);

        assertThat(Signaling.post(url("/api/webrtc/offer"), "{not json").status()).isEqualTo(422);
        assertThat(Signaling.post(url("/api/webrtc/offer"), "{\"type\":\"offer\",\"webrtc_id\":\"x\",\"sdp\":\"garbage\"}")
                .error()).isEqualTo("invalid_sdp");
        assertThat(Signaling.post(url("/api/webrtc/offer"), "x".repeat(2_000_000)).status()).isEqualTo(413);
        assertThat(Signaling.post(url("/tools/ui/input"), "{\"webrtc_id\":\"nobody\",\"values\":[0.1]}").status())
                .isEqualTo(404);
        assertThat(get(url("/tools/ui/outputs")).statusCode()).isEqualTo(422);
        assertThat(get(url("/tools/ui/outputs?webrtc_id=nobody")).statusCode()).isEqualTo(404);
    }

    @Test
    void corsOpensOnlyForTheConfiguredOrigin() throws Exception {
        HttpResponse<String> allowed = preflight("https://app.example.com");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().allValues("Access-Control-Allow-Origin")).containsExactly("https://app.example.com");
        assertThat(preflight("https://evil.example").statusCode()).isEqualTo(403);
        HttpResponse<String> config = HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/webrtc/rtc-configuration")))
                .header("Origin", "https://app.example.com").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(config.headers().allValues("Access-Control-Allow-Origin")).containsExactly("https://app.example.com");
        HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/webrtc/rtc-configuration")))
                .header("Origin", "https://evil.example").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private HttpResponse<String> preflight(String origin) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/webrtc/offer"))).header("Origin", origin)
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
