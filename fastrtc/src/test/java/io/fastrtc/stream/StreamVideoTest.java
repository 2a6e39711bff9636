package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.testing.Clients;
import io.fastrtc.handler.AdditionalOutputs;
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
        Javalin app = Javalin.create();
        stream.mount(app, "/api");
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
}
