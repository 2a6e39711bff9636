package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fastrtc.protocol.Json;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.transport.HttpReply;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two runtimes in one JVM share nothing: not the session count, not the engine, not their end. */
class RuntimeIsolationTest {

    @Test
    void twoRuntimesCountAndCloseTheirOwnSessions() throws Exception {
        try (FastRtc one = FastRtc.builder().maxTotalConnections(1).build();
                FastRtc two = FastRtc.builder().maxTotalConnections(1).build();
                TestPeer a1 = peer("a1"); TestPeer a2 = peer("a2"); TestPeer b1 = peer("b1")) {
            Stream a = Stream.builder().runtime(one).video((f, in) -> f).concurrencyLimit(5).build();
            Stream b = Stream.builder().runtime(two).video((f, in) -> f).concurrencyLimit(5).build();
            assertThat(a.runtime()).isSameAs(one).isNotSameAs(FastRtc.shared());

            assertThat(answer(a, a1, "a1")).as("first on runtime one").contains("\"type\":\"answer\"");
            assertThat(answer(a, a2, "a2")).as("runtime one is full").isEqualTo(
                    "{\"status\":\"failed\",\"meta\":{\"error\":\"concurrency_limit_reached\",\"limit\":1}}");
            assertThat(answer(b, b1, "b1")).as("runtime two counts on its own").contains("\"type\":\"answer\"");
            assertThat(one.openSessions()).isEqualTo(1);
            assertThat(two.openSessions()).isEqualTo(1);
            assertThat(one.openPeerConnections()).isEqualTo(1);

            one.close();
            assertThat(a.handleOffer("{}").status()).as("its streams are closed with it").isEqualTo(503);
            await().atMost(Duration.ofSeconds(10)).until(() -> one.openPeerConnections() == 0);
            assertThat(b.connectionIds()).as("the other runtime's stream lives on").containsExactly("b1");
            assertThat(two.openPeerConnections()).isEqualTo(1);
            assertThatThrownBy(() -> Stream.builder().runtime(one).video((f, in) -> f).build())
                    .hasMessageContaining("runtime is closed");

            b.close();
            assertThat(two.openSessions()).as("a closed stream frees its sessions").isZero();
            assertThat(two.isClosed()).as("closing a stream leaves its runtime open").isFalse();
        }
    }

    private static TestPeer peer(String name) {
        return new TestPeer(Clients.engine(), name).dataChannel("text");
    }

    private static String answer(Stream stream, TestPeer peer, String id) {
        HttpReply reply = stream.handleOffer(Json.write(Map.of("sdp", peer.offer(), "type", "offer",
                "webrtc_id", id)));
        return reply.body();
    }
}
