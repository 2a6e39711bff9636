package io.fastrtc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.Speech;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A caller on the WebSocket transport talks to a ReplyOnPause stream, then talks over its long
 * reply: the turn and interruption latency histograms of the scrape count them.
 */
class VoiceTurnMetricsTest {

    @Test
    void aTurnAndAnInterruptionReachTheLatencyHistograms() throws Exception {
        AudioFrame hello = Speech.say("hello there this is a test of the voice agent");
        AudioFrame longReply = hello.concat(hello).concat(hello).concat(hello);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Map<String, String> websocket = Map.of("transport", "websocket");
        try (FastRtc rtc = FastRtc.builder().telemetry(new MicrometerTelemetry(registry)).build();
                StreamServer server = StreamServer.start(Stream.builder().runtime(rtc)
                        .audio(new ReplyOnPause(audio -> Reply.of(longReply))).build());
                SocketCaller caller = SocketCaller.fastrtc(server.baseUrl().replace("http:", "ws:") + "/websocket/offer",
                        48000, 24000)) {
            caller.start("voice-metrics", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stream().connectionIds().contains("voice-metrics"));
            Thread.sleep(500); // the pause detector settles on silence
            caller.say(hello);
            await().atMost(Duration.ofSeconds(30)).until(() -> new Scrape(registry.scrape())
                    .value("fastrtc_turn_latency_seconds_count", websocket) == 1);
            Scrape turn = new Scrape(registry.scrape());
            double seconds = turn.value("fastrtc_turn_latency_seconds_sum", websocket);
            assertThat(seconds).as("turn latency").isGreaterThan(0).isLessThan(10);
            assertThat(turn.value("fastrtc_interruption_latency_seconds_count", websocket)).isZero();

            Thread.sleep(1000); // the reply plays
            caller.say(hello);
            assertThat(caller.awaitMessage("\"clear\"", Duration.ofSeconds(10))).isNotNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> new Scrape(registry.scrape())
                    .value("fastrtc_interruption_latency_seconds_count", websocket) == 1);
            assertThat(new Scrape(registry.scrape()).value("fastrtc_interruption_latency_seconds_sum", websocket))
                    .as("interruption latency").isGreaterThan(0).isLessThan(5);
        }
    }
}
