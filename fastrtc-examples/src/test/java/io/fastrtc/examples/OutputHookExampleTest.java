package io.fastrtc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.testing.EarlySubscriber;
import io.fastrtc.testing.EventStream;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.testing.Clients;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.TestPeer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutputHookExampleTest {

    static final RtcEngine clients = Clients.engine();
    ExampleApp example;

    @BeforeEach
    void start() {
        Stream stream = VideoFlip.stream();
        example = new ExampleApp(stream, OutputHookExample.create(stream));
    }

    @AfterEach
    void stop() {
        example.close();
    }

    @Test
    void streamsTheHandlersOutputsUntilTheConnectionEnds() throws Exception {
        TestPeer peer = example.connect(clients, "out-1");
        try (EventStream sse = EventStream.open(example.base + "/outputs?webrtc_id=out-1")) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));

            await().atMost(Duration.ofSeconds(10)).until(() -> sse.outputs().size() >= 3);
            for (JsonNode output : sse.outputs()) {
                assertThat(output.isArray()).isTrue();
                JsonNode reading = output.get(0);
                assertThat(reading.get("brightness").asDouble()).isBetween(0.4, 0.6);
                assertThat(reading.get("threshold").asDouble()).isEqualTo(0.3);
                assertThat(reading.get("flipped").asBoolean()).isTrue();
            }
            assertThat(sse.ended()).isFalse();

            peer.close();
            await().atMost(Duration.ofSeconds(15)).until(sse::ended);
            assertThat(sse.endedCleanly()).isTrue(); // a clean end of the response, not an error
        } finally {
            peer.close();
        }
    }

    @Test
    void severalListenersEachGetTheOutputs() throws Exception {
        try (TestPeer peer = example.connect(clients, "out-2");
                EventStream first = EventStream.open(example.base + "/outputs?webrtc_id=out-2");
                EventStream second = EventStream.open(example.base + "/outputs?webrtc_id=out-2")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> first.outputs().size() >= 2
                    && second.outputs().size() >= 2);
        }
    }

    @Test
    void aSubscriberThatComesBeforeItsConnectionGetsItsOutputs() throws Exception {
        // FastRTC's webrtc_vs_websocket demo opens the feed about 100 ms before its connection exists.
        EarlySubscriber early = EarlySubscriber.open(example.base + "/outputs?webrtc_id=early-1");
        try (TestPeer peer = example.connect(clients, "early-1");
                EventStream sse = early.events()) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.nextOutput(Duration.ofSeconds(10))).isNotNull();
        }
    }

    @Test
    void aMissingIdOrAnEndedConnectionIsAnError() throws Exception {
        HttpResponse<String> missing = example.get("/outputs");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(ExampleApp.json(missing.body()).get("error").asText()).isEqualTo("unknown_connection");

        example.connect(clients, "gone-1").close();
        await().atMost(Duration.ofSeconds(10)).until(() -> example.stream.connectionIds().isEmpty());
        HttpResponse<String> ended = example.get("/outputs?webrtc_id=gone-1");
        assertThat(ended.statusCode()).isEqualTo(404);
        JsonNode body = ExampleApp.json(ended.body());
        assertThat(body.get("error").asText()).isEqualTo("unknown_connection");
        assertThat(body.get("message").asText()).contains("gone-1");
        assertThat(ended.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
    }
}
