package io.fastrtc.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.EchoHandler;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.protocol.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Graceful drain seen from the clients: live WebRTC and WebSocket sessions, new ones of every
 * transport (offer, socket, Twilio webhook and Media Stream) arriving during the drain, the probes,
 * and the end at the deadline.
 */
class DrainTest {

    static final RtcEngine clients = Clients.engine();
    static final Duration DEADLINE = Duration.ofSeconds(6);

    static String socketUrl(StreamServer server) {
        return server.baseUrl().replace("http:", "ws:") + "/websocket/offer";
    }

    static TestPeer talker(String name) {
        return new TestPeer(clients, name).sendAudio().dataChannel("text");
    }

    static void connect(TestPeer peer, StreamServer server, String id) throws Exception {
        Signaling.Reply reply = Signaling.connect(peer, server.offerUrl(), id);
        assertThat(reply.isAnswer()).as(reply.toString()).isTrue();
        assertThat(peer.awaitConnected(Duration.ofSeconds(15))).isTrue();
        assertThat(peer.awaitChannelOpen(Duration.ofSeconds(15))).isTrue();
    }

    /** The drain notice a client got: a FastRTC {@code warning} with the code and the deadline. */
    static void assertNotice(String message, Instant deadline) throws Exception {
        assertThat(message).as("drain notice").isNotNull();
        var json = Json.parse(message);
        assertThat(json.path("type").asText()).isEqualTo("warning");
        assertThat(json.path("code").asText()).isEqualTo("draining");
        assertThat(json.path("message").asText()).contains("restarting");
        assertThat(Instant.parse(json.path("deadline").asText())).isBetween(deadline.minusSeconds(2), deadline.plusSeconds(2));
        assertThat(json.path("seconds").asLong()).isBetween(1L, DEADLINE.toSeconds());
    }

    @Test
    void refusesNewSessionsTellsOpenOnesLetsThemEndAndClosesTheRestAtTheDeadline() throws Exception {
        FastRtc rtc = FastRtc.create();
        Stream stream = Stream.builder().runtime(rtc).audio(new EchoHandler()).concurrencyLimit(10).build();
        try (StreamServer server = StreamServer.start(stream, p -> p.healthPath = "/health");
                TestPeer stays = talker("stays");
                TestPeer leaves = talker("leaves");
                SocketCaller socketStays = SocketCaller.fastrtc(socketUrl(server), 48000, 48000);
                SocketCaller socketLeaves = SocketCaller.fastrtc(socketUrl(server), 48000, 48000)) {
            connect(stays, server, "rtc-stays");
            connect(leaves, server, "rtc-leaves");
            socketStays.start("ws-stays", Map.of());
            socketLeaves.start("ws-leaves", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().size() == 4);
            assertThat(Signaling.get(server.url("/health/ready")).status()).isEqualTo(200);

            long started = System.nanoTime();
            Instant deadline = Instant.now().plus(DEADLINE);
            CompletableFuture<Void> drained = rtc.drain(DEADLINE);
            CompletableFuture<Void> again = rtc.drain(Duration.ofSeconds(1));
            assertThat(rtc.whenDraining().toCompletableFuture().get()).as("a second call keeps the first deadline")
                    .isBetween(deadline.minusSeconds(1), deadline.plusSeconds(1));
            again.cancel(true); // a caller giving up its wait changes nothing for the drain

            // Readiness first: the load balancer stops sending clients; the process stays alive.
            Signaling.Reply ready = Signaling.get(server.url("/health/ready"));
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().path("status").asText()).isEqualTo("DRAINING");
            assertThat(Signaling.get(server.url("/health/live")).status()).isEqualTo(200);

            // Every open session is told, over the data channel and the socket.
            assertNotice(stays.awaitMessage("draining", Duration.ofSeconds(5)), deadline);
            assertNotice(leaves.awaitMessage("draining", Duration.ofSeconds(5)), deadline);
            assertNotice(socketStays.awaitMessage("draining", Duration.ofSeconds(5)), deadline);
            assertNotice(socketLeaves.awaitMessage("draining", Duration.ofSeconds(5)), deadline);

            // New sessions of either transport are refused with draining.
            try (TestPeer late = talker("late")) {
                Signaling.Reply refused = Signaling.connect(late, server.offerUrl(), "rtc-late");
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.json().path("status").asText()).isEqualTo("failed");
                assertThat(refused.error()).isEqualTo("draining");
                assertThat(refused.header("Retry-After")).isEqualTo("1");
            }
            try (SocketCaller late = SocketCaller.fastrtc(socketUrl(server), 48000, 48000)) {
                late.start("ws-late", Map.of());
                assertThat(late.awaitMessage("\"failed\"", Duration.ofSeconds(5))).contains("\"error\":\"draining\"");
                SocketCaller.Closed closed = late.awaitClosed(Duration.ofSeconds(5));
                assertThat(closed.code()).isEqualTo(1013);
                assertThat(closed.reason()).isEqualTo("draining");
            }
            Signaling.Reply call = Signaling.post(server.url("/telephone/incoming"), "CallSid=CA1");
            assertThat(call.status()).as(call.toString()).isEqualTo(503);
            assertThat(call.error()).isEqualTo("draining");
            try (SocketCaller phone = SocketCaller.twilio(server.baseUrl().replace("http:", "ws:")
                    + "/telephone/handler", Map.of())) {
                phone.start("MZ00000000000000000000000000000001", Map.of());
                SocketCaller.Closed closed = phone.awaitClosed(Duration.ofSeconds(5));
                assertThat(closed.code()).isEqualTo(1013);
                assertThat(closed.reason()).isEqualTo("draining");
            }
            assertThat(stream.connectionIds()).doesNotContain("rtc-late", "ws-late", "MZ00000000000000000000000000000001");

