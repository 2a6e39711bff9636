package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.ui.Slider;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StreamVideoTest {

    static final RtcEngine clients = Clients.engine();

    @Test
    void flipsVideoAndPassesSliderValuesAndOutputs() throws Exception {
        List<Double> seen = new CopyOnWriteArrayList<>();
        Stream stream = Stream.builder()
                .video((frame, inputs) -> {
                    seen.add(inputs.getDouble(0));
                    return frame.flipVertical().with(AdditionalOutputs.of(inputs.getDouble(0)));
                })
                .additionalInputs(Slider.of("Threshold", 0, 1, 0.3))
                .build();
        Javalin app = Javalin.create(cfg -> cfg.registerPlugin(new FastRtcPlugin(stream, p -> p.path = "/api")));
        app.start(0);
        try (TestPeer peer = new TestPeer(clients, "flip")) {
            peer.sendVideo(30, n -> Patterns.verticalRamp(320, 240)).dataChannel("text");
            String url = "http://127.0.0.1:" + app.port() + "/api/webrtc/offer";
            Signaling.Reply reply = Signaling.connect(peer, url, "flip-1");
            assertThat(reply.isAnswer()).as(reply.toString()).isTrue();
            assertThat(reply.json().get("sdp").asText()).contains("webrtc-datachannel").contains("m=video");
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> peer.framesReceived() >= 15);
            assertThat(Patterns.rampError(peer.lastFrame(), true)).isLessThan(8);
            assertThat(peer.videoQualityLimitation()).as("libwebrtc's verdict on the encoder, read from its stats")
                    .isIn("none", "cpu", "bandwidth", "other");
            assertThat(seen).contains(0.3);

            try (OutputFeed feed = stream.outputStream("flip-1")) {
                stream.setInput("flip-1", 0.75);
                await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(0.75));
                AdditionalOutputs out;
                do {
                    out = feed.poll(Duration.ofSeconds(5));
                } while (out != null && !out.get(0).equals(0.75));
                assertThat(out).isNotNull();
            }
            assertThat(peer.awaitMessage("fetch_output", Duration.ofSeconds(5))).isNotNull();
        } finally {
            stream.close();
            app.stop();
        }
    }

    @Test
    void aHandlerSlowerThanTheFrameRateGetsOnlyFreshFramesAndSendsAtLowerResolution() throws Exception {
        // 4 fps in, 450 ms per frame: a frame often waits behind the handler with no newer one coming
        // (up to 200 ms if nothing dropped it). A received frame's timestamp is its render time, on the
        // same monotonic clock as System.nanoTime(), within a few ms of its arrival.
        List<Long> agesMicros = new CopyOnWriteArrayList<>();
        Stream stream = Stream.builder()
                .video((frame, inputs) -> {
                    agesMicros.add(System.nanoTime() / 1000 - frame.timestampUs());
                    Thread.sleep(450);
                    return frame;
                })
                .maxFrameAge(Duration.ofMillis(60))
                .build();
        try (io.fastrtc.testing.StreamServer server = io.fastrtc.testing.StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "slow")) {
            peer.sendVideo(4, n -> Patterns.verticalRamp(320, 240)).dataChannel("text");
            assertThat(Signaling.connect(peer, server.offerUrl(), "slow").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> stream.stats().framesStale() >= 3);
            long before = peer.framesReceived();
            await().atMost(Duration.ofSeconds(20)).until(() -> peer.framesReceived() >= before + 5);
            await().atMost(Duration.ofSeconds(20)).until(() -> stream.stats().scaledDown() == 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> peer.lastFrame().width() < 320);
            assertThat(agesMicros).hasSizeGreaterThan(5).allMatch(age -> age < 150_000, "under 150 ms");
        }
    }
}
