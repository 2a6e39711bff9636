package io.fastrtc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.javalin.MetricsEndpoint;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.TestPeer;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real WebRTC client against a stream on Javalin with {@link MetricsEndpoint}: what Prometheus
 * would scrape moves as the client is refused, connects, streams and leaves.
 */
class ScrapeAfterConnectionTest {

    static final RtcEngine clients = Clients.engine();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestPeer camera(String name) {
        return new TestPeer(clients, name).sendVideo(30, n -> Patterns.verticalRamp(160, 120)).dataChannel("text");
    }

    private static Scrape scrape(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return new Scrape(r.body());
    }

    @Test
    void theScrapeFollowsARealConnection() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Map<String, String> webrtcConnected = Map.of("transport", "webrtc", "state", "connected");
        try (FastRtc rtc = FastRtc.builder().telemetry(new MicrometerTelemetry(registry)).build()) {
            Stream stream = Stream.builder().runtime(rtc).video((f, in) -> f.flipVertical()).concurrencyLimit(1).build();
            Javalin app = Javalin.create(cfg -> {
                cfg.registerPlugin(new FastRtcPlugin(stream));
                cfg.registerPlugin(new MetricsEndpoint("/metrics", registry::scrape));
            }).start("127.0.0.1", 0);
            String base = "http://127.0.0.1:" + app.port();
            try (TestPeer peer = camera("scraped"); TestPeer second = camera("second")) {
                Scrape before = scrape(base + "/metrics");
                assertThat(before.value("fastrtc_sessions", webrtcConnected)).isZero();
                assertThat(before.names()).contains("fastrtc_sessions", "fastrtc_session_setup_seconds_count");

                assertThat(Signaling.offer(base + "/webrtc/offer", "broken", "v=0 but no media").isAnswer()).isFalse();
                assertThat(Signaling.connect(peer, base + "/webrtc/offer", "scraped").isAnswer()).isTrue();
                assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
                assertThat(Signaling.offer(base + "/webrtc/offer", "second", second.offer()).isAnswer()).isFalse();
                await().atMost(Duration.ofSeconds(10)).until(() -> peer.framesReceived() >= 10);

                Scrape during = scrape(base + "/metrics");
                assertThat(during.value("fastrtc_sessions", webrtcConnected)).isEqualTo(1);
                assertThat(during.value("fastrtc_session_setup_seconds_count", Map.of("transport", "webrtc")))
                        .isEqualTo(1);
                assertThat(during.value("fastrtc_handler_duration_seconds_count", Map.of("call", "video_frame")))
                        .isGreaterThan(0);
                assertThat(during.value("fastrtc_offers_refused_total", Map.of("transport", "webrtc", "reason",
                        "invalid_sdp"))).isEqualTo(1);
                assertThat(during.value("fastrtc_offers_refused_total", Map.of("transport", "webrtc", "reason",
                        "concurrency_limit_reached"))).isEqualTo(1);

                peer.close();
                await().atMost(Duration.ofSeconds(10)).until(() -> scrape(base + "/metrics")
                        .value("fastrtc_sessions", webrtcConnected) == 0);
                Scrape after = scrape(base + "/metrics");
                assertThat(after.value("fastrtc_sessions", Map.of())).isZero();
                assertThat(after.value("fastrtc_sessions_closed_total", Map.of("transport", "webrtc", "reason", "client")))
                        .isEqualTo(1);
            } finally {
                stream.close();
                app.stop();
            }
        }
    }
}
