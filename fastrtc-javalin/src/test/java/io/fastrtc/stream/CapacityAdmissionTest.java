package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.EchoHandler;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.Signaling.Reply;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Offers refused for want of capacity, with FastRTC's failure JSON, and admitted again once there is room. */
class CapacityAdmissionTest {

    static final RtcEngine clients = Clients.engine();

    private static String refusal(int limit) {
        return "{\"status\":\"failed\",\"meta\":{\"error\":\"concurrency_limit_reached\",\"limit\":" + limit + "}}";
    }

    @Test
    void aFixedCapacityCountsTheStreamsOfTheWholeProcess() throws Exception {
        Capacity two = Capacity.fixed(2);
        Stream one = Stream.builder().video((f, in) -> f).concurrencyLimit(5).capacity(two).build();
        Stream other = Stream.builder().video((f, in) -> f).concurrencyLimit(5).capacity(two).build();
        try (StreamServer a = StreamServer.start(one); StreamServer b = StreamServer.start(other);
                TestPeer peer = new TestPeer(clients, "cap").dataChannel("text")) {
            String sdp = peer.offer();
            assertThat(Signaling.offer(a.offerUrl(), "a1", sdp).isAnswer()).isTrue();
            assertThat(Signaling.offer(b.offerUrl(), "b1", sdp).isAnswer()).isTrue();
            Reply refused = Signaling.offer(b.offerUrl(), "b2", sdp);
            assertThat(refused.status()).isEqualTo(200);
            assertThat(refused.json().toString()).isEqualTo(refusal(2));
            assertThat(Signaling.offer(a.offerUrl(), "a2", sdp).json().toString()).isEqualTo(refusal(2));
            assertThat(other.stats().refused()).isEqualTo(1);
            one.closeConnection("a1");
            assertThat(Signaling.offer(b.offerUrl(), "b2", sdp).isAnswer()).as("a freed slot is reusable").isTrue();
            assertThat(other.connectionIds()).containsExactlyInAnyOrder("b1", "b2");
        }
    }

    @Test
    void aWebSocketStartBeyondTheCapacityGetsTheFailureJsonAndTryAgainLater() throws Exception {
        Capacity one = Capacity.fixed(1);
        Stream video = Stream.builder().video((f, in) -> f).capacity(one).build();
        Stream voice = Stream.builder().audio(new EchoHandler(16000)).concurrencyLimit(5).capacity(one).build();
        try (StreamServer v = StreamServer.start(video); StreamServer a = StreamServer.start(voice);
                TestPeer peer = new TestPeer(clients, "holder").dataChannel("text");
                SocketCaller socket = SocketCaller.fastrtc(a.baseUrl().replace("http:", "ws:") + "/websocket/offer",
                        16000, 24000)) {
            assertThat(Signaling.offer(v.offerUrl(), "holder", peer.offer()).isAnswer()).isTrue();
            socket.start("socket", Map.of());
            assertThat(socket.awaitMessage("failed", Duration.ofSeconds(10))).isEqualTo(refusal(1));
            assertThat(socket.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1013);
            assertThat(voice.connectionIds()).isEmpty();
        }
    }

    @Test
    void aCpuCapacityRefusesTheStreamThatWouldPassTheShare() throws Exception {
        Stream[] self = new Stream[1];
        // Each open stream costs a fifth of the machine; at most half of it may be used.
        Capacity half = Capacity.cpu(0.5, () -> 0.2 * self[0].connectionIds().size());
        Stream stream = Stream.builder().video((f, in) -> f).concurrencyLimit(10).capacity(half).build();
        self[0] = stream;
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "cpu").dataChannel("text")) {
            String sdp = peer.offer();
            assertThat(Signaling.offer(server.offerUrl(), "c1", sdp).isAnswer()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.stats().cpuPerStream() == 0.2);
            assertThat(Signaling.offer(server.offerUrl(), "c2", sdp).isAnswer()).as("0.2 + 0.2 fits").isTrue();
            Reply refused = Signaling.offer(server.offerUrl(), "c3", sdp);
            assertThat(refused.json().toString()).as("0.4 + 0.2 does not").isEqualTo(refusal(2));
            stream.closeConnection("c1");
            // Admitted once a measurement shows the freed share (the next sample, within a second).
            await().atMost(Duration.ofSeconds(15)).until(() -> Signaling.offer(server.offerUrl(), "c3", sdp).isAnswer());
            assertThat(stream.connectionIds()).containsExactlyInAnyOrder("c2", "c3");
        }
    }
}
