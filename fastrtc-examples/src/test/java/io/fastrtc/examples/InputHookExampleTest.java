package io.fastrtc.examples;

import static io.fastrtc.examples.ExampleApp.awaitVideo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.testing.Clients;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.TestPeer;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InputHookExampleTest {

    static final RtcEngine clients = Clients.engine();
    ExampleApp example;

    @BeforeEach
    void start() {
        Stream stream = VideoFlip.stream();
        example = new ExampleApp(stream, InputHookExample.create(stream, VideoFlip.INPUT_FIELD));
    }

    @AfterEach
    void stop() {
        example.close();
    }

    @Test
    void theHookChangesWhatTheHandlerDoesFromItsNextFrame() throws Exception {
        try (TestPeer peer = example.connect(clients, "hook-1")) {
            awaitVideo(peer, true); // the ramp (brightness 0.49) is above the default threshold 0.3

            // Another browser (its own client cookie) cannot reach this connection.
            Signaling.Reply stranger = Signaling.browser().withHeader("Cookie", "fastrtc_client=" + "B".repeat(22))
                    .post(example.base + "/input_hook", "{\"webrtc_id\": \"hook-1\", \"threshold\": 0.9}");
            assertThat(stranger.status()).as(stranger.toString()).isEqualTo(404);
            assertThat(example.stream.inputs("hook-1").getDouble(0)).isEqualTo(0.3);

            Signaling.Reply reply = example.postInput(Map.of("webrtc_id", "hook-1", "threshold", 0.9));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().get("inputs").get(0).asDouble()).isEqualTo(0.9);
            assertThat(example.stream.inputs("hook-1").getDouble(0)).isEqualTo(0.9);
            awaitVideo(peer, false);

            // Strings that are numbers are accepted, as the slider converts them.
            reply = example.postInput("{\"webrtc_id\": \"hook-1\", \"threshold\": \"0.1\"}");
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().get("inputs").get(0).asDouble()).isEqualTo(0.1);
            awaitVideo(peer, true);
        }
    }

    @Test
    void badBodiesGet422AndUnknownConnections404() throws Exception {
        try (TestPeer peer = example.connect(clients, "hook-2")) {
            assertInvalid("{\"webrtc_id\": ", "not valid JSON");
            assertInvalid("[0.5]", "must be a JSON object");
            assertInvalid("{\"threshold\": 0.5}", "webrtc_id");
            assertInvalid("{\"webrtc_id\": 42, \"threshold\": 0.5}", "webrtc_id");
            assertInvalid("{\"webrtc_id\": \"hook-2\"}", "field 'threshold' is missing");
            assertInvalid("{\"webrtc_id\": \"hook-2\", \"threshold\": null}", "field 'threshold' is missing");
            assertInvalid("{\"webrtc_id\": \"hook-2\", \"threshold\": \"bright\"}", "a number from 0.0 to 1.0");
            assertInvalid("{\"webrtc_id\": \"hook-2\", \"threshold\": 1.5}", "a number from 0.0 to 1.0; got 1.5");
            assertInvalid("{\"webrtc_id\": \"hook-2\", \"threshold\": -0.1}", "a number from 0.0 to 1.0; got -0.1");
            assertThat(example.stream.inputs("hook-2").getDouble(0)).as("value unchanged").isEqualTo(0.3);

            assertUnknown("nobody");
            peer.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> !example.stream.connectionIds().contains("hook-2"));
            assertUnknown("hook-2");
        }
    }

    @Test
    void eachAdditionalInputNeedsABodyField() {
        try (Stream stream = VideoFlip.stream()) {
            assertThatThrownBy(() -> Javalin.create(cfg -> InputHookExample.addRoute(cfg, stream)))
                    .hasMessageContaining("has 1 additional inputs");
        }
    }

    private void assertInvalid(String body, String message) throws Exception {
        Signaling.Reply reply = example.postInput(body);
        assertThat(reply.status()).as("%s -> %s", body, reply).isEqualTo(422);
        assertThat(reply.json().get("error").asText()).isEqualTo("invalid_input");
        assertThat(reply.json().get("message").asText()).contains(message);
    }

    private void assertUnknown(String webrtcId) throws Exception {
        Map<String, Object> body = new HashMap<>();
        body.put("webrtc_id", webrtcId);
        body.put("threshold", 0.5);
        Signaling.Reply reply = example.postInput(body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
        assertThat(reply.json().get("error").asText()).isEqualTo("unknown_connection");
        assertThat(reply.json().get("message").asText()).contains(webrtcId);
    }
}
