package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.testing.Clients;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.CloseStream;
import io.fastrtc.handler.Context;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.Inputs;
import io.fastrtc.testing.LogCapture;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.video.VideoFrame;
import io.fastrtc.video.VideoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Limits, handler failures and every way a connection ends. */
class ConnectionLifecycleTest {

    static final RtcEngine clients = Clients.engine();

    private static TestPeer camera(String name) {
        return new TestPeer(clients, name).sendVideo(30, n -> Patterns.verticalRamp(160, 120)).dataChannel("text");
    }

    private static void connect(StreamServer server, TestPeer peer, String id) throws Exception {
        Signaling.Reply reply = Signaling.connect(peer, server.offerUrl(), id);
        assertThat(reply.isAnswer()).as(reply.toString()).isTrue();
        assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aThrowingHandlerReportsErrorsAndTheConnectionLivesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Stream stream = Stream.builder().video((frame, in) -> {
            if (calls.incrementAndGet() <= 10) {
                try (var key = new java.io.FileInputStream("/srv/keys/prod.pem")) { // names a server path
                    return frame;
                }
            }
            return frame.flipVertical();
        }).build();
        try (StreamServer server = StreamServer.start(stream); TestPeer peer = camera("throws");
                LogCapture log = LogCapture.of("io.fastrtc")) {
            connect(server, peer, "throws");
            String error = peer.awaitMessage("\"error\"", Duration.ofSeconds(10));
            // The client gets a generic message and an id; the log has the same id and the exception.
            assertThat(error).matches("\\{\"type\":\"error\",\"message\":\"the handler failed \\(error id"
                    + " [0-9a-f]{8}\\)\"}");
            String id = error.replaceAll(".*error id ([0-9a-f]{8}).*", "$1");
            await().atMost(Duration.ofSeconds(5)).until(() -> log.lines().stream()
                    .anyMatch(l -> l.contains(id) && l.contains("/srv/keys/prod.pem")));
            await().atMost(Duration.ofSeconds(10)).until(() -> peer.framesReceived() >= 5);
            assertThat(Patterns.rampError(peer.lastFrame(), true)).isLessThan(10);
            assertThat(stream.connectionIds()).containsExactly("throws");
        }
    }

