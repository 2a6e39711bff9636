package io.fastrtc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.micrometer.MicrometerTelemetry;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.testing.SocketCaller;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With Actuator and Micrometer's Prometheus registry on the class path, the runtime bean reports to
 * the context's registry: {@code /actuator/prometheus} shows the fastrtc series moving with a real
 * socket session, and {@code /actuator/health} has the {@code fastrtc} component. The app is the
 * sockets test's echo stream.
 */
@SpringBootTest(classes = FastRtcSocketsTest.EchoApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoints.web.exposure.include=health,prometheus",
                "management.endpoint.health.show-components=always", "management.endpoint.health.show-details=always"})
class FastRtcMetricsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    FastRtc runtime;

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the one sample of {@code series} (its exact name and labels as Prometheus writes them). */
    private double sample(String series) throws Exception {
        String body = get("/actuator/prometheus").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
        assertThat(m.find()).as(series + " in\n" + body).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private JsonNode fastrtcHealth() throws Exception {
        return JSON.readTree(get("/actuator/health").body()).path("components").path("fastrtc");
    }

    @Test
    void prometheusAndHealthFollowASocketSession() throws Exception {
        assertThat(runtime.telemetry()).isInstanceOf(MicrometerTelemetry.class);
        String connected = "fastrtc_sessions{state=\"connected\",transport=\"websocket\"}";
        assertThat(sample(connected)).isZero();
        assertThat(fastrtcHealth().path("status").asText()).isEqualTo("UP");
        assertThat(fastrtcHealth().path("details").path("openSessions").asInt()).isZero();

        try (SocketCaller caller = SocketCaller.fastrtc("ws://127.0.0.1:" + port + "/websocket/offer", 16000, 16000)) {
            caller.start("spring-metrics", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> sample(connected) == 1);
            assertThat(sample("fastrtc_session_setup_seconds_count{transport=\"websocket\"}")).isEqualTo(1);
            JsonNode health = fastrtcHealth();
            assertThat(health.path("status").asText()).isEqualTo("UP");
            assertThat(health.path("details").path("openSessions").asInt()).isEqualTo(1);
            assertThat(health.path("details").path("capacityLeft").asInt())
                    .isEqualTo(runtime.maxTotalConnections() - 1);
            caller.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> sample(connected) == 0);
        }
        assertThat(sample("fastrtc_sessions_closed_total{reason=\"client\",transport=\"websocket\"}")).isEqualTo(1);
    }
}
