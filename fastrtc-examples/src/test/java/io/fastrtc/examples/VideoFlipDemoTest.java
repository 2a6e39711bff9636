package io.fastrtc.examples;

import static io.fastrtc.examples.ExampleApp.awaitVideo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.testing.EventStream;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.testing.Clients;
import io.fastrtc.micrometer.MicrometerTelemetry;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.ui.Slider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VideoFlipDemoTest {

    static final RtcEngine clients = Clients.engine();
    ExampleApp example;

    @BeforeEach
    void start() {
        Stream stream = VideoFlip.stream();
        example = new ExampleApp(stream, VideoFlipDemo.create(stream));
    }

    @AfterEach
    void stop() {
        example.close();
    }

    @Test
    void servesThePageAtTheRoot() throws Exception {
        HttpResponse<String> page = example.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\">", "href=\"style.css\"",
                "id=\"slider\"", "id=\"toggle\"", "id=\"remote\"", "id=\"status\"", "id=\"toasts\"");

        for (String module : List.of("/app.js", "/client.js")) {
            HttpResponse<String> script = example.get(module);
            assertThat(script.statusCode()).as(module).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).contains("javascript"));
        }

        HttpResponse<String> css = example.get("/style.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/css"));
    }

    @Test
    void metricsAreServedOnlyWhenAsked() throws Exception {
        assertThat(example.get("/metrics").statusCode()).isEqualTo(404);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (FastRtc runtime = FastRtc.builder().telemetry(new MicrometerTelemetry(registry)).build()) {
            Stream stream = VideoFlip.stream(runtime);
            try (ExampleApp metered = new ExampleApp(stream, VideoFlipDemo.create(stream, registry::scrape))) {
                metered.connect(clients, "demo-metrics").close();
                await().atMost(Duration.ofSeconds(10)).until(() -> metered.get("/metrics").body()
                        .contains("fastrtc_sessions_closed_total{reason=\"client\",transport=\"webrtc\"} 1"));
                assertThat(metered.get("/metrics").body()).contains("fastrtc_session_setup_seconds_count{transport=\"webrtc\"} 1");
            }
        }
    }

    @Test
    void theConfigDescribesTheStreamsSlider() throws Exception {
        Slider slider = (Slider) example.stream.additionalInputs().get(0);
        HttpResponse<String> response = example.get("/config");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode input = ExampleApp.json(response.body()).get("input");
        assertThat(input.get("field").asText()).isEqualTo(VideoFlip.INPUT_FIELD);
        assertThat(input.get("label").asText()).isEqualTo(slider.label());
        assertThat(input.get("minimum").asDouble()).isEqualTo(slider.minimum());
        assertThat(input.get("maximum").asDouble()).isEqualTo(slider.maximum());
        assertThat(input.get("step").asDouble()).isEqualTo(slider.step());
        assertThat(input.get("value").asDouble()).isEqualTo(slider.value());
    }

    @Test
    void theSliderDecidesTheFlipAndTheReadingsShowIt() throws Exception {
        TestPeer peer = example.connect(clients, "demo-1");
        try (EventStream sse = EventStream.open(example.base + "/outputs?webrtc_id=demo-1")) {
            awaitVideo(peer, true);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode reading = sse.lastReading();
                assertThat(reading).isNotNull();
                assertThat(reading.get("threshold").asDouble()).isEqualTo(0.3);
                assertThat(reading.get("flipped").asBoolean()).isTrue();
            });

            Signaling.Reply reply = example.postInput(Map.of("webrtc_id", "demo-1", "threshold", 0.75));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            awaitVideo(peer, false);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode reading = sse.lastReading();
                assertThat(reading.get("threshold").asDouble()).isEqualTo(0.75);
                assertThat(reading.get("flipped").asBoolean()).isFalse();
                assertThat(reading.get("brightness").asDouble()).isBetween(0.4, 0.6);
            });

            assertThat(example.postInput(Map.of("webrtc_id", "demo-1", "threshold", 2)).status()).isEqualTo(422);

            peer.close();
            await().atMost(Duration.ofSeconds(15)).until(sse::ended);
            assertThat(sse.endedCleanly()).isTrue();
            assertThat(example.postInput(Map.of("webrtc_id", "demo-1", "threshold", 0.5)).status()).isEqualTo(404);
        } finally {
            peer.close();
        }
    }

    @Test
    void thePortComesFromTheArgumentThenPortThenTheDefault() {
        assertThat(VideoFlipDemo.port(new String[] {"9001"}, "9002")).isEqualTo(9001);
        assertThat(VideoFlipDemo.port(new String[0], " 9002 ")).isEqualTo(9002);
        assertThat(VideoFlipDemo.port(new String[0], null)).isEqualTo(8000);
        assertThat(VideoFlipDemo.port(new String[0], "")).isEqualTo(8000);
        assertThatThrownBy(() -> VideoFlipDemo.port(new String[] {"eighty"}, null))
                .hasMessage("port must be a number from 0 to 65535; got \"eighty\"");
        assertThatThrownBy(() -> VideoFlipDemo.port(new String[] {"70000"}, null))
                .hasMessageContaining("got \"70000\"");
    }
}
