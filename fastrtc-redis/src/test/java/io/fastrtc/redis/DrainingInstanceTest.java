package io.fastrtc.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.stream.FastRtc;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one Redis while one drains: the draining one refuses new sessions but keeps its
 * live session reachable by id from the other (inputs in, outputs out) and keeps reaching the
 * other's; the other keeps admitting; the draining one's registrations go when its session ends.
 */
class DrainingInstanceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestPeer camera(String name) {
        return new TestPeer(Clients.engine(), name).sendVideo(15, n -> Patterns.verticalRamp(160, 120))
                .dataChannel("text");
    }

    private static AdditionalOutputs awaitOutput(OutputFeed feed, double value) throws InterruptedException {
        AdditionalOutputs out;
        do {
            out = feed.poll(WAIT);
        } while (out != null && !out.get(0).equals(value));
        return out;
    }

    @Test
    void aDrainingInstanceKeepsRoutingItsLiveSessionsAndTheOtherKeepsAccepting() throws Exception {
        try (RedisServer redisServer = RedisServer.start()) {
            RedisClient client = RedisClient.create(redisServer.uri());
            RedisCommands<String, String> redis = client.connect().sync();
            FastRtc leavingRuntime = FastRtc.create();
            FastRtc stayingRuntime = FastRtc.create();
            RedisBroker leavingBroker = RedisBroker.builder(redisServer.uri()).instanceId("leaving").build();
            RedisBroker stayingBroker = RedisBroker.builder(redisServer.uri()).instanceId("staying").build();
            try (StreamServer leaving = StreamServer.start(Instance.stream(leavingBroker, 10, leavingRuntime));
                    StreamServer staying = StreamServer.start(Instance.stream(stayingBroker, 10, stayingRuntime));
                    TestPeer onLeaving = camera("on-leaving");
                    TestPeer onStaying = camera("on-staying");
                    TestPeer late = camera("late");
                    TestPeer elsewhere = camera("elsewhere")) {
                assertThat(Signaling.connect(onLeaving, leaving.offerUrl(), "leaving-1").isAnswer()).isTrue();
                assertThat(Signaling.connect(onStaying, staying.offerUrl(), "staying-1").isAnswer()).isTrue();
                assertThat(onLeaving.awaitConnected(WAIT)).isTrue();
                assertThat(onStaying.awaitConnected(WAIT)).isTrue();

                CompletableFuture<Void> drained = leavingRuntime.drain(Duration.ofMinutes(5));
                assertThat(onLeaving.awaitMessage("draining", WAIT)).as("the client is told").isNotNull();

                // New sessions: refused by the draining instance, admitted by the other.
                Signaling.Reply refused = Signaling.connect(late, leaving.offerUrl(), "late-1");
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.error()).isEqualTo("draining");
                Signaling.Reply admitted = Signaling.connect(elsewhere, staying.offerUrl(), "elsewhere-1");
                assertThat(admitted.isAnswer()).as(admitted.toString()).isTrue();

                // The draining instance's live session: its registration stays, inputs reach it, outputs come back.
                assertThat(redis.get(leavingBroker.ownerKey("leaving-1"))).isEqualTo("leaving");
                Stream other = staying.stream();
                OutputFeed feed = other.outputStream("leaving-1");
                other.setInput("leaving-1", 0.9);
                assertThat(other.inputs("leaving-1").asList()).containsExactly(0.9);
                assertThat(awaitOutput(feed, 0.9)).as("outputs of the draining instance's session").isNotNull();
                // And the draining instance still reaches the other's sessions.
                Stream drainingStream = leaving.stream();
                drainingStream.setInput("staying-1", 0.7);
                assertThat(other.inputs("staying-1").asList()).containsExactly(0.7);
                assertThat(drained).isNotDone();

                // The session ends by itself; the drain is over and its registrations are gone.
                onLeaving.close();
                drained.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(leavingRuntime.isClosed()).isTrue();
                await().atMost(WAIT).until(() -> redis.exists(leavingBroker.ownerKey("leaving-1")) == 0);
                assertThatThrownBy(() -> other.inputs("leaving-1")).isInstanceOf(UnknownConnectionException.class);
                assertThat(redis.zrange(stayingBroker.slotsKey(), 0, -1))
                        .containsExactlyInAnyOrder("staying-1", "elsewhere-1");
            } finally {
                leavingRuntime.close();
                stayingRuntime.close();
                client.shutdown();
            }
        }
    }
}