    @Test
    void aHangingHandlerIsReportedAndItsConnectionStillCloses() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Stream stream = Stream.builder().video((frame, in) -> {
            never.await();
            return frame;
        }).hangWarning(Duration.ofSeconds(1)).build();
        try (StreamServer server = StreamServer.start(stream); TestPeer peer = camera("hang")) {
            connect(server, peer, "hang");
            String warning = peer.awaitMessage("\"warning\"", Duration.ofSeconds(10));
            assertThat(warning).contains("has not returned for 1 s");
            peer.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().isEmpty());
            try (TestPeer next = camera("after-hang")) {
                connect(server, next, "after-hang");
            }
        }
    }

    @Test
    void timeLimitEndsTheConnectionWithAnEndStreamMessage() throws Exception {
        Stream stream = Stream.builder().video((f, in) -> f).timeLimit(Duration.ofSeconds(2)).build();
        try (StreamServer server = StreamServer.start(stream); TestPeer peer = camera("limited")) {
            long start = System.nanoTime();
            connect(server, peer, "limited");
            String end = peer.awaitMessage("end_stream", Duration.ofSeconds(10));
            assertThat(end).isEqualTo("{\"type\":\"end_stream\",\"data\":\"time limit of 2 s reached\"}");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.connectionIds().isEmpty());
        }
    }

    @Test
    void aConnectionThatNeverConnectsIsDroppedAfterTheConnectTimeout() throws Exception {
        Stream stream = Stream.builder().video((f, in) -> f).connectTimeout(Duration.ofMillis(1500)).build();
        try (StreamServer server = StreamServer.start(stream); TestPeer peer = camera("ghost")) {
            assertThat(Signaling.offer(server.offerUrl(), "ghost", peer.offer()).isAnswer()).isTrue();
            assertThat(stream.connectionIds()).containsExactly("ghost");
            await().atMost(Duration.ofSeconds(6)).until(() -> stream.connectionIds().isEmpty());
        }
    }

    @Test
    void closeStreamFromTheHandlerEndsTheConnectionAndItsOutputs() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Stream stream = Stream.builder().video((frame, in) -> {
            int n = calls.incrementAndGet();
            if (n == 20) {
                return CloseStream.of("done after 20 frames");
            }
            return n % 5 == 0 ? frame.with(AdditionalOutputs.of(n)) : frame;
        }).build();
        try (StreamServer server = StreamServer.start(stream); TestPeer peer = camera("closer")) {
            Signaling.Reply reply = Signaling.connect(peer, server.offerUrl(), "closer");
            assertThat(reply.isAnswer()).isTrue();
            List<Object> outputs = new ArrayList<>();
            try (OutputFeed feed = stream.outputStream("closer")) {
                feed.forEachRemaining(o -> outputs.add(o.get(0)));
                assertThat(feed.isFinished()).isTrue();
            }
            assertThat(outputs).containsExactly(5, 10, 15);
            assertThat(peer.awaitMessage("end_stream", Duration.ofSeconds(5)))
                    .isEqualTo("{\"type\":\"end_stream\",\"data\":\"done after 20 frames\"}");
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.connectionIds().isEmpty());
        }
    }

    @Test
    void eachConnectionGetsItsOwnHandlerCopyAndItsShutdownHookRuns() throws Exception {
        List<CountingHandler> copies = new CopyOnWriteArrayList<>();
        CountingHandler prototype = new CountingHandler(copies);
        Stream stream = Stream.builder().video(prototype).concurrencyLimit(2).build();
        try (StreamServer server = StreamServer.start(stream)) {
            try (TestPeer a = camera("a"); TestPeer b = camera("b")) {
                connect(server, a, "a");
                connect(server, b, "b");
                await().atMost(Duration.ofSeconds(10)).until(() -> copies.size() == 2
                        && copies.stream().allMatch(c -> c.frames.get() > 3));
                assertThat(copies).doesNotContain(prototype);
                assertThat(copies.get(0).ids).isNotEqualTo(copies.get(1).ids);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> copies.stream().allMatch(c -> c.shutdowns.get() == 1));
            assertThat(prototype.shutdowns.get()).isZero();
        }
    }

    static final class CountingHandler implements VideoHandler {
        final List<CountingHandler> registry;
        final AtomicInteger frames = new AtomicInteger();
        final AtomicInteger shutdowns = new AtomicInteger();
        final List<String> ids = new CopyOnWriteArrayList<>();

        CountingHandler(List<CountingHandler> registry) {
            this.registry = registry;
        }

        @Override
        public Emit handle(VideoFrame frame, Inputs inputs) {
            frames.incrementAndGet();
            Context.current().ifPresent(c -> {
                if (ids.isEmpty()) {
                    ids.add(c.webrtcId());
                }
            });
            return frame;
        }

        @Override
        public VideoHandler copy() {
            CountingHandler copy = new CountingHandler(registry);
            registry.add(copy);
            return copy;
        }

        @Override
        public void shutdown() {
            shutdowns.incrementAndGet();
        }
    }

    @Test
    void receiveModeStreamsGeneratedFramesAndEndsWithTheGenerator() throws Exception {
        Stream stream = Stream.builder()
                .videoGenerator(in -> java.util.stream.Stream.generate(() -> Patterns.verticalRamp(160, 120))
                        .limit(45).iterator())
                .fps(15)
                .build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "viewer").receiveVideo().dataChannel("text")) {
            connect(server, peer, "viewer");
            await().atMost(Duration.ofSeconds(10)).until(() -> peer.framesReceived() >= 10);
            assertThat(Patterns.rampError(peer.lastFrame(), false)).isLessThan(10);
            assertThat(peer.awaitMessage("end_stream", Duration.ofSeconds(10))).isNotNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.connectionIds().isEmpty());
        }
    }

    @Test
    void sendModeHandsFramesToTheHandlerAndSendsNoVideoBack() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        Stream stream = Stream.builder().video((frame, in) -> {
            seen.incrementAndGet();
            return frame;
        }).mode(Mode.SEND).build();
        try (StreamServer server = StreamServer.start(stream); TestPeer peer = camera("uploader")) {
            Signaling.Reply reply = Signaling.connect(peer, server.offerUrl(), "uploader");
            assertThat(reply.json().get("sdp").asText()).contains("a=recvonly");
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.get() >= 10);
            assertThat(peer.framesReceived()).isZero();
        }
    }

    @Test
    void clientDataChannelMessagesAreEchoedAndOversizedOnesRefused() throws Exception {
        Stream stream = Stream.builder().video((f, in) -> f).build();
        try (StreamServer server = StreamServer.start(stream); TestPeer peer = camera("chat")) {
            connect(server, peer, "chat");
            assertThat(peer.awaitChannelOpen(Duration.ofSeconds(5))).isTrue();
            peer.send("handshake");
            assertThat(peer.awaitMessage("Server received", Duration.ofSeconds(5)))
                    .isEqualTo("{\"type\":\"log\",\"data\":\"Server received: handshake\"}");
            peer.send("x".repeat(Connection.MAX_CLIENT_MESSAGE_BYTES + 1));
            assertThat(peer.awaitMessage("\"error\"", Duration.ofSeconds(5))).contains("the limit is 16384");
            peer.send("still here");
            assertThat(peer.awaitMessage("still here", Duration.ofSeconds(5))).isNotNull();
        }
    }
}
