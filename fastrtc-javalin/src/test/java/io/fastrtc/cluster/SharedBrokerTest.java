package io.fastrtc.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.stream.OutputFeed;
import io.fastrtc.stream.Stream;
import io.fastrtc.stream.UnknownConnectionException;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.EventStream;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.ui.Slider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Two streams on one in-memory store behave as one stream on two instances: a connection answered
 * by one is reached by id through the other.
 */
class SharedBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Stream flip(Broker broker, List<Double> seen, int globalLimit) {
        return flip(broker, seen, globalLimit, Stream.CONNECT_TIMEOUT);
    }

    private static Stream flip(Broker broker, List<Double> seen, int globalLimit, Duration connectTimeout) {
        return Stream.builder()
                .video((frame, inputs) -> {
                    seen.add(inputs.getDouble(0));
                    return frame.flipVertical().with(AdditionalOutputs.of(inputs.getDouble(0)));
                })
                .additionalInputs(Slider.of("Threshold", 0, 1, 0.3))
                .concurrencyLimit(4)
                .globalConcurrencyLimit(globalLimit)
                .broker(broker)
                .connectTimeout(connectTimeout)
                .build();
    }

    private static String candidate(String id, String line) {
        return "{\"type\":\"ice-candidate\",\"webrtc_id\":\"" + id + "\",\"candidate\":{\"candidate\":\"" + line
                + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}";
    }

    @Test
    void followUpCallsByIdWorkOnTheOtherInstance() throws Exception {
        InMemoryBroker one = new InMemoryBroker();
        List<Double> seen = new CopyOnWriteArrayList<>();
        try (StreamServer a = StreamServer.start(flip(one, seen, 10));
                // b holds no connection; its connect timeout bounds the wait for an id that ended on a
                StreamServer b = StreamServer.startWithUi(flip(one.peer(), new CopyOnWriteArrayList<>(), 10,
                        Duration.ofSeconds(2)));
                TestPeer peer = new TestPeer(Clients.engine(), "shared-1")) {
            peer.sendVideo(15, n -> Patterns.verticalRamp(160, 120)).dataChannel("text");
            assertThat(Signaling.connect(peer, a.offerUrl(), "shared-1").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(WAIT)).isTrue();
            await().atMost(WAIT).until(() -> seen.contains(0.3));
            assertThat(b.stream().connectionIds()).isEmpty();

            // set_input and inputs, through the other instance
            b.stream().setInput("shared-1", 0.75);
            await().atMost(WAIT).until(() -> seen.contains(0.75));
            assertThat(b.stream().inputs("shared-1").asList()).containsExactly(0.75);
            assertThatThrownBy(() -> b.stream().setInput("shared-1", 5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Threshold");

            // the output stream and the latest output, through the other instance
            try (OutputFeed feed = b.stream().outputStream("shared-1")) {
                AdditionalOutputs out = feed.poll(WAIT);
                assertThat(out).isNotNull();
                assertThat(out.get(0)).isEqualTo(0.75);
            }
            assertThat(b.stream().fetchLatestOutput("shared-1", WAIT)).hasValueSatisfying(
                    o -> assertThat(o.get(0)).isEqualTo(0.75));

            // the web UI's input hook and outputs feed on the other instance
            Signaling.Reply input = Signaling.post(b.baseUrl() + "/ui/input",
                    "{\"webrtc_id\":\"shared-1\",\"values\":[0.25]}");
            assertThat(input.status()).as(input.toString()).isEqualTo(200);
            assertThat(input.json().at("/inputs/0").asDouble()).isEqualTo(0.25);
            EventStream events = EventStream.open(b.baseUrl() + "/ui/outputs?webrtc_id=shared-1");
            JsonNode shown = events.nextOutput(WAIT);
            assertThat(shown).isNotNull();
            assertThat(shown.get(0).asDouble()).isEqualTo(0.25);

            // the offer route: duplicate ids and trickled candidates, answered by the owner
            try (TestPeer twin = new TestPeer(Clients.engine(), "shared-twin").dataChannel("text")) {
                assertThat(Signaling.offer(b.offerUrl(), "shared-1", twin.offer()).error())
                        .isEqualTo("connection_already_exists");
            }
            Signaling.Reply ok = Signaling.post(b.offerUrl(),
                    candidate("shared-1", "candidate:1 1 udp 2122260223 10.77.0.2 50000 typ host"));
            assertThat(ok.json().path("status").asText()).as(ok.toString()).isEqualTo("success");
            assertThat(Signaling.post(b.offerUrl(), candidate("shared-1", "candidate:1 1 udp")).error())
                    .isEqualTo("invalid_candidate_format");
            assertThat(Signaling.post(b.offerUrl(), candidate("nobody", "candidate:1 1 udp")).error())
                    .isEqualTo("unknown_connection");

            // closing through the other instance ends the connection and the feeds watching it
            b.stream().closeConnection("shared-1");
            await().atMost(WAIT).until(() -> a.stream().connectionIds().isEmpty());
            await().atMost(WAIT).until(events::ended);
            events.close();
            assertThatThrownBy(() -> b.stream().inputs("shared-1")).isInstanceOf(UnknownConnectionException.class);
            assertThatThrownBy(() -> b.stream().outputStream("shared-1")).isInstanceOf(UnknownConnectionException.class);
        }
    }

    @Test
    void theInstanceHoldingAConnectionChecksWhoAsksForItThroughAnother() throws Exception {
        InMemoryBroker one = new InMemoryBroker();
        try (StreamServer a = StreamServer.start(flip(one, new CopyOnWriteArrayList<>(), 10));
                StreamServer b = StreamServer.startWithUi(flip(one.peer(), new CopyOnWriteArrayList<>(), 10));
                TestPeer peer = new TestPeer(Clients.engine(), "owned-1").dataChannel("text")) {
            Signaling.Client alice = Signaling.browser();
            Signaling.Client bob = Signaling.browser();
            try (TestPeer bobs = new TestPeer(Clients.engine(), "bobs").dataChannel("text")) {
                assertThat(bob.offer(a.offerUrl(), "bob-1", bobs.offer()).isAnswer()).as("bob gets his cookie").isTrue();
            }
            assertThat(alice.offer(a.offerUrl(), "warm-up", peer.offer()).isAnswer()).isTrue();
            Signaling.Reply answer = alice.offer(a.offerUrl(), "owned-1", peer.offer());
            assertThat(answer.isAnswer()).isTrue();
            String line = "candidate:1 1 udp 2122260223 10.77.0.2 50000 typ host";

            assertThat(bob.post(b.offerUrl(), candidate("owned-1", line)).error()).isEqualTo("unknown_connection");
            assertThat(bob.post(b.url("/ui/input"), "{\"webrtc_id\":\"owned-1\",\"values\":[0.9]}").status())
                    .isEqualTo(404);
            assertThat(bob.get(b.url("/ui/outputs?webrtc_id=owned-1")).status()).isEqualTo(404);
            assertThat(a.stream().inputs("owned-1").asList()).containsExactly(0.3);

            assertThat(alice.post(b.offerUrl(), candidate("owned-1", line)).json().path("status").asText())
                    .isEqualTo("success");
            assertThat(alice.post(b.url("/ui/input"), "{\"webrtc_id\":\"owned-1\",\"values\":[0.9]}").status())
                    .isEqualTo(200);
            assertThat(a.stream().inputs("owned-1").asList()).containsExactly(0.9);
            assertThat(bob.withHeader("X-FastRTC-Token", answer.token())
                    .post(b.url("/ui/input"), "{\"webrtc_id\":\"owned-1\",\"values\":[0.1]}").status())
                    .as("the token, from anyone").isEqualTo(200);
        }
    }

    @Test
    void theGlobalLimitCountsTheConnectionsOfEveryInstance() throws Exception {
        InMemoryBroker one = new InMemoryBroker();
        try (StreamServer a = StreamServer.start(flip(one, new CopyOnWriteArrayList<>(), 1));
                StreamServer b = StreamServer.start(flip(one.peer(), new CopyOnWriteArrayList<>(), 1));
                TestPeer first = new TestPeer(Clients.engine(), "limit-1").dataChannel("text");
                TestPeer second = new TestPeer(Clients.engine(), "limit-2").dataChannel("text")) {
            assertThat(Signaling.connect(first, a.offerUrl(), "limit-1").isAnswer()).isTrue();
            String offer = second.offer();
            Signaling.Reply refused = Signaling.offer(b.offerUrl(), "limit-2", offer);
            assertThat(refused.error()).isEqualTo("concurrency_limit_reached");
            assertThat(refused.json().at("/meta/limit").asInt()).isEqualTo(1);

            a.stream().closeConnection("limit-1");
            Signaling.Reply admitted = Signaling.offer(b.offerUrl(), "limit-2", offer);
            assertThat(admitted.isAnswer()).as(admitted.toString()).isTrue();
            assertThat(b.stream().connectionIds()).containsExactly("limit-2");
        }
    }
}
