package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.telephone.TelephoneOptions;
import io.fastrtc.telemetry.Telemetry;
import io.fastrtc.telemetry.Transport;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.EchoHandler;
import io.fastrtc.testing.LogCapture;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.RecordingTelemetry;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a runtime reports to its {@link Telemetry}, seen from real clients of every transport. */
class TelemetryEventsTest {

    static final RtcEngine clients = Clients.engine();

    private static TestPeer camera(String name) {
        return new TestPeer(clients, name).sendVideo(30, n -> Patterns.verticalRamp(160, 120)).dataChannel("text");
    }

    @Test
    void aWebRtcAudioSessionReportsItsWholeLife() throws Exception {
        RecordingTelemetry telemetry = new RecordingTelemetry();
        try (FastRtc rtc = FastRtc.builder().telemetry(telemetry).build();
                StreamServer server = StreamServer.start(Stream.builder().runtime(rtc).audio(new EchoHandler(16000)).build());
                TestPeer peer = new TestPeer(clients, "talker").sendAudio().dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "talker").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.count("call talker AUDIO_CHUNK") >= 10);
            // The jitter-buffer figures are read every 5 s.
            await().atMost(Duration.ofSeconds(15)).until(() -> telemetry.count("quality talker") >= 1);
            peer.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.count("closed talker") == 1);
            assertThat(telemetry.events("started")).containsExactly("started webrtc talker");
            assertThat(telemetry.events("connected")).containsExactly("connected talker ok");
            assertThat(telemetry.events("quality")).allSatisfy(e -> assertThat(e).isEqualTo("quality talker ok ok"));
            assertThat(telemetry.events("closed")).containsExactly("closed talker client");
            assertThat(telemetry.events("call")).doesNotContain("call talker AUDIO_CHUNK negative");
            assertThat(telemetry.openScopes()).as("scopes left open").isZero();
        }
    }

    @Test
    void videoFramesDropsAndHandlerFailuresAreReported() throws Exception {
        RecordingTelemetry telemetry = new RecordingTelemetry();
        AtomicInteger calls = new AtomicInteger();
        try (FastRtc rtc = FastRtc.builder().telemetry(telemetry).build();
                StreamServer server = StreamServer.start(Stream.builder().runtime(rtc).video((frame, in) -> {
                    if (calls.incrementAndGet() == 3) {
                        throw new IllegalStateException("third frame");
                    }
                    Thread.sleep(70); // slower than 30 fps: newer frames replace the waiting ones
                    return frame;
                }).build());
                TestPeer peer = camera("cam")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "cam").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.count("call cam VIDEO_FRAME") >= 10);
            assertThat(telemetry.events("dropped")).isNotEmpty().allSatisfy(e -> assertThat(e).startsWith("dropped cam "));
            assertThat(telemetry.events("failed")).containsExactly("failed cam IllegalStateException");
            server.stream().closeConnection("cam");
            await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.count("closed cam") == 1);
            assertThat(telemetry.events("closed")).containsExactly("closed cam server");
        }
    }

    @Test
    void refusedOffersAreReportedWithTheirCode() throws Exception {
        RecordingTelemetry telemetry = new RecordingTelemetry();
        try (FastRtc rtc = FastRtc.builder().telemetry(telemetry).build();
                StreamServer server = StreamServer.start(Stream.builder().runtime(rtc).video((f, in) -> f)
                        .concurrencyLimit(1).build());
                TestPeer first = camera("first"); TestPeer second = camera("second")) {
            Signaling.Reply bad = Signaling.offer(server.offerUrl(), "bad", "not an sdp");
            assertThat(bad.isAnswer()).isFalse();
            assertThat(Signaling.post(server.offerUrl(), "{not json").isAnswer()).isFalse();
            assertThat(Signaling.connect(first, server.offerUrl(), "first").isAnswer()).isTrue();
            Signaling.Reply full = Signaling.offer(server.offerUrl(), "second", second.offer());
            assertThat(full.toString()).contains("concurrency_limit_reached");
            assertThat(telemetry.events("refused")).containsExactly("refused webrtc invalid_sdp",
                    "refused webrtc invalid_json", "refused webrtc concurrency_limit_reached");
            assertThat(telemetry.events("started")).containsExactly("started webrtc first");
        }
    }

    @Test
    void aWebSocketSessionAndItsRefusalsAreReported() throws Exception {
        RecordingTelemetry telemetry = new RecordingTelemetry();
        try (FastRtc rtc = FastRtc.builder().telemetry(telemetry).build();
                StreamServer server = StreamServer.start(Stream.builder().runtime(rtc).audio(new EchoHandler(16000))
                        .concurrencyLimit(1).build());
                SocketCaller caller = SocketCaller.fastrtc(url(server), 16000, 16000);
                SocketCaller refused = SocketCaller.fastrtc(url(server), 16000, 16000)) {
            caller.start("ws-1", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.count("connected ws-1") == 1);
            caller.say(AudioStreamTest.tone(440, 400, 16000));
            await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.count("call ws-1 AUDIO_CHUNK") >= 5);
            refused.start("ws-2", Map.of());
            refused.awaitClosed(Duration.ofSeconds(15));
            caller.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.count("closed ws-1") == 1);
            assertThat(telemetry.events("started")).containsExactly("started websocket ws-1");
            assertThat(telemetry.events("refused")).containsExactly("refused websocket concurrency_limit_reached");
            assertThat(telemetry.events("closed")).containsExactly("closed ws-1 client");
        }
    }

    @Test
    void aDrainRefusesWithDrainingAndClosesTheRestForDraining() throws Exception {
        RecordingTelemetry telemetry = new RecordingTelemetry();
        FastRtc rtc = FastRtc.builder().telemetry(telemetry).build();
        try (StreamServer server = StreamServer.start(Stream.builder().runtime(rtc).audio(new EchoHandler(16000))
                        .telephone(TelephoneOptions.builder().build()).build());
                SocketCaller caller = SocketCaller.fastrtc(url(server), 16000, 16000);
                SocketCaller late = SocketCaller.fastrtc(url(server), 16000, 16000);
                TestPeer peer = new TestPeer(clients, "late-peer").sendAudio()) {
            caller.start("draining-1", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.count("connected draining-1") == 1);
            var drained = rtc.drain(Duration.ofSeconds(2));
            late.start("draining-2", Map.of());
            late.awaitClosed(Duration.ofSeconds(10));
            assertThat(Signaling.offer(server.offerUrl(), "late-peer", peer.offer()).isAnswer()).isFalse();
            var webhook = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/telephone/incoming"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("CallSid=CA1")).build();
            assertThat(java.net.http.HttpClient.newHttpClient().send(webhook,
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
            drained.get(15, java.util.concurrent.TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> telemetry.count("closed draining-1") == 1);
            assertThat(telemetry.events("closed")).containsExactly("closed draining-1 draining");
            assertThat(telemetry.events("refused")).containsExactlyInAnyOrder("refused websocket draining",
                    "refused webrtc draining", "refused telephone draining");
        } finally {
            rtc.close();
        }
    }

    @Test
    void aTelemetryThatThrowsBreaksNoSessionAndIsLoggedOnce() throws Exception {
        Telemetry broken = new Telemetry() {
            @Override
            public void offerRefused(Transport transport, String reason) {
                throw new IllegalStateException("metrics backend down");
            }

            @Override
            public SessionTelemetry sessionStarted(Transport transport, String stream, String connectionId) {
                return new SessionTelemetry() {
                    @Override
                    public void handlerCall(Call call, long nanos) {
                        throw new IllegalStateException("metrics backend down");
                    }

                    @Override
                    public void connected(Duration setup) {
                        throw new IllegalStateException("metrics backend down");
                    }
                };
            }
        };
        try (FastRtc rtc = FastRtc.builder().telemetry(broken).build();
                StreamServer server = StreamServer.start(Stream.builder().runtime(rtc).video((f, in) -> f.flipVertical())
                        .build());
                TestPeer peer = camera("robust");
                LogCapture log = LogCapture.of("io.fastrtc")) {
            assertThat(Signaling.offer(server.offerUrl(), "bad", "not an sdp").isAnswer()).isFalse();
            assertThat(Signaling.connect(peer, server.offerUrl(), "robust").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> peer.framesReceived() >= 10);
            assertThat(Patterns.rampError(peer.lastFrame(), true)).isLessThan(10);
            // Refused offer, setup and every frame failed; the log has the first only.
            assertThat(log.lines().stream().filter(l -> l.contains("failed; its events go on"))).hasSize(1);
        }
    }

    static String url(StreamServer server) {
        return server.baseUrl().replace("http:", "ws:") + "/websocket/offer";
    }
}
