package io.fastrtc.spring.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.redis.RedisServer;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.EventStream;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.TestPeer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the example app on one Redis, as behind a load balancer without sticky sessions:
 * a peer connects through one, and the web UI's inputs and outputs go through the other.
 */
class TwoInstancesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static ConfigurableApplicationContext instance(String redisUri, String name) {
        return new SpringApplicationBuilder(FlipApplication.class).properties(
                "server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                "fastrtc.redis.uri=" + redisUri, "fastrtc.redis.instance-id=" + name,
                "fastrtc.global-concurrency-limit=1").run();
    }

    private static String base(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    @Test
    void aConnectionOnOneInstanceIsDrivenThroughTheOther() throws Exception {
        try (RedisServer redisServer = RedisServer.start()) {
            RedisClient client = RedisClient.create(redisServer.uri());
            RedisCommands<String, String> redis = client.connect().sync();
            ConfigurableApplicationContext a = instance(redisServer.uri(), "a");
            try (ConfigurableApplicationContext b = instance(redisServer.uri(), "b");
                    TestPeer peer = new TestPeer(Clients.engine(), "multi");
                    TestPeer other = new TestPeer(Clients.engine(), "multi-other").dataChannel("text")) {
                String viaA = base(a);
                String viaB = base(b);
                peer.sendVideo(15, n -> Patterns.verticalRamp(320, 240)).dataChannel("text");
                assertThat(Signaling.connect(peer, viaA + "/webrtc/offer", "multi-1").isAnswer()).isTrue();
                assertThat(peer.awaitConnected(WAIT)).isTrue();
                assertThat(redis.get("fastrtc:owner:multi-1")).isEqualTo("a");

                try (EventStream events = EventStream.open(viaB + "/ui/outputs?webrtc_id=multi-1")) {
                    assertThat(events.status()).isEqualTo(200);
                    Signaling.Reply input = Signaling.post(viaB + "/ui/input", "{\"webrtc_id\":\"multi-1\",\"values\":[0.2]}");
                    assertThat(input.status()).as(input.toString()).isEqualTo(200);
                    assertThat(input.json().at("/inputs/0").asDouble()).isEqualTo(0.2);
                    await().atMost(WAIT).until(() -> peer.framesReceived() > 10
                            && Patterns.rampError(peer.lastFrame(), false) < 8);
                    JsonNode shown;
                    do {
                        shown = events.nextOutput(WAIT);
                    } while (shown != null && !shown.get(0).asText().equals("as is at 0.2"));
                    assertThat(shown).as("outputs of instance a, read through b").isNotNull();

                    // The offer route of b: the owner answers candidates; ids and the global limit are shared.
                    Signaling.Reply candidate = Signaling.post(viaB + "/webrtc/offer", "{\"type\":\"ice-candidate\","
                            + "\"webrtc_id\":\"multi-1\",\"candidate\":{\"candidate\":"
                            + "\"candidate:1 1 udp 2122260223 10.77.0.2 50000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
                    assertThat(candidate.json().path("status").asText()).as(candidate.toString()).isEqualTo("success");
                    String offer = other.offer();
                    assertThat(Signaling.offer(viaB + "/webrtc/offer", "multi-1", offer).error())
                            .isEqualTo("connection_already_exists");
                    assertThat(Signaling.offer(viaB + "/webrtc/offer", "multi-2", offer).error())
                            .isEqualTo("concurrency_limit_reached");

                    // Instance a shuts down: its connection ends everywhere and its slot is free at once.
                    a.close();
                    await().atMost(WAIT).until(events::ended);
                    assertThat(redis.exists("fastrtc:owner:multi-1")).isZero();
                    assertThat(Signaling.offer(viaB + "/webrtc/offer", "multi-2", offer).isAnswer()).isTrue();
                    assertThat(redis.get("fastrtc:owner:multi-2")).isEqualTo("b");
                }
            } finally {
                a.close();
                client.shutdown();
            }
        }
    }
}