            // Sessions that end by themselves end normally, and the others go on.
            leaves.close();
            socketLeaves.stop();
            SocketCaller.Closed stopped = socketLeaves.awaitClosed(Duration.ofSeconds(5));
            assertThat(stopped.code()).isEqualTo(1000);
            await().atMost(Duration.ofSeconds(3)).until(() -> stream.connectionIds().size() == 2);
            assertThat(stream.connectionIds()).containsExactlyInAnyOrder("rtc-stays", "ws-stays");
            assertThat(drained).isNotDone();
            assertThat(rtc.isClosed()).isFalse();

            // At the deadline the rest are closed with draining, then the runtime closes.
            SocketCaller.Closed cut = socketStays.awaitClosed(DEADLINE.plusSeconds(10));
            assertThat(cut).as("socket closed at the deadline").isNotNull();
            assertThat(cut.code()).isEqualTo(1001);
            assertThat(cut.reason()).isEqualTo("draining");
            assertThat(cut.nanos() - started).as("not before the deadline")
                    .isGreaterThan(DEADLINE.minusSeconds(1).toNanos());
            String end = stays.awaitMessage("end_stream", Duration.ofSeconds(10));
            assertThat(end).as("end_stream at the deadline").isNotNull().contains("\"code\":\"draining\"");

            drained.get(15, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the drain returns within its deadline (with slack)")
                    .isLessThan(DEADLINE.plusSeconds(10));
            assertThat(rtc.isClosed()).isTrue();
            assertThat(stream.connectionIds()).isEmpty();
            assertThat(Signaling.get(server.url("/health/live")).status()).isEqualTo(503);
            assertThat(Signaling.get(server.url("/health/ready")).json().path("status").asText()).isEqualTo("DOWN");
        } finally {
            rtc.close();
        }
    }

    @Test
    void endsAsSoonAsTheLastSessionHasEnded() throws Exception {
        FastRtc rtc = FastRtc.create();
        Stream stream = Stream.builder().runtime(rtc).audio(new EchoHandler()).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.fastrtc(socketUrl(server), 48000, 48000)) {
            caller.start("only", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().size() == 1);
            long started = System.nanoTime();
            CompletableFuture<Void> drained = rtc.drain(Duration.ofMinutes(10));
            assertThat(caller.awaitMessage("draining", Duration.ofSeconds(5))).contains("\"seconds\":600");
            Thread.sleep(500);
            assertThat(drained).as("a session is still open").isNotDone();
            caller.stop();
            drained.get(20, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertThat(rtc.isClosed()).isTrue();
            assertThat(caller.awaitClosed(Duration.ofSeconds(5)).code()).isEqualTo(1000);
        } finally {
            rtc.close();
        }
    }

    @Test
    void aDrainWithNothingOpenClosesTheRuntimeAtOnce() throws Exception {
        FastRtc rtc = FastRtc.create();
        Stream stream = Stream.builder().runtime(rtc).audio(new EchoHandler()).build();
        assertThat(rtc.isReady()).isTrue();
        rtc.drain(Duration.ofMinutes(10)).get(10, TimeUnit.SECONDS);
        assertThat(rtc.isReady()).isFalse();
        assertThat(rtc.isClosed()).isTrue();
        assertThat(stream.connectionIds()).isEmpty();
    }
}
