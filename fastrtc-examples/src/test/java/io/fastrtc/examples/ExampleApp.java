package io.fastrtc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.TestPeer;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** An example app started on a free port, with the client side the tests need: peers and HTTP. */
final class ExampleApp implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Test frames: a vertical luma ramp, mean brightness about 0.49. */
    static final int WIDTH = 320;
    static final int HEIGHT = 240;

    final Stream stream;
    final Javalin app;
    final String base;

    ExampleApp(Stream stream, Javalin app) {
        this.stream = stream;
        this.app = app;
        app.start(0);
        base = "http://127.0.0.1:" + app.port();
    }

    /** A client peer that sends the ramp and a "text" data channel, connected and receiving video. */
    TestPeer connect(RtcEngine engine, String webrtcId) throws Exception {
        TestPeer peer = new TestPeer(engine, webrtcId)
                .sendVideo(30, n -> Patterns.verticalRamp(WIDTH, HEIGHT))
                .dataChannel("text");
        Signaling.Reply reply = Signaling.connect(peer, base + "/webrtc/offer", webrtcId);
        assertThat(reply.isAnswer()).as("offer reply %s", reply).isTrue();
        assertThat(peer.awaitConnected(Duration.ofSeconds(10))).as("peer connected").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> peer.framesReceived() > 0);
        return peer;
    }

    /** Waits until the video coming back is flipped (or upright). */
    static void awaitVideo(TestPeer peer, boolean flipped) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Patterns.rampError(peer.lastFrame(), flipped)).as("ramp error, flipped=%s", flipped)
                        .isLessThan(8));
    }

    Signaling.Reply postInput(String body) throws Exception {
        return Signaling.post(base + "/input_hook", body);
    }

    Signaling.Reply postInput(Map<String, ?> body) throws Exception {
        return postInput(JSON.writeValueAsString(body));
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Override
    public void close() {
        stream.close();
        app.stop();
    }
}
