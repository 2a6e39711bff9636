package io.fastrtc.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.stream.OutputFeed;
import io.fastrtc.stream.Stream;
import io.fastrtc.stream.UnknownConnectionException;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two instances in two JVMs on one Redis: calls by id cross processes, and when one instance is
 * killed (SIGKILL, nothing cleans up after it) its connections and global slots are released.
 */
class KilledInstanceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration TTL = Duration.ofSeconds(2);

    @Test
    void aKilledInstanceReleasesItsConnectionsAndSlots() throws Exception {
        try (RedisServer redisServer = RedisServer.start()) {
            RedisClient client = RedisClient.create(redisServer.uri());
            RedisCommands<String, String> redis = client.connect().sync();
            Instance.Child child = Instance.launch(redisServer.uri(), "doomed", TTL, 2);
            RedisBroker broker = RedisBroker.builder(redisServer.uri()).instanceId("survivor").ownershipTtl(TTL).build();
            try (StreamServer survivor = StreamServer.start(Instance.stream(broker, 2));
                    TestPeer onDoomed = new TestPeer(Clients.engine(), "on-doomed");
                    TestPeer onSurvivor = new TestPeer(Clients.engine(), "on-survivor").dataChannel("text");
                    TestPeer late = new TestPeer(Clients.engine(), "late").dataChannel("text")) {
                Stream stream = survivor.stream();
                onDoomed.sendVideo(15, n -> Patterns.verticalRamp(160, 120)).dataChannel("text");
                assertThat(Signaling.connect(onDoomed, child.baseUrl() + "/webrtc/offer", "doomed-1").isAnswer())
                        .isTrue();
                assertThat(onDoomed.awaitConnected(WAIT)).isTrue();
                assertThat(Signaling.connect(onSurvivor, survivor.offerUrl(), "survivor-1").isAnswer()).isTrue();
                assertThat(redis.get(broker.ownerKey("doomed-1"))).isEqualTo("doomed");

                // Calls by id reach the other process; the global limit of 2 counts both instances.
                stream.setInput("doomed-1", 0.9);
                assertThat(stream.inputs("doomed-1").asList()).containsExactly(0.9);
                OutputFeed feed = stream.outputStream("doomed-1");
                AdditionalOutputs out;
                do {
                    out = feed.poll(WAIT);
                } while (out != null && !out.get(0).equals(0.9));
                assertThat(out).as("outputs of the other process").isNotNull();
                String lateOffer = late.offer();
                assertThat(Signaling.offer(survivor.offerUrl(), "late-1", lateOffer).error())
                        .isEqualTo("concurrency_limit_reached");
                assertThat(Signaling.offer(survivor.offerUrl(), "doomed-1", lateOffer).error())
                        .isEqualTo("connection_already_exists");

                child.process().destroyForcibly();
                assertThat(child.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

                await().atMost(WAIT).until(() -> redis.exists(broker.ownerKey("doomed-1")) == 0);
                await().atMost(WAIT).until(() -> feed.poll(Duration.ofMillis(100)) == null && feed.isFinished());
                assertThatThrownBy(() -> stream.inputs("doomed-1")).isInstanceOf(UnknownConnectionException.class);
                Signaling.Reply admitted = Signaling.offer(survivor.offerUrl(), "late-1", lateOffer);
                assertThat(admitted.isAnswer()).as("the dead instance's slot came back: " + admitted).isTrue();
                assertThat(redis.zrange(broker.slotsKey(), 0, -1)).containsExactlyInAnyOrder("survivor-1", "late-1");
                assertThat(redis.get(broker.ownerKey("survivor-1"))).isEqualTo("survivor");
            } finally {
                child.process().destroyForcibly();
                client.shutdown();
            }
        }
    }
}
