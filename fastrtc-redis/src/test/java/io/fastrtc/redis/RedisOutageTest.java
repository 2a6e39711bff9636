package io.fastrtc.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An offer refused while Redis is down holds nothing once Redis is back, and its id can be used. */
class RedisOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void anOfferRefusedDuringAnOutageHoldsNoSlotOrKeyAfterRedisReturns() throws Exception {
        try (RedisServer redisServer = RedisServer.start()) {
            RedisBroker broker = RedisBroker.builder(redisServer.uri()).instanceId("only").build();
            try (StreamServer server = StreamServer.start(Instance.stream(broker, 1));
                    TestPeer during = new TestPeer(Clients.engine(), "during").dataChannel("text")
                            .sendVideo(15, n -> Patterns.verticalRamp(160, 120));
                    TestPeer after = new TestPeer(Clients.engine(), "after").dataChannel("text")
                            .sendVideo(15, n -> Patterns.verticalRamp(160, 120))) {
                Stream stream = server.stream();
                redisServer.kill();
                Signaling.Reply refused = Signaling.offer(server.offerUrl(), "retried", during.offer());
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.error()).isEqualTo("broker_unavailable");

                redisServer.restart();
                RedisClient client = RedisClient.create(redisServer.uri());
                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                    // Once the broker has reconnected (a probe of its own gets through), nothing the
                    // refused offer asked for may be in Redis: no owner key, no global slot.
                    String probe = broker.ownerKey("probe");
                    await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
                        try {
                            return broker.claim("probe", 0) == io.fastrtc.cluster.Broker.Claim.CLAIMED;
                        } catch (RuntimeException e) {
                            return false;
                        }
                    });
                    broker.release("probe");
                    await().atMost(WAIT).until(() -> connection.sync().exists(probe) == 0);
                    assertThat(connection.sync().exists(broker.ownerKey("retried"))).isZero();
                    assertThat(connection.sync().zcard(broker.slotsKey())).isZero();

                    // The same id, retried at once, is admitted under the global limit of 1.
                    Signaling.Reply retried = Signaling.connect(after, server.offerUrl(), "retried");
                    assertThat(retried.isAnswer()).as(retried.toString()).isTrue();
                    assertThat(connection.sync().get(broker.ownerKey("retried"))).isEqualTo("only");
                    assertThat(stream.connectionIds()).containsExactly("retried");
                } finally {
                    client.shutdown();
                }
            }
        }
    }
}
