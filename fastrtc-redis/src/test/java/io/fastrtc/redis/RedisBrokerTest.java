package io.fastrtc.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fastrtc.cluster.Broker;
import io.fastrtc.cluster.Broker.Claim;
import io.fastrtc.cluster.BrokerException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The broker's protocol against a real Redis, with stand-in streams on two instances. */
class RedisBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static RedisServer server;
    private static RedisClient client;
    private static RedisCommands<String, String> redis;
    private static final AtomicInteger prefixes = new AtomicInteger();

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServer.start();
        client = RedisClient.create(server.uri());
        StatefulRedisConnection<String, String> c = client.connect();
        redis = c.sync();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        client.shutdown();
        server.close();
    }

    /** A broker with its own key prefix (tests do not see each other's keys) serving {@code node}. */
    private static RedisBroker broker(String prefix, String instance, Duration ttl, Broker.Node node) {
        RedisBroker b = RedisBroker.builder(server.uri()).keyPrefix(prefix).instanceId(instance).ownershipTtl(ttl).build();
        b.start(node);
        return b;
    }

    private static String prefix() {
        return "t" + prefixes.incrementAndGet() + ":";
    }

    @Test
    void anIdIsOwnedByOneInstanceAndTheGlobalLimitCountsAll() {
        String p = prefix();
        try (RedisBroker a = broker(p, "a", Duration.ofSeconds(15), (id, m) -> "a");
                RedisBroker b = broker(p, "b", Duration.ofSeconds(15), (id, m) -> "b")) {
            assertThat(a.claim("x", 2)).isEqualTo(Claim.CLAIMED);
            assertThat(redis.get(a.ownerKey("x"))).isEqualTo("a");
            assertThat(b.claim("x", 2)).isEqualTo(Claim.TAKEN);
            assertThat(a.claim("x", 2)).isEqualTo(Claim.TAKEN);
            assertThat(b.claim("y", 2)).isEqualTo(Claim.CLAIMED);
            assertThat(b.claim("z", 2)).isEqualTo(Claim.FULL);
            assertThat(a.claim("z", 0)).as("no global limit").isEqualTo(Claim.CLAIMED);

            b.release("y");
            await().atMost(WAIT).until(() -> redis.exists(b.ownerKey("y")) == 0);
            assertThat(redis.zcard(b.slotsKey())).isEqualTo(2);
            b.release("x"); // not b's: nothing happens
            assertThat(redis.get(a.ownerKey("x"))).isEqualTo("a");
        }
        assertThat(redis.keys(p + "owner:*")).as("close releases everything").isEmpty();
    }

    @Test
    void requestsReachTheOwnerAndItsAnswerComesBack() throws Exception {
        String p = prefix();
        List<String> served = new CopyOnWriteArrayList<>();
        try (RedisBroker a = broker(p, "a", Duration.ofSeconds(15), (id, m) -> {
                    served.add(id + ":" + m);
                    return "answer to " + m + "\nwith a second line";
                });
                RedisBroker b = broker(p, "b", Duration.ofSeconds(15), (id, m) -> "wrong instance")) {
            a.claim("id|with|bars", 0);
            assertThat(b.request("id|with|bars", "{\"op\":\"inputs\"}").get(10, TimeUnit.SECONDS))
                    .isEqualTo("answer to {\"op\":\"inputs\"}\nwith a second line");
            assertThat(served).containsExactly("id|with|bars:{\"op\":\"inputs\"}");
            assertThat(b.request("nobody", "x").get(10, TimeUnit.SECONDS)).isNull();
        }
    }

    @Test
    void subscribersSeeEventsThenTheEnd() throws Exception {
        String p = prefix();
        try (RedisBroker a = broker(p, "a", Duration.ofSeconds(15), (id, m) -> "");
                RedisBroker b = broker(p, "b", Duration.ofSeconds(15), (id, m) -> "")) {
            assertThat(b.subscribe("c", e -> { }, () -> { })).as("nobody owns c").isNull();
            a.claim("c", 0);
            List<String> events = new CopyOnWriteArrayList<>();
            AtomicInteger ends = new AtomicInteger();
            Broker.Subscription sub = b.subscribe("c", events::add, ends::incrementAndGet);
            assertThat(sub).isNotNull();
            a.publish("c", "[1]");
            a.publish("c", "[2]");
            await().atMost(WAIT).until(() -> events.size() == 2);
            assertThat(events).containsExactly("[1]", "[2]");
            a.release("c");
            await().atMost(WAIT).until(() -> ends.get() == 1);
            sub.close();
        }
    }

    @Test
    void aSilentInstanceLosesItsConnectionsAndSlotsAfterTheTtl() throws Exception {
        String p = prefix();
        AtomicInteger ends = new AtomicInteger();
        try (RedisBroker watcher = broker(p, "watcher", Duration.ofSeconds(1), (id, m) -> "")) {
            // What an instance that died leaves behind: its owner key and slot, refreshed no more.
            long now = Long.parseLong(redis.time().get(0)) * 1000;
            redis.set(watcher.ownerKey("d"), "dead", SetArgs.Builder.px(1500));
            redis.zadd(watcher.slotsKey(), now + 1500, "d");
            assertThat(watcher.subscribe("d", e -> { }, ends::incrementAndGet)).isNotNull();
            assertThat(watcher.claim("w", 1)).isEqualTo(Claim.FULL);
            assertThat(watcher.claim("d", 1)).isEqualTo(Claim.TAKEN);

            await().atMost(WAIT).until(() -> redis.exists(watcher.ownerKey("d")) == 0);
            await().atMost(WAIT).until(() -> ends.get() == 1);
            await().atMost(WAIT).until(() -> watcher.claim("w", 1) == Claim.CLAIMED);
            assertThat(watcher.request("d", "x").get(10, TimeUnit.SECONDS)).isNull();
            // The live instance's own key outlives many TTLs: its heartbeat refreshes it.
            Thread.sleep(2500);
            assertThat(redis.get(watcher.ownerKey("w"))).isEqualTo("watcher");
        }
    }

    @Test
    void anUnreachableRedisIsABrokerException() {
        assertThatThrownBy(() -> RedisBroker.connect("redis://127.0.0.1:1")).isInstanceOf(BrokerException.class)
                .hasMessageContaining("cannot be reached");
        assertThatThrownBy(() -> RedisBroker.builder("localhost:6379")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://host:6379");
    }
}
